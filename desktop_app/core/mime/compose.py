"""Build the inner MIME entity of an outgoing message: text, optional HTML, attachments.

The result is in canonical form (CRLF line ends only, 7-bit, lines under 78 characters),
ready to be signed: every body is quoted-printable or base64, so no relay can change it.
Attachment bodies are the bulk; their exact output size is known in advance, so the whole
entity is written once into a buffer of its final size rather than joined from copies.
"""

from __future__ import annotations

import functools
import hashlib
import mimetypes
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final

from desktop_app.core.messages import text
from desktop_app.core.mime.encode import (
    base64_length,
    base64_lines,
    base64_text,
    quoted_printable,
)
from desktop_app.core.mime.errors import (
    MimeError,
)
from desktop_app.core.mime.filenames import (
    clean_filename,
    encoded_word_parameter,
    filename_parameters,
    unique_names,
)
from desktop_app.core.mime.headers import is_content_type
from desktop_app.core.mime.source import ContentSource, exact_chunks
from desktop_app.core.sized_buffer import sized_buffer

OCTET_STREAM: Final = "application/octet-stream"
_LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")
_HIGH_BYTES: Final = bytes(range(0x80, 0x100))
_BASE64_ALPHABET: Final = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
# Types newer than Python's built-in table, and ones staff send (DICOM images).
_EXTRA_TYPES: Final = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".msg": "application/vnd.ms-outlook",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".rtf": "application/rtf",
    ".ics": "text/calendar",
    ".gz": "application/gzip",
    ".7z": "application/x-7z-compressed",
    ".webp": "image/webp",
    ".dcm": "application/dicom",
}


@functools.cache
def _types() -> dict[str, str]:
    # Python's built-in table only (MimeTypes() ignores the machine's mime.types files for
    # its own map), so the same name gives the same type on every desktop. Built on first
    # use: making it reads those files all the same, which a message without attachments
    # need not wait for.
    return {**mimetypes.MimeTypes().types_map[True], **_EXTRA_TYPES}


@dataclass(frozen=True)
class Attachment:
    """A file to attach. ``content_type`` None guesses it from the file name's extension.

    ``content`` is the bytes, or a source that reads them when the message is made (a
    large file, streamed: see ContentSource).
    """

    filename: str
    content: bytes | ContentSource
    content_type: str | None = None


@dataclass(frozen=True)
class InnerMessage:
    """What the user composed. Line breaks in the text may be LF, CRLF or CR."""

    text: str
    html: str | None = None
    attachments: tuple[Attachment, ...] = ()


def guess_content_type(filename: str) -> str:
    """The content type for a file name's extension; application/octet-stream if unknown."""
    _, dot, extension = filename.rpartition(".")
    return _types().get("." + extension.lower(), OCTET_STREAM) if dot else OCTET_STREAM


def build_inner_mime(message: InnerMessage, *, boundary_seed: bytes | None = None) -> bytes:
    """The message as one canonical MIME entity (headers and body), ready to be signed.

    Text only gives text/plain; with HTML, multipart/alternative; with attachments, a
    multipart/mixed whose first part is the text (or the alternative). ``boundary_seed``
    makes the boundaries reproducible (tests); by default they are random.

    Raises:
        MimeError: an attachment name with nothing usable left after cleaning, an invalid
            content type, or text that cannot be encoded (lone surrogates).
        ContentChangedError: an attachment's source gave other than its size in bytes.
    """
    entity = inner_mime(message, boundary_seed=boundary_seed)
    out = sized_buffer(entity.length)
    for chunk in entity.chunks():
        out.write(chunk)
    return out.getvalue()


@dataclass(frozen=True)
class _Body:
    """An attachment's content, base64-encoded as it is read."""

    content: bytes | ContentSource
    name: str

    def chunks(self) -> Iterator[bytes]:
        if isinstance(self.content, bytes | bytearray | memoryview):
            return base64_lines((self.content,))
        return base64_lines(exact_chunks(self.content, self.name))


@dataclass(frozen=True)
class InnerMime:
    """The entity of ``build_inner_mime``, made piece by piece each time it is read.

    Its ``length`` is known before any attachment is read; ``chunks()`` yields the same
    bytes on every call (a signed message is read twice), encoding the attachments as
    they are read, so no copy of a large attachment is ever held.
    """

    length: int
    _pieces: tuple[bytes | _Body, ...] = field(repr=False)

    def chunks(self) -> Iterator[bytes | memoryview]:
        """The entity's bytes in order.

        Raises:
            ContentChangedError: an attachment's source gave other than its size in bytes.
        """
        for piece in self._pieces:
            if isinstance(piece, bytes):
                yield piece
            else:
                yield from piece.chunks()

    def contains(self, needle: bytes) -> bool:
        """Whether ``needle`` occurs in the entity, for a needle with no line break and at
        least one byte outside the base64 alphabet (a boundary starting with "-").

        Such a needle cannot lie in an attachment's base64 lines, nor reach into them: they
        hold only base64 and CRLF, and a line break precedes and follows them. So the
        attachments are not read.
        """
        if b"\r" in needle or b"\n" in needle or not needle.translate(None, _BASE64_ALPHABET):
            raise ValueError("only a needle that base64 lines cannot hold can be looked for")
        # A line break stands for each attachment's lines: the needle cannot span it.
        literal = b"".join(p if isinstance(p, bytes) else b"\n" for p in self._pieces)
        return needle in literal


