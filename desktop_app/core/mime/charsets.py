"""Turning received bytes into text when the declared charset is wrong, unknown or missing."""

from __future__ import annotations

from typing import Final

# Labels that senders use for text that is really windows-1252, which only adds printable
# characters in 0x80-0x9F; browsers decode them so too (WHATWG Encoding Standard).
_WINDOWS_1252_LABELS: Final = frozenset(
    {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp1252"}
)
# A charset name longer than this is not a charset; it is not even looked up.
_MAX_LABEL: Final = 40


def decode_text(raw: bytes, charset: str | None) -> str:
    """Decode ``raw`` as ``charset``, falling back to UTF-8 and then windows-1252.

    Never raises: undecodable bytes become U+FFFD, so a mislabelled part is still shown.
    """
    label = (charset or "").strip().strip('"').lower()
    if label in _WINDOWS_1252_LABELS:
        return _windows_1252(raw)
    if label and len(label) <= _MAX_LABEL and label not in ("unknown-8bit", "x-unknown"):
        try:
            return raw.decode(label, errors="replace")
        except (LookupError, ValueError, TypeError):
            # Unknown names, and codecs that are not text encodings (base64, rot13, ...).
            pass
    return decode_guess(raw)


def decode_guess(raw: bytes) -> str:
    """UTF-8 if the bytes are valid UTF-8, else windows-1252 (what Outlook writes raw)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return _windows_1252(raw)


def _windows_1252(raw: bytes) -> str:
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        # Five bytes are unassigned in windows-1252; ISO 8859-1 maps every byte.
        return raw.decode("latin-1")
