"""Strings of IMAP/SMTP accounts: connecting, the inbox, Sent and Drafts, submission."""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    "imap.bad_host_port": "“{value}” is not HOST:PORT (for example imap.example.org:993).",
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
    "imap.connection_lost": "The connection to the IMAP server was lost: {reason}",
    "imap.message_gone": "The message is no longer in the inbox (it was moved or deleted).",
    "imap.message_too_large": "The message is larger than {megabytes} MB, so it is not shown.",
    "imap.no_sent_folder": "The IMAP server has no Sent folder to keep a copy in.",
    "imap.no_drafts_folder": "The IMAP server has no Drafts folder.",
    "imap.draft_not_sealed": "A draft goes to the server only sealed; this one was not.",
    "imap.bad_account_name": (
        "“{name}” cannot name an account: use letters, digits and . _ + - @ only."
    ),
    "imap.no_account": "There is no account called {name}; add it with `account add`.",
    "imap.other_kind": "The account {name} is a {kind} account, not an IMAP one.",
    "imap.damaged_account": "The account file {path} is damaged; add the account again.",
    "imap.no_secret": (
        "The keyring holds no password for the account {name}; add the account again."
    ),
    "smtp.unreachable": "The SMTP server {host}:{port} cannot be reached: {reason}",
    "smtp.no_tls": (
        "The SMTP server {host}:{port} offers no STARTTLS, so the message and password "
        "would travel in clear text; nothing was sent."
    ),
    "smtp.sign_in_refused": "The SMTP server refused the sign-in for {username}: {reason}",
    "smtp.temporary": "The SMTP server asked to try later ({code} {reason}).",
    "smtp.refused": "The SMTP server refused the message ({code} {reason}).",
    "smtp.recipients_refused": "The SMTP server refused the recipients {addresses}.",
}
