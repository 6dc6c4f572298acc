"""Validation of one addr-spec: its local part, its domain and Exchange's IMCEAEX form."""

import unicodedata

from desktop_app.core.recipients.address_tokens import AddressError, Token, TokenKind, address_error
from desktop_app.core.recipients.normalise import AddressKeyError, domain_key

_ATEXT = frozenset("!#$%&'*+-/=?^_`{|}~")
_LDH = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
_HEX = frozenset("0123456789abcdefABCDEF")
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


def _is_dot_atom(value: str) -> bool:
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


def _local_part(token: Token, element: str) -> str:
    """Validated local part, quotes dropped where they change nothing."""
    value = token.value
    if token.kind is TokenKind.ATOM or _is_dot_atom(value):
        if not _is_dot_atom(value):
            bad = next((c for c in value if c != "." and not _local_char_ok(c)), None)
            if bad is not None:
                raise address_error("address.bad_local_char", element, bad)
            raise address_error("address.bad_dots", element, value)
        return value
    if not value:
        raise address_error("address.empty_local", element, '""')
    for char in value:
        # "drsmith@clinic.example"@evil.example is valid RFC 5321 but exists to deceive.
        if char == "@" or not (" " <= char <= "~" or _local_char_ok(char)):
            raise address_error("address.bad_local_char", element, char)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _check_domain(domain: str, element: str) -> None:
    """Raise AddressError unless ``domain`` is a host name with at least two labels."""
    if len(domain) > _MAX_DOMAIN:
        raise address_error("address.domain_too_long", element, domain)
    labels = domain.split(".")
    if any(not label for label in labels):
        raise address_error("address.bad_dots", element, domain)
    try:
        ascii_domain = domain_key(domain)
    except AddressKeyError as error:
        raise AddressError(error.message, domain) from error
    if ascii_domain.count(".") != domain.count("."):
        # UTS 46 maps U+3002 and U+FF0E to ".": the domain has more labels than it shows.
        raise address_error("address.dot_lookalike", element, domain)
    if len(labels) < 2:
        raise address_error("address.single_label", element, domain)
    if len(ascii_domain) > _MAX_DOMAIN:
        raise address_error("address.domain_too_long", element, domain)
    for label in ascii_domain.split("."):
        if len(label) > _MAX_LABEL:
            raise address_error("address.label_too_long", element, label)
        if not set(label) <= _LDH or label.startswith("-") or label.endswith("-"):
            bad = next((c for c in label if c not in _LDH), "-")
            raise address_error("address.bad_domain_char", element, bad)
    if ascii_domain.rsplit(".", 1)[1].isdigit():
        raise address_error("address.numeric_domain", element, domain)


def check_addr_spec(local: Token, domain: str, element: str) -> tuple[str, str | None]:
    """The address ``local@domain`` in canonical form and, for IMCEAEX, its legacyDN.

    ``element`` is the excerpt of the field that error messages quote.

    Raises:
        AddressError: the local part or the domain is not acceptable.
    """
    local_part = _local_part(local, element)
    _check_domain(domain, element)
    if local_part.upper().startswith(_LEGACY_PREFIX):
        # Exchange writes these when it has no SMTP address; they run past 64 octets.
        dn = _legacy_dn(local_part[len(_LEGACY_PREFIX) :])
        if dn is None:
            raise address_error("address.bad_legacy_dn", element, local_part)
        return f"{local_part}@{domain}", dn
    if len(local_part.encode("utf-8")) > _MAX_LOCAL_OCTETS:
        raise address_error("address.local_too_long", element, local_part)
    return f"{local_part}@{domain}", None
