"""Sending what waits in the outbox; what fails stays there, as sealed, for the next try."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.services.file_lock import exclusive_lock
from desktop_app.services.json_files import StorageError
from desktop_app.services.outbox.queue import (
    NotSealedError,
    OutboxQueue,
    QueuedMessage,
    check_sendable,
)
from desktop_app.services.transport.port import (
    MessageRefusedError,
    SendResult,
    TemporaryTransportError,
    Transport,
    envelope_of,
)

log = logging.getLogger(__name__)

POSTPONED = "Not tried: {reason}"
SENDING_LOCK_NAME = ".sending.lock"

# Failures that concern one message; any other failure (the transport's temporary or
# account errors, or failing to open it) concerns the server or account.
_ONE_MESSAGE_ONLY = (NotSealedError, StorageError, MessageRefusedError)


@dataclass(frozen=True, slots=True)
class OpenedTransport:
    """A ``Transport`` to an account's server, and the address the account sends as (the
    sender of every copy's envelope)."""

    transport: Transport
    sender: str


@dataclass(frozen=True, slots=True)
class SendReport:
    """What one run sent, and what still waits (with why, in ``last_error``)."""

    sent: tuple[QueuedMessage, ...]
    waiting: tuple[QueuedMessage, ...]
    # What a ``Transport`` said of each message it sent (route, Sent copy), by item id.
    results: dict[str, SendResult] = dataclasses.field(default_factory=dict)


def _not_before(error: UserFacingError, now: datetime) -> datetime | None:
    if isinstance(error, TemporaryTransportError) and error.back_off:
        return now + timedelta(seconds=error.back_off)
    return None


def send_waiting(
    outbox: OutboxQueue,
    items: Sequence[QueuedMessage],
    open_transport: Callable[[], OpenedTransport],
    clock: Callable[[], datetime],
) -> SendReport:
    """Send ``items`` in order, each as its own message, through the transport
    ``open_transport`` opens when the first is due (and the run closes).

    A message the server refuses stays queued and the others are still tried. When the
    server asks to back off, or cannot be reached or signed in to, the rest are not
    tried in this run: they keep their place and say why.
    """
    with exclusive_lock(outbox.folder / SENDING_LOCK_NAME) as ours:
        if not ours:
            # Another smime-guard (the window, or `exchange retry`) is sending from this
            # outbox: sending here too could deliver a message twice. Nothing is recorded.
            busy = text("sending.outbox_busy")
            return SendReport((), tuple(replace(item, last_error=busy) for item in items))
        # The list was read before the lock: another process may have sent some since.
        still_queued = [item for item in items if (outbox.folder / item.file_name).exists()]
        transport = _OnDemand(open_transport)
        try:
            return _send_each(outbox, still_queued, transport, clock)
        finally:
            transport.close()


class _OnDemand:
    """The run's transport, opened on first use: a run with nothing due connects nowhere."""

    def __init__(self, open_transport: Callable[[], OpenedTransport]) -> None:
        self._open = open_transport
        self._opened: OpenedTransport | None = None

    def __call__(self) -> OpenedTransport:
        if self._opened is None:
            self._opened = self._open()
        return self._opened

    def close(self) -> None:
        if self._opened is not None:
            self._opened.transport.close()


def _send_each(
    outbox: OutboxQueue,
    items: Sequence[QueuedMessage],
    transport: _OnDemand,
    clock: Callable[[], datetime],
) -> SendReport:
    results: dict[str, SendResult] = {}
    sent: list[QueuedMessage] = []
    waiting: list[QueuedMessage] = []
    stopped: tuple[str, datetime | None] | None = None
    for item in items:
        now = clock()
        if stopped is not None:
            reason, not_before = stopped
            postponed = POSTPONED.format(reason=reason)
            waiting.append(outbox.failed(item, postponed, not_before, attempted=False))
            continue
        if item.not_before is not None and item.not_before > now:
            waiting.append(item)  # the server asked for a pause that has not passed
            continue
        try:
            mime = outbox.mime(item)
            # The file may have been changed since it was queued.
            check_sendable(mime, item.file_name, unencrypted_by_choice=item.unencrypted_by_choice)
            result = _send_once(transport(), item, mime)
            if result is not None:
                results[item.id] = result
        except UserFacingError as error:
            not_before = _not_before(error, now)
            waiting.append(outbox.failed(item, error.message, not_before))
            if not isinstance(error, _ONE_MESSAGE_ONLY):
                stopped = (error.message, not_before)
            continue
        outbox.remove(item, results.get(item.id))
        sent.append(item)
    log.info("outbox run: %d sent, %d waiting", len(sent), len(waiting))
    return SendReport(tuple(sent), tuple(waiting), results)


def _send_once(opened: OpenedTransport, item: QueuedMessage, mime: bytes) -> SendResult | None:
    """Send ``item``; None when it had already reached the server."""
    transport = opened.transport
    # A message tried before may have reached the server although the answer did not
    # reach us (a time-out): it is not sent a second time.
    if item.attempts and item.message_id and transport.already_sent(item.message_id):
        return None
    return transport.send(mime, envelope_of(mime, opened.sender))
