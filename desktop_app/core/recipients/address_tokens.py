"""Characters refused in recipient fields, and the tokens of an RFC 5322 address list."""

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text as message_text


class AddressError(UserFacingError):
    """A recipient field that cannot be read safely; ``offending`` is the piece at fault."""

    def __init__(self, message: str, offending: str) -> None:
        super().__init__(message)
        self.offending = offending


class TokenKind(Enum):
    """What a token is; comments and whitespace never become tokens."""

    ATOM = "atom"  # a run of atext and dots: "alice", "example.org", "Q."
    QUOTED = "quoted"  # a quoted-string; the value is unescaped, without the quotes
    LITERAL = "literal"  # a domain literal "[...]"; the value is what is inside
    SPECIAL = "special"  # one of < > : ; @ ,


@dataclass(frozen=True, slots=True)
class Token:
    """One token and where it sits in the input, so errors can quote the text around it."""

    kind: TokenKind
    value: str
    start: int
    end: int
    space_before: bool  # whitespace or a comment separates it from the token before


# Look like "@" on screen but are not it (U+FF20, U+FE6B): "eve\uff20evil.example" must
# not pass for an address.
_AT_LOOKALIKES = frozenset("\uff20\ufe6b")
# U+0085, U+2028 and U+2029 end a line in some renderers and parsers just as CR and LF do.
_LINE_BREAKS = frozenset("\r\n\x85\u2028\u2029")
# Invisible or blank-rendering characters that are not in category Cf, so the category
# test below misses them: combining grapheme joiner, Hangul fillers, Khmer inherent
# vowels, Mongolian variation selectors, braille blank.
_INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u2800\u3164\uffa0")
_PLAIN = re.compile(r"[\t\x20-\x7e]*")
_ATOM_RUN = re.compile(r'[^\t ()<>\[\]:;@\\,"]+')
_QUOTED_BODY = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*', re.DOTALL)
_COMMENT_TEXT = re.compile(r"[^()\\]*")
_QUOTED_PAIR = re.compile(r"\\(.)", re.DOTALL)
_SPECIALS = frozenset("<>:;@,")
_STRAY = frozenset(")]\\")
_EXCERPT_RADIUS = 60
_MAX_ELEMENT = 160


def code_point(char: str) -> str:
    """``char`` as U+XXXX, the way to name a character that may not show on screen."""
    return f"U+{ord(char):04X}"


def visible(value: str) -> str:
    """``value`` with every invisible, control or unusual space character spelled as <U+XXXX>."""
    return "".join(char if char.isprintable() else f"<{code_point(char)}>" for char in value)


def element_around(text: str, start: int, end: int | None = None) -> str:
    """The comma- or semicolon-separated piece of ``text`` around ``text[start:end]``.

    Quoting the whole field would bury the fault in a long list; quoting only the faulty
    character would not say where it is. Long pieces are cut around the fault.
    """
    stop = start + 1 if end is None else end
    left = max(text.rfind(",", 0, start), text.rfind(";", 0, start)) + 1
    ahead = [index for index in (text.find(",", stop), text.find(";", stop)) if index >= 0]
    right = min(ahead, default=len(text))
    prefix = suffix = ""
    if start - left > _EXCERPT_RADIUS:
        left, prefix = start - _EXCERPT_RADIUS, "…"
    if right - stop > _EXCERPT_RADIUS:
        right, suffix = stop + _EXCERPT_RADIUS, "…"
    return prefix + visible(text[left:right].strip(" \t")) + suffix


def _shorten(value: str) -> str:
    if len(value) <= _MAX_ELEMENT:
        return value
    half = _MAX_ELEMENT // 2
    return f"{value[:half]}…{value[-half:]}"


def address_error(key: str, element: str, offending: str, **values: object) -> AddressError:
    """An AddressError with message ``key``; ``element`` and ``found`` are filled in for it."""
    shown = {
        name: _shorten(value) if isinstance(value, str) else value for name, value in values.items()
    }
    found = _shorten(visible(offending))
    message = message_text(key, element=_shorten(element), found=found, **shown)
    return AddressError(message, offending)


