"""Strings of IMAP/SMTP accounts: connecting, the inbox, Sent and Drafts, submission."""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    "imap.inbox_name": "IMAP inbox ({email})",
    "imap.unreachable": "The IMAP server {host}:{port} cannot be reached: {reason}",
    "imap.no_tls": (
        "The IMAP server {host}:{port} offers no TLS (STARTTLS), so the password would "
        "travel in clear text; nothing was sent to it."
    ),
    "imap.tls_failed": "TLS with the IMAP server {host}:{port} failed: {reason}",
    "imap.sign_in_refused": (
        "The IMAP server refused the sign-in for {username}: check the user name and "
        "password (or app password)."
    ),
    "imap.no_xoauth2": "The IMAP server {host}:{port} does not offer XOAUTH2 sign-in.",
    "imap.command_failed": "The IMAP server refused {command}: {reason}",
    "imap.sign_in_broken_off": "the server broke off the sign-in",
    "imap.connection_lost": "The connection to the IMAP server was lost: {reason}",
    "imap.message_gone": "The message is no longer in the inbox (it was moved or deleted).",
    "imap.message_too_large": "The message is larger than {megabytes} MB, so it is not shown.",
    "imap.no_secret": (
        "The keyring holds no password for the account {name}; remove the account and add it again."
    ),
    "imap.added_oauth": (
        "signed in to IMAP {imap} and SMTP {smtp} with OAuth (XOAUTH2); the tokens are "
        "kept in the encrypted token cache."
    ),
    "imap.added": (
        "signed in to IMAP {imap} and SMTP {smtp}; the password is kept in the system keyring."
    ),
}
