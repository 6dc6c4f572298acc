"""multipart/signed (RFC 1847, RFC 8551 3.5.3): wrap a detached signature, and take one apart."""

from __future__ import annotations

import binascii
import email.policy
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from email.parser import BytesHeaderParser
from typing import Final

from desktop_app.core.messages import text
from desktop_app.core.smime.signature_algorithms import HASHES
from desktop_app.core.smime.signature_errors import (
    SignatureError,
)
from desktop_app.core.smime.signature_parse import malformed_signature, parse_signed_data

SIGNATURE_FILENAME: Final = "smime.p7s"
SIGNATURE_PROTOCOLS: Final = ("application/pkcs7-signature", "application/x-pkcs7-signature")
_LINE_BYTES: Final = 57  # input bytes per 76-character base64 line (RFC 2045 limit)
# RFC 2046 5.1.1: 1 to 70 characters from this set, not ending in a space.
_BOUNDARY: Final = re.compile(r"[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]")
_BLANK_LINE: Final = re.compile(rb"\n\r?\n")  # ends the header section (CRLF or LF)


def multipart_signed(
    inner_mime: bytes, signature_der: bytes, *, boundary: str | None = None
) -> bytes:
    """A multipart/signed entity: ``inner_mime`` exactly as given, then the signature.

    The result starts with its Content-Type header and uses CRLF line ends; the caller adds
    the message headers (From, To, Subject, MIME-Version) in front. ``micalg`` names the
    hash of each SignerInfo, as RFC 8551 3.5.3.2 asks.

    Raises:
        ValueError: ``boundary`` is not a valid boundary or occurs in ``inner_mime``.
        SignatureError: ``signature_der`` is not a SignedData.
    """
    if boundary is None:
        boundary = fresh_signed_boundary(lambda needle: needle in inner_mime)
    elif not _BOUNDARY.fullmatch(boundary) or f"--{boundary}".encode() in inner_mime:
        raise ValueError("the boundary is not valid or occurs in the signed entity")
    head, tail = multipart_signed_frame(signature_der, boundary)
    return head + inner_mime + tail


def multipart_signed_frame(signature_der: bytes, boundary: str) -> tuple[bytes, bytes]:
    """What goes before and after the signed entity in ``multipart_signed``, for a caller
    that streams the entity between them. ``boundary`` must not occur in the entity.

    Raises:
        ValueError: ``boundary`` is not a valid boundary.
        SignatureError: ``signature_der`` is not a SignedData.
    """
    return multipart_signed_head(micalg_of(signature_der), boundary), multipart_signed_tail(
        signature_der, boundary
    )


def multipart_signed_head(micalg: str, boundary: str) -> bytes:
    """The part of ``multipart_signed_frame`` before the signed entity: it needs only the
    hash names (``micalg``), not the signature.

    Raises:
        ValueError: ``boundary`` is not a valid boundary.
    """
    if not _BOUNDARY.fullmatch(boundary):
        raise ValueError("the boundary is not valid")
    return (
        'Content-Type: multipart/signed; protocol="application/pkcs7-signature";\r\n'
        f' micalg={micalg}; boundary="{boundary}"\r\n'
        "\r\n"
        "This is an S/MIME signed message.\r\n"
        f"--{boundary}\r\n"
    ).encode("ascii")


def multipart_signed_tail(signature_der: bytes, boundary: str) -> bytes:
    """The part of ``multipart_signed_frame`` after the signed entity: the signature part
    and the close delimiter. Its length depends only on the signature's length."""
    signature_part = (
        f"\r\n--{boundary}\r\n"
        f"Content-Type: application/pkcs7-signature; name={SIGNATURE_FILENAME}\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        f"Content-Disposition: attachment; filename={SIGNATURE_FILENAME}\r\n"
        "\r\n"
    ).encode("ascii")
    lines = [
        binascii.b2a_base64(signature_der[offset : offset + _LINE_BYTES], newline=False)
        for offset in range(0, len(signature_der), _LINE_BYTES)
    ]
    tail = b"\r\n".join(lines) + f"\r\n\r\n--{boundary}--\r\n".encode("ascii")
    return signature_part + tail


