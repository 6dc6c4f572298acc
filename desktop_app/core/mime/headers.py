"""Reading MIME header fields: unfolding, parameters (RFC 2045, RFC 2231), encoded words."""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from desktop_app.core.messages import text
from desktop_app.core.mime.charsets import decode_guess, decode_text
from desktop_app.core.mime.errors import MimeError

MAX_FIELDS: Final = 1000
# More parameters than this on one field is not a real message; the rest are ignored.
_MAX_PARAMETERS: Final = 100
# RFC 2231 section numbers above this are ignored (a 255-character file name needs ~10).
_MAX_SECTION: Final = 999

_FIELD_NAME: Final = re.compile(rb"[!-9;-~]+[ \t]*:")
_PARAM_NAME: Final = re.compile(r"\s*([^\s=;\"]+)\s*=\s*")
# A lone backslash may end an unterminated quoted value (a damaged header): still a match.
_QUOTED: Final = re.compile(r'"((?:[^"\\]|\\.)*\\?)(?:"|$)', re.DOTALL)
_QUOTED_PAIR: Final = re.compile(r"\\(.)", re.DOTALL)
_SECTION: Final = re.compile(r"(.+?)\*(\d{1,4})(\*?)")
_PERCENT: Final = re.compile(rb"%([0-9A-Fa-f]{2})")
_ENCODED_WORD: Final = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_Q_ESCAPE: Final = re.compile(rb"=([0-9A-Fa-f]{2})")
_NOT_BASE64: Final = re.compile(rb"[^A-Za-z0-9+/]")
_TOKEN: Final = r"[!#$%&'*+.^_`|~0-9a-z-]+"
_CONTENT_TYPE: Final = re.compile(f"{_TOKEN}/{_TOKEN}")


@dataclass(frozen=True, slots=True)
class HeaderField:
    """One header field, unfolded; ``name`` as written, ``value`` without surrounding space."""

    name: str
    value: str


def is_content_type(value: str) -> bool:
    """True if ``value`` is a lowercased type/subtype made of RFC 2045 tokens."""
    return _CONTENT_TYPE.fullmatch(value) is not None


def is_field_line(line: bytes) -> bool:
    """True if ``line`` starts like a header field ("Name:")."""
    return _FIELD_NAME.match(line) is not None


def parse_fields(section: bytes) -> tuple[HeaderField, ...]:
    """The fields of a header section (CRLF or LF line ends; lines that are not fields are
    skipped, as mail readers do).

    Raises:
        MimeError: more than MAX_FIELDS fields.
    """
    folded: list[list[bytes]] = []
    for line in section.split(b"\n"):
        line = line.removesuffix(b"\r")
        if line[:1] in (b" ", b"\t"):
            if folded:
                folded[-1].append(line)
            continue
        if not is_field_line(line):
            continue
        if len(folded) == MAX_FIELDS:
            raise MimeError(text("mime.too_many_headers", limit=MAX_FIELDS))
        folded.append([line])
    fields = []
    for lines in folded:
        name, _, value = b"".join(lines).partition(b":")
        # Raw 8-bit header text is not allowed but common: take UTF-8, else windows-1252.
        fields.append(HeaderField(name.decode("ascii").rstrip(), decode_guess(value).strip()))
    return tuple(fields)


def parse_parameters(value: str) -> tuple[str, MappingProxyType[str, str]]:
    """Split "type/subtype; a=1; b="2"" into the lowercased main value and its parameters.

    Parameter names are lowercased. RFC 2231 extended values and continuations are joined
    and decoded and take precedence over a plain value of the same name. The first of
    repeated parameters wins.
    """
    main, _, rest = value.partition(";")
    plain: dict[str, str] = {}
    sections: dict[str, dict[int, tuple[str, bool]]] = {}
    pos = 0
    count = 0
    while pos < len(rest) and count < _MAX_PARAMETERS:
        count += 1
        name_match = _PARAM_NAME.match(rest, pos)
        if name_match is None:
            pos = _after_semicolon(rest, pos)
            continue
        name = name_match.group(1).lower()
        pos = name_match.end()
        if rest.startswith('"', pos):
            quoted = _QUOTED.match(rest, pos)
            assert quoted is not None  # the pattern matches any text after a quote
            raw_value = _QUOTED_PAIR.sub(r"\1", quoted.group(1))
            pos = quoted.end()
        else:
            end = rest.find(";", pos)
            end = len(rest) if end < 0 else end
            raw_value = rest[pos:end].strip()
            pos = end
        pos = _after_semicolon(rest, pos)
        _collect(name, raw_value, plain, sections)
    params = dict(plain)
    for base, parts in sections.items():
        joined = _join_sections(parts)
        if joined is not None:
            params[base] = joined
    return main.strip().lower(), MappingProxyType(params)


