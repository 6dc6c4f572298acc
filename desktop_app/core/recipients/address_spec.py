"""Validation of one addr-spec: its local part, its domain and Exchange's IMCEAEX form."""

import functools
import re
import unicodedata
from collections.abc import Callable

from desktop_app.core.recipients.address_tokens import AddressError, Token, TokenKind, address_error
from desktop_app.core.recipients.normalise import AddressKeyError, domain_key

_ATEXT = frozenset("!#$%&'*+-/=?^_`{|}~")
_LDH = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
_HEX = frozenset("0123456789abcdefABCDEF")
Excerpt = Callable[[], str]
_LEGACY_PREFIX = "IMCEAEX-"
_MAX_LOCAL_OCTETS = 64
_MAX_DOMAIN = 253
_MAX_LABEL = 63


def _local_char_ok(char: str) -> bool:
    if char.isascii():
        return char.isalnum() or char in _ATEXT
    # SMTPUTF8 local parts: letters, marks and digits only; variation selectors are marks
    # that change nothing visible, so two such spellings would look like one mailbox.
    if 0xFE00 <= ord(char) <= 0xFE0F or 0xE0100 <= ord(char) <= 0xE01EF:
        return False
    return unicodedata.category(char)[0] in "LMN"


_ASCII_DOT_ATOM = re.compile(
    r"[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(?:\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*"
)


def _is_dot_atom(value: str) -> bool:
    if _ASCII_DOT_ATOM.fullmatch(value):
        return True  # the common case, without a Python-level loop per character
    parts = value.split(".")
    return all(part and all(_local_char_ok(char) for char in part) for part in parts)


def _legacy_dn(encoded: str) -> str | None:
    """X.500 legacyDN from the part after IMCEAEX-: "_" is "/", "+XX" is the character XX."""
    out: list[str] = []
    index = 0
    while index < len(encoded):
        char = encoded[index]
        if char == "+":
            pair = encoded[index + 1 : index + 3]
            if len(pair) != 2 or not set(pair) <= _HEX:
                return None
            out.append(chr(int(pair, 16)))
            index += 3
            continue
        out.append("/" if char == "_" else char)
        index += 1
    dn = "".join(out)
    printable = all(" " <= char <= "~" for char in dn)
    return dn if dn.startswith("/") and len(dn) > 1 and printable else None


def _local_part(token: Token, element: Excerpt) -> str:
    """Validated local part, quotes dropped where they change nothing."""
    value = token.value
    if token.kind is TokenKind.ATOM or _is_dot_atom(value):
        if not _is_dot_atom(value):
            bad = next((c for c in value if c != "." and not _local_char_ok(c)), None)
            if bad is not None:
                raise address_error("address.bad_local_char", element(), bad)
            raise address_error("address.bad_dots", element(), value)
        return value
    if not value:
        raise address_error("address.empty_local", element(), '""')
    for char in value:
        # "drsmith@clinic.example"@evil.example is valid RFC 5321 but exists to deceive.
        if char == "@" or not (" " <= char <= "~" or _local_char_ok(char)):
            raise address_error("address.bad_local_char", element(), char)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@functools.lru_cache(maxsize=4096)  # a long list has many addresses but few domains
def _domain_fault(domain: str) -> tuple[str, str] | None:
    """(message key, offending text) of the first fault of ``domain``, or None if it is fine.

    Raises AddressKeyError for a domain that has no A-label form.
    """
    if len(domain) > _MAX_DOMAIN:
        return "address.domain_too_long", domain
    labels = domain.split(".")
    if any(not label for label in labels):
        return "address.bad_dots", domain
    ascii_domain = domain_key(domain)
    if ascii_domain.count(".") != domain.count("."):
        # UTS 46 maps U+3002 and U+FF0E to ".": the domain has more labels than it shows.
        return "address.dot_lookalike", domain
    if len(labels) < 2:
        return "address.single_label", domain
    if len(ascii_domain) > _MAX_DOMAIN:
        return "address.domain_too_long", domain
    for label in ascii_domain.split("."):
        if len(label) > _MAX_LABEL:
            return "address.label_too_long", label
        if not set(label) <= _LDH or label.startswith("-") or label.endswith("-"):
            return "address.bad_domain_char", next((c for c in label if c not in _LDH), "-")
    if ascii_domain.rsplit(".", 1)[1].isdigit():
        return "address.numeric_domain", domain
    return None


def _check_domain(domain: str, element: Excerpt) -> None:
    """Raise AddressError unless ``domain`` is a host name with at least two labels."""
    try:
        fault = _domain_fault(domain)
    except AddressKeyError as error:
        raise AddressError(error.message, domain) from error
    if fault is not None:
        raise address_error(fault[0], element(), fault[1])


def check_addr_spec(local: Token, domain: str, element: Excerpt) -> tuple[str, str | None]:
    """The address ``local@domain`` in canonical form and, for IMCEAEX, its legacyDN.

    ``element`` makes the excerpt of the field that error messages quote; it is called
    only on error, since cutting and escaping the excerpt costs more than the checks.

    Raises:
        AddressError: the local part or the domain is not acceptable.
    """
    local_part = _local_part(local, element)
    _check_domain(domain, element)
    if local_part.upper().startswith(_LEGACY_PREFIX):
        # Exchange writes these when it has no SMTP address; they run past 64 octets.
        dn = _legacy_dn(local_part[len(_LEGACY_PREFIX) :])
        if dn is None:
            raise address_error("address.bad_legacy_dn", element(), local_part)
        return f"{local_part}@{domain}", dn
    if len(local_part.encode("utf-8")) > _MAX_LOCAL_OCTETS:
        raise address_error("address.local_too_long", element(), local_part)
    return f"{local_part}@{domain}", None
