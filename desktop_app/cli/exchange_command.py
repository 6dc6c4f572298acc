"""``smime-guard exchange``: sign in, look recipients up in the directory, send sealed mail."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TextIO

from desktop_app.cli.exchange_login import add_login_options
from desktop_app.cli.exit_codes import EXIT_FAILURE, EXIT_OK

if TYPE_CHECKING:
    from desktop_app.services.mail_access import MailAccess
    from desktop_app.services.outbox.queue import OutboxQueue, QueuedMessage
    from desktop_app.services.outbox.sending_run import SendReport

# Only the standard library is imported at the top: ``build_parser`` imports this module
# for the grammar on every start, and exchangelib alone takes about 0.35 s to load. Each
# command imports what it needs when it runs.

Deliver = Callable[[Sequence["QueuedMessage"]], int]  # sends, reports; the exit status

SENT = "Sent {source} ({subject}); a copy is in Sent Items."
NOTHING_WAITING = "The Exchange outbox is empty."
# The values of services.exchange.account.AuthType (a test keeps them equal).
AUTH_CHOICES = ("ntlm", "basic", "oauth2")
DEFAULT_AUTH = "ntlm"
EPILOG_LOOKUP = "Exit status: 0 the directory answered, 2 bad input or no answer."
EPILOG_SEND = "Exit status: 0 all sent, 1 some stay in the outbox, 2 bad input (nothing queued)."


def _report(report: SendReport) -> int:
    from desktop_app.cli.queued_mail import report_waiting

    for item in report.sent:
        print(SENT.format(source=item.source, subject=item.subject))
    report_waiting(report.waiting)
    return EXIT_FAILURE if report.waiting else EXIT_OK


def _send(arguments: argparse.Namespace, outbox: OutboxQueue, deliver: Deliver) -> int:
    from desktop_app.cli.queued_mail import sealed_files

    messages = sealed_files(arguments.files)
    return deliver([outbox.add(mime, source) for mime, source in messages])


def _retry(outbox: OutboxQueue, deliver: Deliver) -> int:
    items = outbox.pending()
    if not items:
        print(NOTHING_WAITING)
        return EXIT_OK
    return deliver(items)


def _outbox(arguments: argparse.Namespace, outbox: OutboxQueue) -> int:
    from desktop_app.cli.queued_mail import queued_file, queued_json, queued_line

    items = outbox.pending()
    if arguments.json:
        listed = [{"file": queued_file(outbox, item), **queued_json(item)} for item in items]
        print(json.dumps({"messages": listed}, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not items:
        print(NOTHING_WAITING)
    for item in items:
        print(queued_line(outbox, item))
    return EXIT_OK


def run_exchange(
    arguments: argparse.Namespace, access: MailAccess, *, stdin: TextIO | None = None
) -> int:
    """Run ``exchange login|lookup|send|outbox|retry``; a UserFacingError is left to the caller.

    ``access`` carries the OAuth token cache between commands of one process (tests).
    """
    from desktop_app.services.exchange.account import load_exchange_account
    from desktop_app.services.outbox.queue import OutboxQueue

    home = access.home
    command = arguments.exchange_command
    if command == "login":
        from desktop_app.cli.exchange_login import run_login

        return run_login(arguments, access, access.exchange_settings(), stdin or sys.stdin)
    if command == "lookup":
        from desktop_app.cli.exchange_lookup import run_lookup

        return run_lookup(arguments, access)
    outbox = OutboxQueue(home, access.clock)
    if command == "outbox":
        return _outbox(arguments, outbox)
    load_exchange_account(home)  # no account: nothing is queued or sent

    def deliver(items: Sequence[QueuedMessage]) -> int:
        from desktop_app.services.exchange.ews_sending import send_from_home

        return _report(send_from_home(access, items))

    if command == "send":
        return _send(arguments, outbox, deliver)
    return _retry(outbox, deliver)


def add_exchange_commands(
    subcommands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """The ``exchange`` grammar, for ``build_parser``."""
    exchange = subcommands.add_parser(
        "exchange", help="Microsoft Exchange: sign in, directory certificates, sending"
    )
    actions = exchange.add_subparsers(dest="exchange_command", required=True, metavar="ACTION")
    login = actions.add_parser(
        "login",
        help="prove the credentials once; keep the account in --home, the password in the keyring",
        epilog="Exit status: 0 signed in, 2 not signed in (nothing was stored).",
    )
    add_login_options(login, AUTH_CHOICES, DEFAULT_AUTH)
    lookup = actions.add_parser(
        "lookup", help="what the directory knows about addresses, judged", epilog=EPILOG_LOOKUP
    )
    lookup.add_argument("addresses", nargs="+", metavar="ADDR")
    lookup.add_argument("--at", metavar="ISO8601", help="judge certificates at this time")
    lookup.add_argument("--json", action="store_true", help="print one JSON object")
    send = actions.add_parser(
        "send", help="send sealed messages, each with a Sent Items copy", epilog=EPILOG_SEND
    )
    send.add_argument("files", nargs="+", metavar="FILE.eml")
    outbox = actions.add_parser("outbox", help="list the sealed messages waiting to be sent")
    outbox.add_argument("--json", action="store_true", help="print one JSON object")
    actions.add_parser("retry", help="send what waits in the outbox", epilog=EPILOG_SEND)
