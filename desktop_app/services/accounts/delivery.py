"""Sending from an account's outbox through its kind's Transport.

The outbox, its file lock and its retry rules are the Exchange outbox's
(``services.exchange.outbox`` and ``sending``): a message stays there, sealed and byte
for byte, until a transport took it, whatever the kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from desktop_app.services.accounts.kinds import AccountServices, kind_support
from desktop_app.services.accounts.model import Account, AccountKind
from desktop_app.services.accounts.store import LEGACY_EXCHANGE_NAME, account_folder
from desktop_app.services.exchange.outbox import ExchangeOutbox, QueuedMessage
from desktop_app.services.exchange.sending import SendReport, send_waiting
from desktop_app.services.transport.port import SendResult, Transport, envelope_of

OUTBOX_FOLDER_NAME = "outbox"


def outbox_folder(home: Path, account: Account) -> Path | None:
    """The account's outbox folder; None for the Exchange account of ``exchange login``,
    whose outbox stays where the ``exchange`` commands keep it."""
    if account.kind is AccountKind.EXCHANGE and account.name == LEGACY_EXCHANGE_NAME:
        return None
    return account_folder(home, account.name) / OUTBOX_FOLDER_NAME


def account_outbox(services: AccountServices, account: Account) -> ExchangeOutbox:
    folder = outbox_folder(services.home, account)
    return ExchangeOutbox(services.home, services.clock, folder=folder)


class TransportSender:
    """A ``Transport`` as the outbox's sender: the envelope comes from each copy's headers."""

    def __init__(self, transport: Transport, sender: str) -> None:
        self._transport = transport
        self._sender = sender

    def send(self, mime: bytes) -> SendResult:
        return self._transport.send(mime, envelope_of(mime, self._sender))

    def already_sent(self, message_id: str) -> bool:
        return self._transport.already_sent(message_id)


def send_account(
    services: AccountServices, account: Account, items: Sequence[QueuedMessage]
) -> SendReport:
    """Send ``items`` from ``account``'s outbox; connects only if something is due."""
    opened: list[Transport] = []

    def open_transport() -> TransportSender:
        opened.append(kind_support(account.kind).open_transport(account, services))
        return TransportSender(opened[-1], account.email)

    try:
        return send_waiting(
            account_outbox(services, account), items, open_transport, services.clock
        )
    finally:
        for transport in opened:
            transport.close()
