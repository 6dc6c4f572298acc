"""Attachment file names: cleaning them, and writing them so every mail client reads them."""

from __future__ import annotations

import binascii
import re
import unicodedata
from typing import Final

# Control characters, format characters (bidi overrides such as U+202E make "xyz\u202egpj.exe"
# read as "xyzexe.jpg"), surrogates, line and paragraph separators: none belongs in a name.
_DROPPED_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
# Characters Windows forbids in file names, replaced so a saved file keeps its name.
_WINDOWS_RESERVED: Final = str.maketrans({c: "_" for c in '<>:"|?*'})
_MAX_LENGTH: Final = 255
# RFC 2231 attribute-char: what may stay unescaped in an extended parameter value.
_ATTRIBUTE_CHAR: Final = re.compile(rb"[!#$&+\-.0-9A-Z^_`a-z|~]")
# Encoded sections of at most this many characters keep header lines under 78 characters.
_SECTION_CHARS: Final = 60
_WORD_BYTES: Final = 36  # 48 base64 characters per RFC 2047 encoded word


def clean_filename(name: str) -> str:
    """The last path component of ``name``, without control and format characters or
    characters Windows refuses, NFC-normalised, trimmed; "" if nothing usable is left."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in _DROPPED_CATEGORIES)
    name = unicodedata.normalize("NFC", name).translate(_WINDOWS_RESERVED)
    # Windows drops trailing dots and spaces; leading spaces only hide the name. Any mix of
    # dots and white space (a no-break space too) goes from the end, so that the reader,
    # cleaning the name again, arrives at the same name the sender wrote.
    name = name.lstrip()
    end = len(name)
    while end and (name[end - 1] == "." or name[end - 1].isspace()):
        end -= 1
    name = name[:end]
    if name in ("", ".", ".."):
        return ""
    if len(name) > _MAX_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 16:
            return stem[: _MAX_LENGTH - len(extension) - 1] + "." + extension
        return name[:_MAX_LENGTH]
    return name


def unique_names(names: list[str]) -> list[str]:
    """The names, with " (2)", " (3)", ... added before the extension of repeats.

    Compared without case, as Windows and macOS file systems compare: receivers that save
    or list attachments by name would otherwise show one file under another's name.
    """
    taken = {name.casefold() for name in names}
    seen: set[str] = set()
    out = []
    for name in names:
        candidate = name
        if name.casefold() in seen:
            stem, dot, extension = name.rpartition(".")
            if not dot or not stem:
                stem, dot, extension = name, "", ""
            number = 2
            while candidate.casefold() in taken:
                candidate = f"{stem} ({number}){dot}{extension}"
                number += 1
            taken.add(candidate.casefold())
        seen.add(candidate.casefold())
        out.append(candidate)
    return out


def quote(value: str) -> str:
    """An RFC 2045 quoted-string."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def filename_parameters(attribute: str, name: str) -> list[str]:
    """``attribute``="name" for short ASCII names; RFC 2231 ``attribute*``=utf-8''... for
    others, split into numbered sections when long so that no header line passes 78
    characters."""
    if name.isascii() and len(name) <= _SECTION_CHARS:
        return [f"{attribute}={quote(name)}"]
    encoded = "".join(
        chr(byte) if _ATTRIBUTE_CHAR.fullmatch(bytes((byte,))) else f"%{byte:02X}"
        for byte in name.encode("utf-8")
    )
    value = "utf-8''" + encoded
    if len(value) <= _SECTION_CHARS:
        return [f"{attribute}*={value}"]
    sections = []
    pos = 0
    while pos < len(value):
        cut = min(pos + _SECTION_CHARS, len(value))
        # Never split a %XX escape.
        if value.rfind("%", cut - 2, cut) >= 0:
            cut = value.rfind("%", cut - 2, cut)
        sections.append(value[pos:cut])
        pos = cut
    return [f"{attribute}*{number}*={section}" for number, section in enumerate(sections)]


def encoded_word_parameter(attribute: str, name: str) -> list[str]:
    """``attribute``="=?utf-8?B?...?=" for non-ASCII names: not standard in parameters, but
    what Outlook writes and reads in Content-Type's name. Long names become several words
    separated by folding space, which readers drop between encoded words."""
    if name.isascii() and len(name) <= _SECTION_CHARS:
        return [f"{attribute}={quote(name)}"]
    raw = name.encode("utf-8")
    words = []
    pos = 0
    while pos < len(raw):
        cut = min(pos + _WORD_BYTES, len(raw))
        while cut < len(raw) and (raw[cut] & 0xC0) == 0x80:
            cut -= 1  # an encoded word must hold whole characters (RFC 2047 5)
        chunk = binascii.b2a_base64(raw[pos:cut], newline=False).decode("ascii")
        words.append(f"=?utf-8?B?{chunk}?=")
        pos = cut
    return [f'{attribute}="' + "\r\n ".join(words) + '"']


def generated_name(number: int, content_type: str) -> str:
    """A safe name for a part that carries none: attachment-1.bin, attachment-2.png, ..."""
    return f"attachment-{number}{_EXTENSIONS.get(content_type, '.bin')}"


_EXTENSIONS: Final = {
    "text/plain": ".txt",
    "text/html": ".html",
    "text/calendar": ".ics",
    "text/csv": ".csv",
    "application/pdf": ".pdf",
    "application/zip": ".zip",
    "application/xml": ".xml",
    "text/xml": ".xml",
    "message/rfc822": ".eml",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/bmp": ".bmp",
    "image/tiff": ".tif",
    "image/webp": ".webp",
    "image/svg+xml": ".svg",
    "audio/mpeg": ".mp3",
    "video/mp4": ".mp4",
}
