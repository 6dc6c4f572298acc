"""Locate BER/DER elements in large CMS data without copying, and write DER headers.

asn1crypto copies each nesting level's contents when it parses, and `.native` of a BER
constructed OCTET STRING is quadratic, so a many-megabyte encrypted content would cost several
copies (or minutes). This reader only finds where elements start and end, over a memoryview;
every field that means something is still decoded by asn1crypto from its own small slice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from desktop_app.core.errors import UserFacingError

UNIVERSAL = 0
CONTEXT = 2

TAG_INTEGER = 2
TAG_OCTET_STRING = 4
TAG_OID = 6
TAG_SEQUENCE = 16
TAG_SET = 17

# Indefinite lengths nest one level per element; CMS needs about a dozen. The bound keeps
# hostile input (thousands of nested "30 80") from exhausting the stack or time.
MAX_DEPTH = 48
# Lengths above 2**32 - 1 cannot be real mail.
_MAX_LENGTH_OCTETS = 4
# Header reads allowed: a base for the structure plus one per 16 bytes of input.
_BASE_BUDGET = 1024
_BYTES_PER_ELEMENT = 16

MSG_BER_MALFORMED = "The data is not valid BER/DER."


class BerError(UserFacingError):
    """The bytes are not well-formed BER."""

    def __init__(self, detail: str) -> None:
        super().__init__(MSG_BER_MALFORMED)
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Tlv:
    """One element: where its identifier, contents and end are in the reader's buffer."""

    tag_class: int
    constructed: bool
    tag: int
    start: int
    content_start: int
    content_end: int  # end of the contents, before any end-of-contents octets
    end: int  # first offset after the element
    indefinite: bool

    def is_(self, tag_class: int, tag: int, *, constructed: bool | None = None) -> bool:
        """True if the element has this class and tag number (and form, when given)."""
        if constructed is not None and constructed != self.constructed:
            return False
        return self.tag_class == tag_class and self.tag == tag


