"""A safe text rendering of an HTML body: its words, never its scripts, styles or pictures.

Made with the standard library's ``html.parser``: nothing is fetched (images show only as
their alt text), no script or style content is kept, and link targets are written out as
text beside the words, so a reader can see where a link would go without following it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Final

# Elements whose content is never text for a reader.
_HIDDEN: Final = frozenset({"script", "style", "head", "title", "template", "noscript", "svg"})
# Elements set apart by a blank line, and elements that only start a new line.
_PARAGRAPHS: Final = frozenset(
    {
        "address", "article", "aside", "blockquote", "dl", "fieldset", "figure", "footer",
        "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "nav", "ol", "p",
        "pre", "section", "table", "ul",
    }
)  # fmt: skip
_LINES: Final = frozenset({"dd", "div", "dt", "figcaption", "li", "tr"})
_SPACES: Final = re.compile(r"[ \t\r\n\f\u00a0]+")
_MANY_BLANK_LINES: Final = re.compile(r"\n{3,}")
# Only these link targets are worth showing; javascript: and data: are noise or worse.
_SHOWN_SCHEMES: Final = ("http://", "https://", "mailto:")
_MAX_LINK: Final = 200  # characters of a link target shown


def html_to_text(html: str) -> str:
    """The readable text of ``html``: paragraphs and line breaks kept, markup dropped."""
    reader = _TextReader()
    reader.feed(_tail_as_text(html))
    reader.close()
    return reader.result()


def _tail_as_text(html: str) -> str:
    # WORKAROUND for https://github.com/python/cpython/issues/135462 (CVE-2025-6069):
    # before Python 3.11.13, HTMLParser reads an unfinished tag at the end of the input
    # again for every "<" in it ("<a " 4,000 times took 2 s, 40,000 times hours). After
    # the last ">" no tag can be finished, so each "<" there is text: written "&lt;", it
    # reads as the "<" it is, at once.
    end = html.rfind(">") + 1
    return html[:end] + html[end:].replace("<", "&lt;")


class _TextReader(HTMLParser):
    """Collects the visible text of one document; made afresh for every call."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._lines: list[str] = []
        self._line: list[str] = []
        self._hidden_depth = 0
        self._pre_depth = 0
        # The open link: its target, and where its words start in the current line.
        self._open_link: tuple[str | None, int] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden_depth += 1
            return
        if self._hidden_depth:
            return
        self._block(tag)
        if tag == "pre":
            self._pre_depth += 1
        elif tag == "br":
            self._break(force=True)
        elif tag == "li":
            self._line.append("- ")
        elif tag in ("td", "th"):
            self._line.append(" ")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self._line.append(f"[{alt.strip()}] ")
        elif tag == "a":
            if self._open_link is not None:
                # Links do not nest: like a browser, a new link ends the open one (and no
                # stack of unclosed links can make each end tag search a growing line).
                self.handle_endtag("a")
            self._open_link = (dict(attrs).get("href"), len(self._line))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            return  # <script/> opens nothing
        self.handle_starttag(tag, attrs)
        if tag == "a":
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden_depth = max(0, self._hidden_depth - 1)
            return
        if self._hidden_depth:
            return
        if tag == "a" and self._open_link is not None:
            target, start = self._open_link
            self._open_link = None
            href = (target or "").strip()
            # Only the link's own words are searched (a line may hold thousands of links):
            # a link that reads as its target is not written twice.
            words = "".join(self._line[start:])
            if href.lower().startswith(_SHOWN_SCHEMES) and href not in words:
                self._line.append(f" <{href[:_MAX_LINK]}>")
        self._block(tag)
        if tag == "pre":
            self._pre_depth = max(0, self._pre_depth - 1)

    def handle_data(self, data: str) -> None:
        if self._hidden_depth:
            return
        if self._pre_depth:
            first, *rest = data.split("\n")
            self._line.append(first)
            for line in rest:
                self._break(force=True)
                self._line.append(line)
        else:
            self._line.append(_SPACES.sub(" ", data))

    def _block(self, tag: str) -> None:
        if tag in _PARAGRAPHS:
            self._break(paragraph=True)
        elif tag in _LINES:
            self._break()

    def _break(self, *, force: bool = False, paragraph: bool = False) -> None:
        line = "".join(self._line)
        self._line = []
        if not self._pre_depth:
            line = _SPACES.sub(" ", line).strip()
        if line or force:
            self._lines.append(line)
        if paragraph and self._lines and self._lines[-1] != "":
            self._lines.append("")  # one blank line between paragraphs at most

    def result(self) -> str:
        self._break()
        text = "\n".join(self._lines)
        return _MANY_BLANK_LINES.sub("\n\n", text).strip("\n")
