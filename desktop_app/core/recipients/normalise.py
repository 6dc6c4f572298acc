"""The comparison key of an e-mail address: how two spellings are found to be one mailbox."""

import functools

import idna

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text


class AddressKeyError(UserFacingError):
    """An addr-spec whose domain cannot be put in A-label form."""


def _ascii_lower(value: str) -> str:
    # str.lower() would fold non-ASCII letters too (U+212A KELVIN SIGN -> "k"), merging
    # mailboxes that the receiving server treats as different.
    return value.translate(_ASCII_UPPER_TO_LOWER)


_ASCII_UPPER_TO_LOWER = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}


@functools.lru_cache(maxsize=4096)  # a draft has many addresses but few domains
def domain_key(domain: str) -> str:
    """Lower-case A-label form of ``domain`` (IDNA 2008 with UTS 46 mapping)."""
    if domain.isascii():
        lowered = _ascii_lower(domain)
        # An ASCII domain may still hold A-labels; an invalid one ("xn--zz") names no
        # domain at all, so it gets no key rather than one that matches nothing.
        for label in lowered.split("."):
            if label.startswith("xn--"):
                try:
                    idna.decode(label)
                except (idna.IDNAError, UnicodeError) as error:
                    raise AddressKeyError(text("address.bad_idn", domain=domain)) from error
        return lowered
    try:
        return idna.encode(domain, uts46=True).decode("ascii").lower()
    except (idna.IDNAError, UnicodeError) as error:
        raise AddressKeyError(text("address.bad_idn", domain=domain)) from error


def address_key(address: str) -> str:
    """Key of a validated ``local@domain``: local part folded for ASCII only, domain as A-label."""
    local, _, domain = address.rpartition("@")
    return f"{_ascii_lower(local)}@{domain_key(domain)}"