class BerReader:
    """Reads TLVs from one buffer; remembers where indefinite-length elements end.

    Every header read spends from a budget proportional to the input size, so hostile input
    made of millions of tiny elements fails in bounded time rather than being walked. Real
    encoders write content segments of a kilobyte or more (OpenSSL -stream: 4096 bytes).
    """

    def __init__(self, data: bytes | bytearray | memoryview) -> None:
        self.view = memoryview(data).cast("B")
        self._ends: dict[int, int] = {}
        self._budget = _BASE_BUDGET + len(self.view) // _BYTES_PER_ELEMENT

    def element(self, offset: int = 0, limit: int | None = None, *, depth: int = 0) -> Tlv:
        """The element starting at ``offset``, which must end by ``limit``."""
        limit = len(self.view) if limit is None else limit
        identifier, tag, content_start, length = self._header(offset, limit, depth)
        constructed = bool(identifier & 0x20)
        if length < 0:
            content_end = self._find_eoc(content_start, limit, depth)
            end = content_end + 2
        else:
            content_end = end = content_start + length
        return Tlv(
            identifier >> 6, constructed, tag, offset, content_start, content_end, end, length < 0
        )

    def _header(self, offset: int, limit: int, depth: int) -> tuple[int, int, int, int]:
        """(identifier octet, tag number, contents offset, length or -1 if indefinite)."""
        self._budget -= 1
        if self._budget < 0:
            raise BerError("too many elements")
        if depth > MAX_DEPTH:
            raise BerError("nested too deeply")
        view = self.view
        if offset >= limit:
            raise BerError("truncated identifier")
        identifier = view[offset]
        tag = identifier & 0x1F
        pos = offset + 1
        if tag == 0x1F:
            tag = 0
            for count in range(4):
                if pos >= limit:
                    raise BerError("truncated tag")
                octet = view[pos]
                pos += 1
                if count == 0 and octet == 0x80:
                    raise BerError("tag number with a leading zero")
                tag = (tag << 7) | (octet & 0x7F)
                if not octet & 0x80:
                    break
            else:
                raise BerError("tag number too large")
        if pos >= limit:
            raise BerError("truncated length")
        length = view[pos]
        pos += 1
        if length == 0x80:
            if not identifier & 0x20:
                raise BerError("indefinite length on a primitive element")
            return identifier, tag, pos, -1
        if length & 0x80:
            count = length & 0x7F
            if count > _MAX_LENGTH_OCTETS:
                raise BerError("length too large")
            if pos + count > limit:
                raise BerError("truncated length")
            length = int.from_bytes(view[pos : pos + count], "big")
            pos += count
        if length > limit - pos:
            raise BerError("contents run past the end")
        return identifier, tag, pos, length

    def _find_eoc(self, pos: int, limit: int, depth: int) -> int:
        """Offset of the end-of-contents octets closing the element whose contents start at pos."""
        known = self._ends.get(pos)
        if known is not None:
            if known + 2 > limit:
                raise BerError("contents run past the end")
            return known
        start = pos
        view = self.view
        while True:
            if pos + 2 > limit:
                raise BerError("missing end-of-contents")
            if view[pos] == 0 and view[pos + 1] == 0:
                self._ends[start] = pos
                return pos
            # Step over the child; only nested indefinite children need a deeper walk.
            _, _, content_start, length = self._header(pos, limit, depth + 1)
            if length < 0:
                pos = self._find_eoc(content_start, limit, depth + 1) + 2
            else:
                pos = content_start + length

    def children(self, parent: Tlv, *, depth: int = 0) -> Iterator[Tlv]:
        """The elements inside a constructed element, in order."""
        if not parent.constructed:
            raise BerError("expected a constructed element")
        pos = parent.content_start
        while pos < parent.content_end:
            child = self.element(pos, parent.content_end, depth=depth + 1)
            yield child
            pos = child.end

    def octet_segments(self, tlv: Tlv, *, depth: int = 0) -> Iterator[tuple[int, int]]:
        """Where the bytes of an OCTET STRING (under any tag) are: (start, end) offsets.

        A constructed (BER) string holds OCTET STRING segments, possibly constructed again;
        OpenSSL's -stream writes one level. Offsets rather than views keep a list of
        thousands of segments small.
        """
        if depth > MAX_DEPTH:
            raise BerError("nested too deeply")
        if not tlv.constructed:
            yield tlv.content_start, tlv.content_end
            return
        for child in self.children(tlv, depth=depth):
            if not child.is_(UNIVERSAL, TAG_OCTET_STRING):
                raise BerError("a segment of a constructed OCTET STRING is not an OCTET STRING")
            yield from self.octet_segments(child, depth=depth + 1)

    def octet_chunks(self, tlv: Tlv) -> Iterator[memoryview]:
        """The bytes of an OCTET STRING (under any tag), segment by segment, as views."""
        view = self.view
        for start, end in self.octet_segments(tlv):
            yield view[start:end]

    def span(self, tlv: Tlv) -> bytes:
        """A copy of the whole element, for asn1crypto (use only for small elements)."""
        return bytes(self.view[tlv.start : tlv.end])


def der_length(length: int) -> bytes:
    """The DER length octets of ``length``."""
    if length < 0:
        raise ValueError("negative length")
    if length < 0x80:
        return bytes((length,))
    octets = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes((0x80 | len(octets),)) + octets


def der_header(identifier: int, length: int) -> bytes:
    """The DER identifier and length octets of an element with a one-octet tag."""
    if not 0 <= identifier <= 0xFF or identifier & 0x1F == 0x1F:
        raise ValueError("only one-octet identifiers are supported")
    return bytes((identifier,)) + der_length(length)


# What asn1crypto raises, lazily when a field is first read, for malformed input.
ASN1_READ_ERRORS = (ValueError, TypeError, KeyError, IndexError, OverflowError, RecursionError)


@contextmanager
def reported_as(make_error: Callable[[], UserFacingError]) -> Iterator[None]:
    """Turn any failure to read received ASN.1 inside the block into ``make_error()``."""
    try:
        yield
    except (BerError, *ASN1_READ_ERRORS) as exc:
        raise make_error() from exc


class FieldCursor:
    """Walks the fields of a SEQUENCE in order, as the ASN.1 module lists them."""

    def __init__(self, fields: list[Tlv]) -> None:
        self._fields = fields
        self._position = 0

    def take(self, tag_class: int, tag: int, *, optional: bool = False) -> Tlv | None:
        """The next field if it has this tag; None for an absent optional one."""
        if self._position < len(self._fields) and self._fields[self._position].is_(tag_class, tag):
            self._position += 1
            return self._fields[self._position - 1]
        if optional:
            return None
        raise BerError(f"expected tag {tag} (class {tag_class})")

    def finish(self) -> None:
        """Refuse fields after the last one the module lists."""
        if self._position != len(self._fields):
            raise BerError("unexpected field")
