"""``smime-guard send|outbox|retry|inbox``: sealed mail through any account kind.

The exit codes and JSON are the ``exchange`` commands' (which stay as aliases for the
Exchange account); each line names the account.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from desktop_app.cli.exit_codes import EXIT_FAILURE, EXIT_OK
from desktop_app.core.messages import text

if TYPE_CHECKING:
    from desktop_app.services.accounts.kinds import AccountServices
    from desktop_app.services.accounts.model import Account
    from desktop_app.services.outbox.queue import OutboxQueue, QueuedMessage
    from desktop_app.services.outbox.sending_run import SendReport
    from desktop_app.services.transport.port import SendResult


def _copy_sentence(result: SendResult | None) -> str:
    if result is None:
        return text("accounts.sent_copy.saved_by_server")
    return text(f"accounts.sent_copy.{result.sent_copy.value}", where=result.where)


def _report(report: SendReport, account: Account, as_json: bool) -> int:
    from desktop_app.cli.queued_mail import queued_json, report_waiting

    if as_json:
        document = {
            "account": account.name,
            "sent": [
                {
                    "source": item.source,
                    "subject": item.subject,
                    "message_id": item.message_id,
                    "route": report.results[item.id].route if item.id in report.results else None,
                    "sent_copy": (
                        report.results[item.id].sent_copy.value
                        if item.id in report.results
                        else None
                    ),
                }
                for item in report.sent
            ],
            "waiting": [queued_json(item) for item in report.waiting],
        }
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        for item in report.sent:
            result = report.results.get(item.id)
            route = result.route if result is not None else account.kind.value
            print(
                text(
                    "accounts.sent", source=item.source, subject=item.subject, route=route,
                    copy=_copy_sentence(result),
                )
            )  # fmt: skip
    report_waiting(report.waiting)
    return EXIT_FAILURE if report.waiting else EXIT_OK


def _send(arguments: argparse.Namespace, services: AccountServices) -> int:
    from desktop_app.cli.queued_mail import sealed_files
    from desktop_app.services.accounts.delivery import account_outbox, send_account
    from desktop_app.services.accounts.store import pick_account

    account = pick_account(services.access.home, arguments.account)
    messages = sealed_files(arguments.files)
    outbox = account_outbox(services, account)
    items = [outbox.add(mime, source) for mime, source in messages]
    return _report(send_account(services, account, items), account, arguments.json)


def _accounts(services: AccountServices, name: str | None) -> Sequence[Account]:
    from desktop_app.services.accounts.store import list_accounts, load_account

    return (
        (load_account(services.access.home, name),) if name else list_accounts(services.access.home)
    )


def _retry(arguments: argparse.Namespace, services: AccountServices) -> int:
    from desktop_app.services.accounts.delivery import account_outbox, send_account

    status = EXIT_OK
    anything = False
    for account in _accounts(services, arguments.account):
        items = account_outbox(services, account).pending()
        if items:
            anything = True
            status = max(
                status, _report(send_account(services, account, items), account, arguments.json)
            )
    if not anything:
        # --json always prints JSON: a script reading it must not meet a sentence.
        nothing: dict[str, list[object]] = {"sent": [], "waiting": []}
        print(json.dumps(nothing) if arguments.json else text("accounts.outbox_empty"))
    return status


def _outbox(arguments: argparse.Namespace, services: AccountServices) -> int:
    from desktop_app.cli.queued_mail import queued_file, queued_json, queued_line
    from desktop_app.services.accounts.delivery import account_outbox

    waiting: list[tuple[Account, OutboxQueue, QueuedMessage]] = []
    for account in _accounts(services, arguments.account):
        outbox = account_outbox(services, account)
        waiting += [(account, outbox, item) for item in outbox.pending()]
    if arguments.json:
        listed = [
            {"account": account.name, **queued_json(item), "file": queued_file(outbox, item)}
            for account, outbox, item in waiting
        ]
        print(json.dumps({"messages": listed}, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not waiting:
        print(text("accounts.outbox_empty"))
    for account, outbox, item in waiting:
        print(f"{account.name}  {queued_line(outbox, item)}")
    return EXIT_OK


def run_mail_command(arguments: argparse.Namespace, services: AccountServices) -> int:
    """Run ``send``, ``outbox``, ``retry`` or ``inbox``."""
    if arguments.command == "send":
        return _send(arguments, services)
    if arguments.command == "retry":
        return _retry(arguments, services)
    if arguments.command == "inbox":
        from desktop_app.cli.inbox_command import run_inbox

        return run_inbox(arguments, services)
    return _outbox(arguments, services)
