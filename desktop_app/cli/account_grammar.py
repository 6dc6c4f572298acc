"""The grammar of ``account``, ``send``, ``outbox``, ``retry`` and ``inbox`` (argparse only)."""

from __future__ import annotations

import argparse

KINDS = ("exchange", "m365", "imap")
EPILOG_ADD = "Exit status: 0 the server accepted the sign-in and the account was stored, 2 not."
EPILOG_SEND = "Exit status: 0 all sent, 1 some stay in the outbox, 2 bad input (nothing queued)."
EPILOG_INBOX = "Exit status: 0 listed, 2 the mailbox could not be read."

Subcommands = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _add_account_add(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    add = actions.add_parser(
        "add", help="prove the connection once, then keep the account", epilog=EPILOG_ADD
    )
    add.add_argument("--kind", required=True, choices=KINDS)
    add.add_argument("--email", required=True, metavar="ADDR", help="the mailbox's address")
    add.add_argument("--name", metavar="NAME", help="what to call it (default: the kind)")
    add.add_argument("--authority", metavar="URL", help="OAuth 2.0 authority with its tenant")
    add.add_argument("--client-id", metavar="ID", help="application (client) ID in Entra ID")
    add.add_argument("--graph-url", metavar="URL", help="Microsoft Graph root (tests)")
    add.add_argument("--imap", metavar="HOST:PORT", help="IMAP server (993: implicit TLS)")
    add.add_argument("--smtp", metavar="HOST:PORT", help="SMTP submission server (465: TLS)")
    add.add_argument("--username", metavar="USER", help="sign-in name (default: --email)")
    add.add_argument(
        "--password-env", metavar="VAR", help="environment variable holding the password"
    )
    add.add_argument("--ews-url", metavar="URL", help="exchange: the EWS URL (else autodiscover)")
    add.add_argument("--ca-file", metavar="PEM", help="also trust this CA (a test or clinic CA)")
    flow = add.add_mutually_exclusive_group()
    flow.add_argument("--device-code", action="store_true", help="sign in with a code (default)")
    flow.add_argument("--browser", action="store_true", help="sign in in a browser window here")


def add_account_commands(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``account ...`` and the mail commands that work on any account."""
    account = subcommands.add_parser(
        "account", help="mail accounts: Exchange (EWS), Microsoft 365 (Graph), IMAP/SMTP"
    )
    actions = account.add_subparsers(dest="account_command", required=True, metavar="ACTION")
    _add_account_add(actions)
    for name, help_text in (
        ("list", "list the accounts (never a secret)"),
        ("test", "sign in with what is stored and ask the server something"),
        ("remove", "remove an account and its secrets"),
    ):
        action = actions.add_parser(name, help=help_text)
        if name != "list":
            action.add_argument("name", metavar="NAME", nargs="?" if name == "test" else None)
        action.add_argument("--json", action="store_true", help="print one JSON object")
    send = subcommands.add_parser(
        "send", help="send sealed messages through an account", epilog=EPILOG_SEND
    )
    send.add_argument("files", nargs="+", metavar="FILE.eml")
    send.add_argument("--account", metavar="NAME")
    send.add_argument("--json", action="store_true", help="print one JSON object")
    outbox = subcommands.add_parser("outbox", help="list what waits in the accounts' outboxes")
    outbox.add_argument("--account", metavar="NAME")
    outbox.add_argument("--json", action="store_true", help="print one JSON object")
    retry = subcommands.add_parser(
        "retry", help="send what waits in the outbox", epilog=EPILOG_SEND
    )
    retry.add_argument("--account", metavar="NAME")
    retry.add_argument("--json", action="store_true", help="print one JSON object")
    inbox = subcommands.add_parser(
        "inbox", help="list the inbox with each message's security", epilog=EPILOG_INBOX
    )
    inbox.add_argument("--account", metavar="NAME")
    inbox.add_argument("--limit", type=int, default=20, metavar="N")
    inbox.add_argument("--json", action="store_true", help="print one JSON object")
    inbox.add_argument(
        "--harvest",
        action="store_true",
        help="store signers' certificates from valid signatures that are From's",
    )
