"""Build the inner MIME entity of an outgoing message: text, optional HTML, attachments.

The result is in canonical form (CRLF line ends only, 7-bit, lines under 78 characters),
ready to be signed: every body is quoted-printable or base64, so no relay can change it.
Attachment bodies are the bulk; their exact output size is known in advance, so the whole
entity is written once into a buffer of its final size rather than joined from copies.
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
import os
import re
from dataclasses import dataclass
from typing import Final

from desktop_app.core.messages import text
from desktop_app.core.mime.encode import base64_length, base64_text, quoted_printable, write_base64
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

OCTET_STREAM: Final = "application/octet-stream"
_LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")
_HIGH_BYTES: Final = bytes(range(0x80, 0x100))
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
# Python's built-in table only (MimeTypes() ignores the machine's mime.types files for its
# own map), so the same name gives the same type on every desktop.
_TYPES: Final = {**mimetypes.MimeTypes().types_map[True], **_EXTRA_TYPES}


@dataclass(frozen=True)
class Attachment:
    """A file to attach. ``content_type`` None guesses it from the file name's extension."""

    filename: str
    content: bytes
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
    return _TYPES.get("." + extension.lower(), OCTET_STREAM) if dot else OCTET_STREAM


def build_inner_mime(message: InnerMessage, *, boundary_seed: bytes | None = None) -> bytes:
    """The message as one canonical MIME entity (headers and body), ready to be signed.

    Text only gives text/plain; with HTML, multipart/alternative; with attachments, a
    multipart/mixed whose first part is the text (or the alternative). ``boundary_seed``
    makes the boundaries reproducible (tests); by default they are random.

    Raises:
        MimeError: an attachment name with nothing usable left after cleaning, an invalid
            content type, or text that cannot be encoded (lone surrogates).
    """
    seed = os.urandom(16) if boundary_seed is None else boundary_seed
    body = _text_part(message.text, "plain")
    if message.html is not None:
        boundary = _boundary(seed, "alt")
        body = _multipart("alternative", boundary, [body, _text_part(message.html, "html")])
    if not message.attachments:
        return body
    heads = _attachment_heads(message.attachments)
    boundary = _boundary(seed, "mix")
    head = f'Content-Type: multipart/mixed;\r\n boundary="{boundary}"\r\n\r\n'.encode("ascii")
    delimiter = f"\r\n--{boundary}\r\n".encode("ascii")
    total = len(head) + len(delimiter) - 2 + len(body) + len(delimiter) * len(heads)
    for part_head, attachment in zip(heads, message.attachments, strict=True):
        total += len(part_head) + base64_length(len(attachment.content))
    total += len(delimiter) + 2  # the close delimiter "\r\n--boundary--\r\n"
    out = _sized_buffer(total)
    out.write(head)
    out.write(delimiter[2:])  # the first delimiter starts the body: no line break before it
    out.write(body)
    for part_head, attachment in zip(heads, message.attachments, strict=True):
        out.write(delimiter)
        out.write(part_head)
        write_base64(attachment.content, out)
    out.write(delimiter[:-2] + b"--\r\n")
    return out.getvalue()


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


def _sized_buffer(size: int) -> io.BytesIO:
    """A BytesIO already grown to ``size`` bytes, so writing never reallocates and
    getvalue() hands the buffer over without a copy."""
    out = io.BytesIO()
    if size:
        out.seek(size - 1)
        out.write(b"\0")
        out.seek(0)
    return out
