"""Undo Content-Transfer-Encodings as mail readers do: leniently, never raising."""

from __future__ import annotations

import binascii
from typing import Final

# Every byte that is not in the base64 alphabet (readers skip them, as a2b_base64 does).
_NON_ALPHABET: Final = bytes(
    set(range(256)) - set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
)


def decode_body(body: bytes | memoryview, transfer_encoding: str) -> bytes:
    """The content of a body in base64, quoted-printable, 7bit, 8bit or binary.

    An unknown encoding is passed through unchanged (RFC 2045 6.4 lets readers treat the
    part as opaque data).
    """
    if transfer_encoding == "base64":
        return decode_base64(body)
    if transfer_encoding == "quoted-printable":
        return binascii.a2b_qp(bytes(body))
    return bytes(body)


def decode_base64(body: bytes | memoryview) -> bytes:
    """base64 with line breaks; damaged input yields what can be decoded."""
    try:
        # a2b_base64 skips line breaks and other non-alphabet bytes itself: one fast pass.
        return binascii.a2b_base64(body)
    except binascii.Error:
        pass
    # Wrong padding (missing, or a truncated last group): keep only the alphabet and
    # complete the last group, as Thunderbird and Outlook do.
    data = bytes(body).translate(None, delete=_NON_ALPHABET)
    if len(data) % 4 == 1:
        data = data[:-1]  # six bits cannot make a byte
    return binascii.a2b_base64(data + b"=" * (-len(data) % 4))