def _after_semicolon(text: str, pos: int) -> int:
    end = text.find(";", pos)
    return len(text) if end < 0 else end + 1


def _collect(
    name: str,
    value: str,
    plain: dict[str, str],
    sections: dict[str, dict[int, tuple[str, bool]]],
) -> None:
    if name.endswith("*") and _SECTION.fullmatch(name) is None:
        # name*=charset'language'value: one extended section.
        sections.setdefault(name[:-1], {}).setdefault(0, (value, True))
        return
    section = _SECTION.fullmatch(name)
    if section is not None:
        number = int(section.group(2))
        if number <= _MAX_SECTION:
            entry = (value, bool(section.group(3)))
            sections.setdefault(section.group(1), {}).setdefault(number, entry)
        return
    plain.setdefault(name, value)


def _join_sections(parts: dict[int, tuple[str, bool]]) -> str | None:
    """RFC 2231 sections 0, 1, 2, ... joined; the charset comes from section 0."""
    if 0 not in parts:
        return None
    charset = None
    first, first_encoded = parts[0]
    if first_encoded and first.count("'") >= 2:
        charset, _language, rest = first.split("'", 2)
        parts = {**parts, 0: (rest, True)}
    pieces: list[str] = []
    pending = bytearray()  # percent-decoded bytes, decoded together: a character may span
    number = 0
    while number in parts:
        text, encoded = parts[number]
        if encoded:
            pending += _unpercent(text)
        else:
            if pending:
                pieces.append(decode_text(bytes(pending), charset))
                pending.clear()
            pieces.append(text)
        number += 1
    if pending:
        pieces.append(decode_text(bytes(pending), charset))
    return "".join(pieces)


def _unpercent(text: str) -> bytes:
    # The text should be ASCII; a raw non-ASCII character is kept as its UTF-8 bytes.
    return _PERCENT.sub(lambda m: bytes((int(m.group(1), 16),)), text.encode("utf-8"))


def decode_encoded_words(text: str) -> str:
    """Decode RFC 2047 encoded words (=?charset?B|Q?...?=), also inside quoted parameter
    values, where Outlook puts them.

    Space between two encoded words is dropped; a run of words in one charset is decoded
    as one, since a character may span two words.
    """
    if "=?" not in text:
        return text
    pieces: list[str] = []
    run = bytearray()
    run_charset: str | None = None
    pos = 0
    for match in _ENCODED_WORD.finditer(text):
        between = text[pos : match.start()]
        charset = match.group(1).split("*", 1)[0].lower()  # RFC 2231 adds "*language"
        adjacent = run_charset is not None and (not between or between.isspace())
        if not (adjacent and charset == run_charset):
            if run_charset is not None:
                pieces.append(decode_text(bytes(run), run_charset))
                run.clear()
            if not adjacent:
                pieces.append(between)
        run += _decode_word(match.group(2), match.group(3))
        run_charset = charset
        pos = match.end()
    if run_charset is not None:
        pieces.append(decode_text(bytes(run), run_charset))
    pieces.append(text[pos:])
    return "".join(pieces)


def _decode_word(encoding: str, payload: str) -> bytes:
    data = payload.encode("ascii", errors="replace")
    if encoding in "qQ":
        return _Q_ESCAPE.sub(lambda m: bytes((int(m.group(1), 16),)), data.replace(b"_", b" "))
    data = _NOT_BASE64.sub(b"", data)
    data = data[: len(data) - len(data) % 4] if len(data) % 4 == 1 else data
    try:
        return binascii.a2b_base64(data + b"=" * (-len(data) % 4))
    except binascii.Error:  # pragma: no cover - the input was made valid above
        return b""
