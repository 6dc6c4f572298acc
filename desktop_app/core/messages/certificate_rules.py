"""Strings of the certificate rules added for hostile input: unreadable names, address limits."""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    "cert.names_unreadable": (
        "The certificate's names or dates cannot be read, so nothing in it can be relied on."
    ),
    "cert.too_many_addresses": (
        "The certificate names {count:,} e-mail addresses; smime-guard uses no certificate "
        "that names more than {limit:,}."
    ),
    "cli.too_many_addresses": (
        "Skipped certificate {number} in {file} ({subject}): it names {count:,} e-mail "
        "addresses, more than the {limit:,} smime-guard reads."
    ),
}
