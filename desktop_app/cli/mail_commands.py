"""``smime-guard send|outbox|retry|inbox``: sealed mail through any account kind.

The exit codes and JSON are the ``exchange`` commands' (which stay as aliases for the
Exchange account); each line names the account.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.cli.exit_codes import EXIT_FAILURE, EXIT_OK
from desktop_app.core.messages import text

if TYPE_CHECKING:
    from desktop_app.services.accounts.kinds import AccountServices
    from desktop_app.services.accounts.model import Account
    from desktop_app.services.exchange.outbox import ExchangeOutbox, QueuedMessage
    from desktop_app.services.exchange.sending import SendReport
    from desktop_app.services.transport.port import SendResult

WAITING = "{source} ({subject}) stays in the outbox: {error}"
WAITING_UNTIL = "{source} ({subject}) stays in the outbox until {time}: {error}"


def _copy_sentence(result: SendResult | None) -> str:
    if result is None:
        return text("accounts.sent_copy.saved_by_server")
    return text(f"accounts.sent_copy.{result.sent_copy.value}", where=result.where)


def _report(report: SendReport, account: Account, as_json: bool) -> int:
    from desktop_app.cli.output import report_error

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
            "waiting": [_item_json(item) for item in report.waiting],
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
    for item in report.waiting:
        values = {"source": item.source, "subject": item.subject, "error": item.last_error}
        if item.not_before is not None:
            report_error(WAITING_UNTIL.format(time=item.not_before.isoformat(), **values))
        else:
            report_error(WAITING.format(**values))
    return EXIT_FAILURE if report.waiting else EXIT_OK


def _item_json(item: QueuedMessage, outbox: ExchangeOutbox | None = None) -> dict[str, Any]:
    document: dict[str, Any] = {
        "source": item.source,
        "subject": item.subject,
        "message_id": item.message_id,
        "attempts": item.attempts,
        "last_error": item.last_error,
        "queued": item.queued.isoformat(),
        "not_before": item.not_before.isoformat() if item.not_before else None,
        "encrypted": not item.unencrypted_by_choice,
    }
    if outbox is not None:
        document["file"] = str(outbox.folder / item.file_name)
    return document


def _send(arguments: argparse.Namespace, services: AccountServices) -> int:
    from desktop_app.services.accounts.delivery import account_outbox, send_account
    from desktop_app.services.accounts.store import pick_account
    from desktop_app.services.exchange.outbox import check_sealed
    from desktop_app.services.files import read_input_file

    account = pick_account(services.home, arguments.account)
    messages = []
    for name in arguments.files:
        mime = read_input_file(Path(name))
        check_sealed(mime, name)  # every file is checked before any is queued
        messages.append((mime, Path(name).name))
    outbox = account_outbox(services, account)
    items = [outbox.add(mime, source) for mime, source in messages]
    return _report(send_account(services, account, items), account, arguments.json)


def _accounts(services: AccountServices, name: str | None) -> Sequence[Account]:
    from desktop_app.services.accounts.store import list_accounts, load_account

    return (load_account(services.home, name),) if name else list_accounts(services.home)


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
        print(text("accounts.outbox_empty"))
    return status


def _outbox(arguments: argparse.Namespace, services: AccountServices) -> int:
    from desktop_app.services.accounts.delivery import account_outbox

    listed: list[dict[str, Any]] = []
    for account in _accounts(services, arguments.account):
        outbox = account_outbox(services, account)
        for item in outbox.pending():
            listed.append({"account": account.name, **_item_json(item, outbox)})
    if arguments.json:
        print(json.dumps({"messages": listed}, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not listed:
        print(text("accounts.outbox_empty"))
    for entry in listed:
        protection = "sealed" if entry["encrypted"] else "unencrypted (your choice)"
        print(
            f"{entry['account']}  {entry['file']}  {entry['subject']}  "
            f"{entry['message_id'] or 'none'}  {protection}  attempts: {entry['attempts']}  "
            f"last error: {entry['last_error'] or 'none'}"
        )
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
