"""Sending from an account's outbox through its kind's Transport.

The outbox, its file lock and its retry rules are those of every kind
(``services.outbox.queue`` and ``sending_run``): a message stays there, sealed and byte
for byte, until a transport took it, whatever the kind.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from desktop_app.services.accounts.kinds import AccountServices, kind_support
from desktop_app.services.accounts.model import Account, AccountKind
from desktop_app.services.accounts.store import LEGACY_EXCHANGE_NAME, account_folder
from desktop_app.services.outbox.queue import OutboxQueue, QueuedMessage
from desktop_app.services.outbox.queued_delivery import QueuedDelivery
from desktop_app.services.outbox.sending_run import OpenedTransport, SendReport, send_waiting
from desktop_app.services.transport.port import SendResult, SentCopy

log = logging.getLogger(__name__)

OUTBOX_FOLDER_NAME = "outbox"


def outbox_folder(home: Path, account: Account) -> Path | None:
    """The account's outbox folder; None for the Exchange account of ``exchange login``,
    whose outbox stays where the ``exchange`` commands keep it."""
    if account.kind is AccountKind.EXCHANGE and account.name == LEGACY_EXCHANGE_NAME:
        return None
    return account_folder(home, account.name) / OUTBOX_FOLDER_NAME


def account_outbox(services: AccountServices, account: Account) -> OutboxQueue:
    folder = outbox_folder(services.access.home, account)
    return OutboxQueue(services.access.home, services.access.clock, folder=folder)


def send_account(
    services: AccountServices, account: Account, items: Sequence[QueuedMessage]
) -> SendReport:
    """Send ``items`` from ``account``'s outbox; connects only if something is due."""

    def open_transport() -> OpenedTransport:
        transport = kind_support(account.kind).open_transport(account, services)
        return OpenedTransport(transport, account.email)

    outbox = account_outbox(services, account)
    return send_waiting(outbox, items, open_transport, services.access.clock)


ROUTE_KEYS = {
    "graph": "accounts.route.graph",
    "smtp": "accounts.route.smtp",
    "ews": "accounts.route.ews",
}


def sent_notice(results: Sequence[SendResult]) -> str:
    """What the status line says once every copy was sent: the route, and where the Sent
    copy is, only as far as it is known (an SMTP submission may have none)."""
    from desktop_app.core.messages import text

    if not results:
        return text("accounts.sent_notice_plain")
    # The least certain copy speaks for the message: one unconfirmed copy makes it so.
    order = [SentCopy.NONE, SentCopy.NOT_CONFIRMED, SentCopy.APPENDED, SentCopy.SAVED_BY_SERVER]
    weakest = min(results, key=lambda result: order.index(result.sent_copy))
    routes = sorted({result.route for result in results})
    shown = ", ".join(text(ROUTE_KEYS[route]) if route in ROUTE_KEYS else route for route in routes)
    copy = text(f"accounts.sent_copy.{weakest.sent_copy.value}", where=weakest.where)
    return text("accounts.sent_notice", route=shown, copy=copy)


def sent_count_notice(report: SendReport) -> str:
    """The status line after a retry sent ``report.sent``: through which route(s)."""
    from desktop_app.core.messages import text

    results = [report.results[item.id] for item in report.sent if item.id in report.results]
    if not results:
        return text("sending.sent_count", count=len(report.sent))
    routes = sorted({result.route for result in results})
    shown = ", ".join(text(ROUTE_KEYS[route]) if route in ROUTE_KEYS else route for route in routes)
    return text("accounts.sent_count", count=len(report.sent), route=shown)


class AccountDelivery(QueuedDelivery):
    """``QueuedDelivery`` for an account of any kind: its notice names the route taken
    and promises a Sent copy only where the route keeps one."""

    def _sent_notice(self, report: SendReport, ours: set[str]) -> str:
        return sent_notice([report.results[i] for i in ours if i in report.results])
