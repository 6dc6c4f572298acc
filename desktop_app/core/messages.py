"""User-visible strings, in one place and ready for translation."""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    # addresses
    "address.bad_idn": "The domain “{domain}” is not a valid international domain name.",
    # certificate files
    "cert.unreadable": "{source} does not contain a certificate this program can read.",
    "crl.unreadable": "{source} is not a certificate revocation list this program can read.",
}


def text(key: str, **values: object) -> str:
    """The user-facing string for ``key`` with ``values`` filled in."""
    return MESSAGES[key].format(**values)
