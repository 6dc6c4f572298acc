"""Decoding of RFC 2047 encoded-words in display names and unstructured headers."""

import base64
import binascii
import codecs
import re
from collections.abc import Iterator, Sequence

# Linear: every part is a negated class bounded by the "?" delimiters.
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
# Codecs that Python accepts as text encodings but that no mail client labels text with;
# "unicode-escape" would turn "\\x0a" in an encoded-word into a line break.
_REFUSED_CODECS = frozenset({"idna", "punycode", "unicode-escape", "raw-unicode-escape"})


def _decode_word(charset: str, encoding: str, payload: str) -> str | None:
    """Text of one encoded-word, or None if it cannot be decoded (then it is shown as is)."""
    charset = charset.split("*", 1)[0]  # RFC 2231 adds "*language"
    try:
        codec = codecs.lookup(charset)
    except LookupError:
        return None
    if codec.name in _REFUSED_CODECS or not payload.isascii():
        return None
    try:
        if encoding in "bB":
            padded = payload + "=" * (-len(payload) % 4)
            data = base64.b64decode(padded, validate=True)
        else:
            data = binascii.a2b_qp(payload.encode("ascii"), header=True)
        return data.decode(codec.name, errors="replace")
    except (binascii.Error, LookupError, UnicodeError, ValueError):
        # LookupError: codecs such as "rot13" exist but are not text encodings.
        return None


def _chunks(value: str) -> Iterator[tuple[str, bool]]:
    """``value`` cut into (text, was_encoded) pieces, encoded-words decoded."""
    last = 0
    for match in _ENCODED_WORD.finditer(value):
        decoded = _decode_word(match.group(1), match.group(2), match.group(3))
        if match.start() > last:
            yield value[last : match.start()], False
        yield (match.group(0), False) if decoded is None else (decoded, True)
        last = match.end()
    if last < len(value):
        yield value[last:], False


def decode_phrase(words: Sequence[tuple[str, bool]]) -> str:
    """Display name from its words, each given as (text, whitespace_before).

    Words are joined by one space where the input had whitespace, except between two
    encoded-words, where RFC 2047 section 6.2 says the whitespace is dropped. Quoted
    words are decoded too: RFC 2047 forbids encoded-words there, but Outlook writes them
    and every mail client shows them decoded.
    """
    out: list[str] = []
    previous_encoded = False
    for index, (word, spaced) in enumerate(words):
        first = True
        for chunk, encoded in _chunks(word):
            if first and index > 0 and spaced and not (encoded and previous_encoded):
                out.append(" ")
            out.append(chunk)
            previous_encoded = encoded
            first = False
    return "".join(out)


def decode_unstructured(value: str) -> str:
    """Unstructured header text (a Subject) with its encoded-words decoded."""
    out: list[str] = []
    previous_encoded = False
    last = 0
    for match in _ENCODED_WORD.finditer(value):
        gap = value[last : match.start()]
        decoded = _decode_word(match.group(1), match.group(2), match.group(3))
        if decoded is None:
            out.append(gap + match.group(0))
        else:
            if not (previous_encoded and gap.strip(" \t") == ""):
                out.append(gap)
            out.append(decoded)
        previous_encoded = decoded is not None
        last = match.end()
    out.append(value[last:])
    return "".join(out)
