"""Content-Transfer-Encodings for outgoing parts, safe for signing (RFC 8551 3.1.1, 3.1.3)."""

from __future__ import annotations

import binascii
import functools
import io
import re
import struct
from collections.abc import Callable, Iterable, Iterator
from typing import Final, Protocol

import pybase64

LINE_BYTES: Final = 57  # input bytes per 76-character base64 line (RFC 2045 limit)
_LINE_CHARS: Final = 76
_BLOCK_LINES: Final = 1024
BLOCK_BYTES: Final = LINE_BYTES * _BLOCK_LINES

# Quoted-printable: bytes that are written as themselves; everything else becomes =XX.
_QP_ESCAPE: Final = re.compile(rb"[^\x21-\x3c\x3e-\x7e \t]+")
# "From " at a line start is mangled to ">From " by mbox-based relays, which breaks the
# signature; escaping its F wherever it occurs keeps it off every line start, soft breaks
# included.
_QP_FROM: Final = re.compile(rb"F(?=rom )")
_QP_MAX_LINE: Final = 76


class BinarySink(Protocol):
    """Anything with a binary ``write``: an open file, ``io.BytesIO``."""

    def write(self, data: bytes, /) -> object: ...


def _escape(match: re.Match[bytes]) -> bytes:
    # A whole run at once: one call per run rather than per byte (a UTF-8 character is
    # two to four bytes).
    return b"=" + binascii.hexlify(match.group(), b"=").upper()


def quoted_printable(data: bytes) -> bytes:
    """Quoted-printable of text whose line breaks are CRLF (kept as hard line breaks).

    Lines of at most 76 characters, no trailing space or tab (relays strip it), no line
    starting with "From " or "." (SMTP and mbox mangle them), only ASCII: the encoded text
    survives any transport byte for byte, which a signature needs.
    """
    out = []
    for line in data.split(b"\r\n"):
        encoded = _QP_FROM.sub(b"=46", _QP_ESCAPE.sub(_escape, line))
        if encoded[-1:] in (b" ", b"\t"):
            encoded = encoded[:-1] + b"=%02X" % encoded[-1]
        if encoded[:1] == b".":
            encoded = b"=2E" + encoded[1:]
        out.append(_soft_wrap(encoded))
    return b"\r\n".join(out)


def _soft_wrap(line: bytes) -> bytes:
    """Split an encoded line into pieces of at most 75 characters plus "=" (a soft break),
    never inside an =XX escape, never leaving a "." to start a piece."""
    if len(line) <= _QP_MAX_LINE:
        return line
    pieces = []
    pos = 0
    while len(line) - pos > _QP_MAX_LINE:
        cut = pos + _QP_MAX_LINE - 1
        escape = line.rfind(b"=", cut - 2, cut)
        if escape >= 0:
            cut = escape
        if line[cut : cut + 1] == b".":
            cut -= 1  # a lone "." piece would end the SMTP DATA phase on some relays
        pieces.append(line[pos:cut] + b"=")
        pos = cut
    pieces.append(line[pos:])
    return b"\r\n".join(pieces)


def base64_length(size: int) -> int:
    """Length of ``size`` bytes as base64 in 76-character CRLF-terminated lines."""
    lines = -(-size // LINE_BYTES)
    return -(-size // 3) * 4 + 2 * lines


def write_base64(data: bytes | memoryview, out: BinarySink) -> None:
    """Write ``data`` as base64 in 76-character lines, each ending in CRLF, to ``out``."""
    for piece in base64_lines((data,)):
        out.write(piece)


def base64_lines(chunks: Iterable[bytes | memoryview]) -> Iterator[bytes]:
    """The bytes of ``chunks``, in order, as base64 in 76-character CRLF-terminated lines.

    The chunks may be of any size (a file read piece by piece); yields pieces of about
    80 kB, so a large attachment is encoded without ever being held whole. Each chunk is
    used before the next is requested, so a reader may hand out the same buffer again.
    """
    carry = b""  # fewer than BLOCK_BYTES bytes left over from the chunks so far
    for chunk in chunks:
        view = memoryview(chunk).cast("B")
        if carry:
            need = BLOCK_BYTES - len(carry)
            if len(view) < need:
                carry += view
                continue
            yield whole_base64_lines(carry + view[:need])
            view = view[need:]
            carry = b""
        whole = len(view) - len(view) % BLOCK_BYTES
        for offset in range(0, whole, BLOCK_BYTES):
            yield whole_base64_lines(view[offset : offset + BLOCK_BYTES])
        carry = bytes(view[whole:])
    lines = [
        binascii.b2a_base64(carry[offset : offset + LINE_BYTES], newline=False)
        for offset in range(0, len(carry), LINE_BYTES)
    ]
    if lines:
        yield b"\r\n".join((*lines, b""))


@functools.lru_cache(maxsize=16)
def _line_splitter(lines: int) -> Callable[[bytes], tuple[bytes, ...]]:
    # Splitting base64 into lines with one C call: a Python loop over the lines of a large
    # attachment costs more than the encoding itself. Blocks come in few distinct sizes,
    # so few of these are ever made.
    return struct.Struct(f"{_LINE_CHARS}s" * lines).unpack


def whole_base64_lines(data: bytes | memoryview) -> bytes:
    """``data`` (a multiple of 57 bytes) as 76-character base64 lines, each ending in CRLF."""
    # pybase64 encodes with SIMD, some 25 times faster than binascii here: the base64 of
    # a large attachment was the biggest single cost of sealing it.
    encoded = pybase64.b64encode(data)
    return b"\r\n".join((*_line_splitter(len(encoded) // _LINE_CHARS)(encoded), b""))


def base64_text(data: bytes) -> bytes:
    """``data`` as base64 lines; for the small text parts."""
    out = io.BytesIO()
    write_base64(data, out)
    return out.getvalue()
