"""The one background helper: run an operation off the GUI thread, deliver its result on it.

In the style of Anki's ``QueryOp``: ``op`` runs on a worker thread and never touches
widgets; ``success`` (or ``failure``) runs on the GUI thread. Operations run one at a time
on a single worker, so objects used only by operations (the certificate lookup) need no
locking of their own. Each result carries the ticket it was computed for; when a newer
operation was started on the same channel, the older result is stale and dropped, as in
Electrum's ``on_resolve_done``.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QThreadPool, Signal
from shiboken6 import Shiboken

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Ticket:
    """Which operation a result belongs to: its channel and its revision there."""

    channel: str | None
    revision: int


@dataclass(frozen=True, slots=True)
class _Outcome(Generic[T]):
    ticket: Ticket
    value: T | None
    error: BaseException | None
    success: Callable[[T], None]
    failure: Callable[[BaseException], None] | None
    owner: QObject | None


class BackgroundRunner(QObject):
    """Runs operations on one worker thread.

    Signals:
        _finished(object): internal; carries an outcome from the worker to the GUI thread.
    """

    _finished = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._revisions: dict[str, int] = {}
        self._running = 0
        self._closed = False
        self._finished.connect(self._deliver)

    @property
    def busy(self) -> bool:
        """True while an operation is queued or running (its result not yet delivered)."""
        return self._running > 0

    def run(
        self,
        op: Callable[[], T],
        success: Callable[[T], None],
        *,
        channel: str | None = None,
        failure: Callable[[BaseException], None] | None = None,
        owner: QObject | None = None,
    ) -> Ticket:
        """Start ``op``; ``success(value)`` or ``failure(error)`` follows on the GUI thread.

        ``channel``: a later ``run`` on the same channel makes this result stale; a stale
        result is dropped. ``owner``: if it is deleted by then, the result is dropped too.
        Without ``failure`` an error is logged (by type only) and dropped.
        """
        if self._closed:
            raise RuntimeError("the background helper is shut down")
        revision = self._revisions.get(channel, 0) + 1 if channel is not None else 0
        if channel is not None:
            self._revisions[channel] = revision
        ticket = Ticket(channel, revision)

        def task() -> None:
            try:
                outcome: _Outcome[Any] = _Outcome(ticket, op(), None, success, failure, owner)
            except BaseException as error:  # delivered to ``failure`` on the GUI thread
                outcome = _Outcome(ticket, None, error, success, failure, owner)
            self._finished.emit(outcome)

        self._running += 1
        self._pool.start(task)
        return ticket

    def is_current(self, ticket: Ticket) -> bool:
        """True unless a newer operation was started on the ticket's channel."""
        return ticket.channel is None or self._revisions.get(ticket.channel) == ticket.revision

    def _deliver(self, outcome: _Outcome[Any]) -> None:
        self._running -= 1
        if self._closed or not self.is_current(outcome.ticket):
            return
        if outcome.owner is not None and not Shiboken.isValid(outcome.owner):
            return
        if outcome.error is None:
            outcome.success(outcome.value)
        elif outcome.failure is not None:
            outcome.failure(outcome.error)
        else:
            log.error("background operation failed: %s", type(outcome.error).__name__)

    def wait(self, msecs: int = -1) -> bool:
        """Wait for the worker to be idle (results are delivered by the event loop later)."""
        return self._pool.waitForDone(msecs)

    def shutdown(self) -> None:
        """Drop queued operations, wait for the running one, deliver nothing more."""
        self._closed = True
        self._pool.clear()
        self._pool.waitForDone()
