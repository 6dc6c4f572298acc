"""S/MIME MIME wrapping of CMS envelopes (RFC 8551 3.3): headers, base64 lines, and back."""

from __future__ import annotations

import binascii
import email.policy
import re
from collections.abc import Mapping
from email.parser import BytesHeaderParser
from typing import Final

from desktop_app.core.messages import text
from desktop_app.core.mime.encode import (
    BLOCK_BYTES,
    LINE_BYTES,
    BinarySink,
    base64_length,
    whole_base64_lines,
)
from desktop_app.core.sized_buffer import sized_buffer
from desktop_app.core.smime.envelope_seal import PreparedEnvelope
from desktop_app.core.smime.errors import (
    EnvelopeError,
)
from desktop_app.core.smime.outer_headers import folded_header_lines

SMIME_FILENAME: Final = "smime.p7m"
SMIME_MIME_TYPES: Final = ("application/pkcs7-mime", "application/x-pkcs7-mime")
# Set by the wrapper itself; a caller giving them would make a second, conflicting copy.
_RESERVED_HEADERS: Final = frozenset(
    {"content-type", "content-transfer-encoding", "content-disposition"}
)

# The first empty line ends the header section (CRLF or bare LF line ends).
_BLANK_LINE: Final = re.compile(rb"\n\r?\n")


class Base64LineWriter:
    """Writes base64 in 76-character CRLF-terminated lines to a sink, as data arrives.

    Usable as the sink of ``seal_envelope_into``; call ``close()`` to write the last line.
    Each write is encoded at once, up to its last whole line; only the bytes of a partial
    line (under 57) wait for the next, so no large piece is ever copied to be joined.
    """

    def __init__(self, sink: BinarySink) -> None:
        self._sink = sink
        self._pending = b""  # fewer than LINE_BYTES bytes not yet encoded

    def write(self, data: bytes | bytearray | memoryview) -> int:
        view = memoryview(data).cast("B")
        size = len(view)
        if self._pending:
            need = LINE_BYTES - len(self._pending)
            if size < need:
                self._pending += view
                return size
            self._sink.write(whole_base64_lines(self._pending + view[:need]))
            view = view[need:]
            self._pending = b""
        whole = len(view) - len(view) % LINE_BYTES
        for offset in range(0, whole, BLOCK_BYTES):
            self._sink.write(whole_base64_lines(view[offset : min(offset + BLOCK_BYTES, whole)]))
        self._pending = bytes(view[whole:])
        return size

    def close(self) -> None:
        """Encode what is left, as a shorter line."""
        pending, self._pending = self._pending, b""
        if pending:
            self._sink.write(binascii.b2a_base64(pending, newline=False) + b"\r\n")


def mime_header_block(*, auth: bool, headers: Mapping[str, str]) -> bytes:
    """The header section of an S/MIME envelope message, up to and including the blank line.

    ``headers`` (From, To, Subject, ...) come first, folded and RFC 2047-encoded as needed;
    MIME-Version is added unless given. ``auth`` selects smime-type=authEnveloped-data (GCM).

    Raises:
        EnvelopeError: a header value contains a line break (header injection).
        ValueError: a header name is not a valid field name, or is one the wrapper sets.
    """
    for name in headers:
        if name.lower() in _RESERVED_HEADERS:
            raise ValueError(f"{name} is set by the S/MIME wrapper")
    lines = [folded_header_lines(headers)]
    if not any(name.lower() == "mime-version" for name in headers):
        lines.append(b"MIME-Version: 1.0\r\n")
    smime_type = "authEnveloped-data" if auth else "enveloped-data"
    lines.append(
        f"Content-Type: application/pkcs7-mime; smime-type={smime_type};\r\n"
        f' name="{SMIME_FILENAME}"\r\n'
        f'Content-Disposition: attachment; filename="{SMIME_FILENAME}"\r\n'
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n".encode("ascii")
    )
    return b"".join(lines)


def sealed_mime(envelope: PreparedEnvelope, *, auth: bool, headers: Mapping[str, str]) -> bytes:
    """Like ``envelope_to_mime``, but the DER is encrypted straight into the base64 form.

    The message is the only large allocation: no content-sized DER is held beside it.
    """
    head = mime_header_block(auth=auth, headers=headers)
    out = sized_buffer(len(head) + base64_length(envelope.length))
    _write_sealed(envelope, head, out)
    return out.getvalue()


def write_sealed_mime(
    envelope: PreparedEnvelope, sink: BinarySink, *, auth: bool, headers: Mapping[str, str]
) -> None:
    """Like ``sealed_mime``, but the message goes to ``sink`` (a file) as it is made."""
    _write_sealed(envelope, mime_header_block(auth=auth, headers=headers), sink)


def _write_sealed(envelope: PreparedEnvelope, head: bytes, sink: BinarySink) -> None:
    sink.write(head)
    writer = Base64LineWriter(sink)
    envelope.write_to(writer)
    writer.close()


def envelope_to_mime(
    der: bytes | bytearray | memoryview,
    *,
    auth: bool,
    headers: Mapping[str, str],
) -> bytes:
    """A complete S/MIME message: headers, then the envelope as base64 with CRLF line ends."""
    head = mime_header_block(auth=auth, headers=headers)
    out = sized_buffer(len(head) + base64_length(memoryview(der).nbytes))
    out.write(head)
    writer = Base64LineWriter(out)
    writer.write(der)
    writer.close()
    return out.getvalue()


def mime_to_envelope(eml: bytes | bytearray | memoryview) -> bytes:
    """The DER envelope inside a single-part S/MIME message.

    Accepts application/pkcs7-mime and the legacy application/x-pkcs7-mime, whatever the
    smime-type (the CMS content type decides, as in OpenSSL), in base64; CRLF or LF lines.

    Raises:
        EnvelopeError: another content type, another transfer encoding, or bad base64.
    """
    data = eml if isinstance(eml, bytes) else bytes(eml)
    blank_line = _BLANK_LINE.search(data)
    if blank_line is None:
        raise EnvelopeError(text("envelope.no_body"))
    # Parse only the header section: the email parser walks the body line by line, which is
    # slow for megabytes of base64 that a2b_base64 decodes in one call.
    message = BytesHeaderParser(policy=email.policy.compat32).parsebytes(
        data[: blank_line.start() + 1]
    )
    content_type = message.get_content_type()
    if content_type not in SMIME_MIME_TYPES:
        raise EnvelopeError(text("envelope.not_smime_mime", content_type=content_type))
    encoding = str(message.get("Content-Transfer-Encoding", "7bit")).strip().lower()
    if encoding != "base64":
        raise EnvelopeError(text("envelope.not_base64", encoding=encoding))
    try:
        # a2b_base64 skips the line breaks (and any other non-alphabet octets) itself.
        der = binascii.a2b_base64(memoryview(data)[blank_line.end() :])
    except binascii.Error as exc:
        raise EnvelopeError(text("envelope.bad_base64")) from exc
    if not der:
        raise EnvelopeError(text("envelope.no_body"))
    return der