def refusal(char: str) -> str | None:
    """Message key if ``char`` may not appear anywhere in a recipient field, else None."""
    if char == "\t" or " " <= char <= "~":
        return None
    if char in _LINE_BREAKS:
        return "address.line_break"
    if char in _AT_LOOKALIKES:
        return "address.at_lookalike"
    category = unicodedata.category(char)
    if category == "Cc":
        return "address.control"
    if category == "Cf" or char in _INVISIBLE:
        # Zero-width characters, bidi controls, BOM and tag characters: they make two
        # different addresses or names look the same, or reorder what is shown.
        return "address.invisible"
    if category == "Cs":
        return "address.control"
    return None


def check_characters(value: str, text: str | None = None, offset: int = 0) -> None:
    """Raise AddressError for the first refused character of ``value``.

    ``text`` is the whole field ``value`` came from (for the excerpt in the message) and
    ``offset`` where ``value`` starts in it; without them ``value`` itself is quoted.
    """
    if _PLAIN.fullmatch(value):
        return
    for index, char in enumerate(value):
        key = refusal(char)
        if key is not None:
            source = value if text is None else text
            position = index + offset if text is not None else index
            element = element_around(source, position)
            raise address_error(key, element, char, code=code_point(char))


def _unexpected(text: str, position: int) -> AddressError:
    char = text[position]
    return address_error("address.unexpected", element_around(text, position), char)


def _unclosed(text: str, position: int) -> AddressError:
    char = text[position]
    return address_error("address.unclosed", element_around(text, position), char)


def _skip_comment(text: str, start: int) -> int:
    """Index just past the comment opening at ``start``; comments nest."""
    depth = 0
    position = start
    while True:
        match = _COMMENT_TEXT.match(text, position)
        position = match.end() if match else position
        if position >= len(text):
            raise _unclosed(text, start)
        char = text[position]
        if char == "\\":
            if position + 1 >= len(text):
                raise _unclosed(text, start)
            position += 2
            continue
        depth += 1 if char == "(" else -1
        position += 1
        if depth == 0:
            return position


def _quoted(text: str, start: int) -> tuple[str, int]:
    """Unescaped content of the quoted-string opening at ``start``, and the index past it."""
    match = _QUOTED_BODY.match(text, start + 1)
    end = match.end() if match else start + 1
    if end >= len(text) or text[end] != '"':
        raise _unclosed(text, start)
    return _QUOTED_PAIR.sub(r"\1", text[start + 1 : end]), end + 1


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text``, which has passed check_characters; comments are dropped.

    Raises AddressError for unbalanced quotes, comments and brackets and for stray
    ")", "]" and "\\" outside them. Runs in time linear in ``len(text)``.
    """
    tokens: list[Token] = []
    position = 0
    space = False
    while position < len(text):
        char = text[position]
        start = position
        if char in " \t":
            position += 1
            space = True
            continue
        if char == "(":
            position = _skip_comment(text, position)
            space = True
            continue
        if char == '"':
            value, position = _quoted(text, position)
            tokens.append(Token(TokenKind.QUOTED, value, start, position, space))
        elif char == "[":
            close = text.find("]", position)
            opening = text.find("[", position + 1)
            if close < 0 or 0 <= opening < close:
                raise _unclosed(text, position)
            position = close + 1
            tokens.append(Token(TokenKind.LITERAL, text[start + 1 : close], start, position, space))
        elif char in _SPECIALS:
            position += 1
            tokens.append(Token(TokenKind.SPECIAL, char, start, position, space))
        elif char in _STRAY:
            raise _unexpected(text, position)
        else:
            match = _ATOM_RUN.match(text, position)
            position = match.end() if match else position + 1
            tokens.append(Token(TokenKind.ATOM, text[start:position], start, position, space))
        space = False
    return tokens