def fresh_signed_boundary(occurs: Callable[[bytes], bool]) -> str:
    """A new random boundary for multipart/signed; ``occurs`` tells whether a byte string
    occurs in the signed entity (the boundary starts with "-" and has no line break)."""
    while True:  # a clash with 128 random bits is not expected, but costs nothing to rule out
        boundary = f"----=_smime_{secrets.token_hex(16)}"
        if not occurs(boundary.encode("ascii")):
            return boundary


def micalg_of(signature_der: bytes) -> str:
    """The micalg parameter for a SignedData: the hash name of each SignerInfo.

    Raises:
        SignatureError: ``signature_der`` is not a SignedData.
    """
    parsed = parse_signed_data(signature_der)
    with malformed_signature():
        names = dict.fromkeys(
            HASHES[info["digest_algorithm"]["algorithm"].dotted].micalg
            for info in parsed.signer_infos
        )
    return ",".join(names)


@dataclass(frozen=True)
class SignedParts:
    """The two parts of a multipart/signed entity."""

    signed: bytes  # the first part's bytes exactly as received: what the signature covers
    signature: bytes  # DER of the CMS SignedData from the second part


def split_multipart_signed(entity: bytes) -> SignedParts:
    """The signed bytes and the signature of a multipart/signed entity (headers and body).

    The first part is sliced from the raw bytes: after the line break ending the first
    delimiter line, up to the line break before the next one (RFC 1847 2.1). Parsing it
    with the email package would turn CRLF into LF and break the signature. Accepts the
    legacy application/x-pkcs7-signature, CRLF or bare LF line ends, and ignores a preamble
    and epilogue.

    Raises:
        SignatureError: not multipart/signed with an S/MIME signature, or damaged.
    """
    blank = _BLANK_LINE.search(entity)
    if blank is None:
        raise SignatureError(text("signature.parts_missing"))
    headers = _headers(entity[: blank.start() + 1])
    content_type = headers.get_content_type()
    if content_type != "multipart/signed":
        raise SignatureError(text("signature.not_multipart_signed", content_type=content_type))
    protocol = str(headers.get_param("protocol", "") or "").strip().lower()
    if protocol not in SIGNATURE_PROTOCOLS:
        raise SignatureError(text("signature.not_cms_protocol", protocol=protocol or "(none)"))
    boundary = headers.get_boundary()
    if not boundary:
        raise SignatureError(text("signature.parts_missing"))
    body = entity[blank.end() :]
    delimiters = list(_delimiters(body, boundary.encode("ascii", "replace")))
    if len(delimiters) < 3:
        raise SignatureError(text("signature.parts_missing"))
    (_, first_end), (second_start, second_end), (third_start, _) = delimiters[:3]
    signed = body[first_end:second_start]
    return SignedParts(signed, _signature(body[second_end:third_start]))


def _headers(block: bytes) -> Message:
    return BytesHeaderParser(policy=email.policy.compat32).parsebytes(block)


def _delimiters(body: bytes, boundary: bytes) -> list[tuple[int, int]]:
    """(start of the line break before, end of the line) of each delimiter line, in order."""
    pattern = re.compile(rb"(?:^|\r?\n)--" + re.escape(boundary) + rb"(?:--)?[ \t]*(?:\r?\n|$)")
    found = []
    position = 0
    while (match := pattern.search(body, position)) is not None:
        found.append((match.start(), match.end()))
        position = max(match.end(), match.start() + 1)
        if len(found) == 3:  # preamble delimiter, the one between the parts, the closing one
            break
    return found


def _signature(part: bytes) -> bytes:
    blank = _BLANK_LINE.search(part)
    if blank is None or (part[:2] in (b"\r\n", b"\n")):
        raise SignatureError(text("signature.parts_missing"))
    headers = _headers(part[: blank.start() + 1])
    content_type = headers.get_content_type()
    if content_type not in SIGNATURE_PROTOCOLS:
        raise SignatureError(text("signature.part_type", content_type=content_type))
    encoding = str(headers.get("Content-Transfer-Encoding", "7bit")).strip().lower()
    if encoding != "base64":
        raise SignatureError(text("signature.not_base64", encoding=encoding))
    try:
        der = binascii.a2b_base64(part[blank.end() :])
    except binascii.Error as exc:
        raise SignatureError(text("signature.bad_base64")) from exc
    if not der:
        raise SignatureError(text("signature.bad_base64"))
    return der
