"""Split a MIME message into its entities, without copying or decoding any body.

Every entity refers to its slice of the one input buffer by offsets. The walk is bounded:
nesting depth, number of parts and header size are limited, and each boundary search is a
single bytes.find pass, so hostile input fails (or parses) in time linear in its size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

from desktop_app.core.messages import text
from desktop_app.core.mime.errors import MimeError
from desktop_app.core.mime.headers import (
    HeaderField,
    is_content_type,
    is_field_line,
    parse_fields,
    parse_parameters,
)

MAX_DEPTH: Final = 20
MAX_PARTS: Final = 10_000
MAX_HEADER_BYTES: Final = 256 * 1024
# RFC 2046 allows 70 characters; a little slack for sloppy generators.
_MAX_BOUNDARY: Final = 200

_BLANK_LINE: Final = re.compile(rb"\n\r?\n")
# What may follow "--boundary" on a delimiter line: "--" (the close delimiter) or
# transport padding up to the end of the line.
_DELIMITER_END: Final = re.compile(rb"--|[ \t]*(?:\r?\n|\r?\Z)")
_NO_PARAMS: Final[MappingProxyType[str, str]] = MappingProxyType({})


@dataclass(frozen=True, eq=False)
class Entity:
    """One MIME entity: its header fields and where its body is in ``source``."""

    source: bytes = field(repr=False)
    start: int
    body_start: int
    end: int
    fields: tuple[HeaderField, ...]
    content_type: str  # lowercased type/subtype
    params: MappingProxyType[str, str]
    path: str  # "" for the message itself, "1", "1.2", ... for parts
    children: tuple[Entity, ...] = ()

    @property
    def body(self) -> memoryview:
        """The body, still transfer-encoded."""
        return memoryview(self.source)[self.body_start : self.end]

    @property
    def raw(self) -> memoryview:
        """The whole entity, headers and body, exactly as received."""
        return memoryview(self.source)[self.start : self.end]

    def header(self, name: str) -> str | None:
        """The first field called ``name`` (any case), or None."""
        wanted = name.lower()
        return next((f.value for f in self.fields if f.name.lower() == wanted), None)

    @property
    def transfer_encoding(self) -> str:
        value = self.header("Content-Transfer-Encoding")
        return (value or "7bit").strip().lower()

    def disposition(self) -> tuple[str | None, MappingProxyType[str, str]]:
        """("inline" / "attachment" / ..., parameters), or (None, {}) when absent."""
        value = self.header("Content-Disposition")
        if value is None:
            return None, _NO_PARAMS
        kind, params = parse_parameters(value)
        return kind or None, params

    @property
    def is_multipart(self) -> bool:
        return bool(self.children)


def parse_tree(data: bytes) -> Entity:
    """The entity tree of a MIME message.

    Lenient like mail readers: missing closing delimiters, LF line ends and stray header
    lines are accepted. message/rfc822 parts are leaves.

    Raises:
        MimeError: nested deeper than MAX_DEPTH, more than MAX_PARTS parts, a header section
            over MAX_HEADER_BYTES, a multipart without a boundary or without any part.
    """
    budget = [MAX_PARTS]
    return _entity(bytes(data), 0, len(data), "", 0, "text/plain", budget)


def _entity(
    source: bytes,
    start: int,
    end: int,
    path: str,
    depth: int,
    default_type: str,
    budget: list[int],
) -> Entity:
    budget[0] -= 1
    if budget[0] < 0:
        raise MimeError(text("mime.too_many_parts", limit=MAX_PARTS))
    header_end, body_start = _split_header(source, start, end)
    fields = parse_fields(source[start:header_end]) if header_end > start else ()
    content_type, params = _content_type(fields, default_type)
    entity = Entity(source, start, body_start, end, fields, content_type, params, path)
    if not content_type.startswith("multipart/"):
        return entity
    if depth >= MAX_DEPTH:
        raise MimeError(text("mime.nested_too_deeply", limit=MAX_DEPTH))
    boundary = params.get("boundary", "")
    if not boundary or len(boundary) > _MAX_BOUNDARY or not boundary.isascii():
        raise MimeError(text("mime.no_boundary"))
    child_type = "message/rfc822" if content_type == "multipart/digest" else "text/plain"
    spans = _split_parts(source, body_start, end, boundary.encode("ascii"))
    if not spans:
        raise MimeError(text("mime.no_parts"))
    prefix = f"{path}." if path else ""
    children = tuple(
        _entity(source, part_start, part_end, f"{prefix}{number}", depth + 1, child_type, budget)
        for number, (part_start, part_end) in enumerate(spans, start=1)
    )
    return Entity(source, start, body_start, end, fields, content_type, params, path, children)


def _split_header(source: bytes, start: int, end: int) -> tuple[int, int]:
    """(end of the header section, start of the body)."""
    if source.startswith(b"\n", start, end) or source.startswith(b"\r\n", start, end):
        return start, start + (1 if source[start] == 0x0A else 2)  # no header fields
    # A field name and its colon come within the first line's first thousand bytes.
    if not is_field_line(source[start : min(end, start + 1000)]):
        return start, start  # no header section: all body, as readers show it
    blank = _BLANK_LINE.search(source, start, min(end, start + MAX_HEADER_BYTES + 2))
    if blank is not None:
        return blank.start() + 1, blank.end()
    if end - start > MAX_HEADER_BYTES:
        raise MimeError(text("mime.header_too_large", limit=MAX_HEADER_BYTES))
    return end, end  # header fields only, empty body


def _content_type(
    fields: tuple[HeaderField, ...], default_type: str
) -> tuple[str, MappingProxyType[str, str]]:
    value = next((f.value for f in fields if f.name.lower() == "content-type"), None)
    if value is None:
        return default_type, _NO_PARAMS
    content_type, params = parse_parameters(value)
    if not is_content_type(content_type):
        # RFC 2045 5.2 says text/plain, but showing unreadable bytes as text helps nobody.
        return "application/octet-stream", params
    return content_type, params


def _split_parts(source: bytes, start: int, end: int, boundary: bytes) -> list[tuple[int, int]]:
    """(start, end) of each body part between "--boundary" lines; the CRLF before each
    delimiter belongs to the delimiter. The preamble and epilogue are dropped."""
    marker = b"--" + boundary
    spans: list[tuple[int, int]] = []
    part_start = -1
    pos = start
    while True:
        found = source.find(marker, pos, end)
        if found < 0:
            break
        pos = found + 1
        if found != start and source[found - 1] != 0x0A:
            continue  # not at the start of a line
        after = found + len(marker)
        tail = _DELIMITER_END.match(source, after, end)
        if tail is None:
            continue  # a longer boundary that begins with this one
        if part_start >= 0:
            spans.append((part_start, _line_break_start(source, part_start, found)))
        if tail.group() == b"--":
            return spans
        part_start = tail.end()
        pos = part_start
    if 0 <= part_start < end:
        spans.append((part_start, end))  # no close delimiter: the last part runs to the end
    return spans


def _line_break_start(source: bytes, part_start: int, delimiter: int) -> int:
    """Where the line break before the delimiter at ``delimiter`` begins."""
    cut = delimiter
    if cut > part_start and source[cut - 1] == 0x0A:
        cut -= 1
        if cut > part_start and source[cut - 1] == 0x0D:
            cut -= 1
    return cut