def inner_mime(message: InnerMessage, *, boundary_seed: bytes | None = None) -> InnerMime:
    """Like ``build_inner_mime``, but the entity is made as it is read (see InnerMime).

    Raises:
        MimeError: as ``build_inner_mime``; no attachment is read here.
    """
    seed = os.urandom(16) if boundary_seed is None else boundary_seed
    body = _text_part(message.text, "plain")
    if message.html is not None:
        boundary = _boundary(seed, "alt")
        body = _multipart("alternative", boundary, [body, _text_part(message.html, "html")])
    if not message.attachments:
        return InnerMime(len(body), (body,))
    heads = _attachment_heads(message.attachments)
    boundary = _boundary(seed, "mix")
    head = f'Content-Type: multipart/mixed;\r\n boundary="{boundary}"\r\n\r\n'.encode("ascii")
    delimiter = f"\r\n--{boundary}\r\n".encode("ascii")
    # The first delimiter starts the body: no line break before it.
    opening = head + delimiter[2:] + body
    pieces: list[bytes | _Body] = [opening]
    length = len(opening)
    for part_head, attachment in zip(heads, message.attachments, strict=True):
        pieces += [delimiter + part_head, _Body(attachment.content, attachment.filename)]
        length += len(delimiter + part_head) + base64_length(_content_size(attachment.content))
    closing = delimiter[:-2] + b"--\r\n"  # the close delimiter "\r\n--boundary--\r\n"
    pieces.append(closing)
    return InnerMime(length + len(closing), tuple(pieces))


def _content_size(content: bytes | ContentSource) -> int:
    """The number of bytes of an attachment's content."""
    if isinstance(content, bytes | bytearray | memoryview):
        return memoryview(content).nbytes
    return content.size


def _boundary(seed: bytes, kind: str) -> str:
    """A boundary that cannot occur in any part: "=_" never appears in base64 or in
    quoted-printable output, and header lines start with a field name or a space. The two
    kinds differ at their third character, so neither is a prefix of the other."""
    digest = hashlib.sha256(kind.encode("ascii") + b"\0" + seed).hexdigest()[:32]
    return f"=_{kind}_{digest}"


def _text_part(body: str, subtype: str) -> bytes:
    try:
        raw = _LINE_BREAK.sub("\r\n", body).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise MimeError(text("mime.text_not_encodable")) from exc
    high = len(raw) - len(raw.translate(None, _HIGH_BYTES))
    # Quoted-printable stays readable for Latin text; base64 is smaller when more than a
    # sixth of the bytes would need a three-character escape (Greek, Cyrillic, CJK).
    if high * 6 > len(raw):
        encoding, encoded = "base64", base64_text(raw)
    else:
        encoding, encoded = "quoted-printable", quoted_printable(raw)
    head = (
        f"Content-Type: text/{subtype}; charset=utf-8\r\n"
        f"Content-Transfer-Encoding: {encoding}\r\n\r\n"
    )
    return head.encode("ascii") + encoded


def _multipart(subtype: str, boundary: str, parts: list[bytes]) -> bytes:
    head = f'Content-Type: multipart/{subtype};\r\n boundary="{boundary}"\r\n\r\n'
    pieces = [head.encode("ascii")]
    for part in parts:
        pieces += [f"--{boundary}\r\n".encode("ascii"), part, b"\r\n"]
    pieces.append(f"--{boundary}--\r\n".encode("ascii"))
    return b"".join(pieces)


def _attachment_heads(attachments: tuple[Attachment, ...]) -> list[bytes]:
    """The header section of each attachment part, names cleaned and made distinct."""
    names = []
    for attachment in attachments:
        name = clean_filename(attachment.filename)
        if not name:
            raise MimeError(text("mime.empty_filename", original=attachment.filename))
        names.append(name)
    heads = []
    for name, attachment in zip(unique_names(names), attachments, strict=True):
        content_type = _content_type(attachment, name)
        type_params = ";\r\n ".join([content_type, *encoded_word_parameter("name", name)])
        disposition = ";\r\n ".join(["attachment", *filename_parameters("filename", name)])
        heads.append(
            f"Content-Type: {type_params}\r\n"
            f"Content-Disposition: {disposition}\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n".encode("ascii")
        )
    return heads


def _content_type(attachment: Attachment, name: str) -> str:
    if attachment.content_type is None:
        content_type = guess_content_type(name)
    else:
        content_type = attachment.content_type.strip().lower()
        if not is_content_type(content_type):
            raise MimeError(text("mime.bad_content_type", content_type=attachment.content_type))
    if content_type.startswith(("message/", "multipart/")):
        # RFC 2046 forbids base64 for these, and only base64 keeps a signed file exact;
        # as opaque data the file still opens by its extension (.eml).
        return OCTET_STREAM
    return content_type
