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


@dataclass(slots=True)
class _Job(Generic[T]):
    """One operation and what follows it; kept on the GUI thread until delivered.

    The worker thread sees a job only while running it and lets go of it before it
    reports back, so every Python reference to a widget (in ``op``'s closure, in the
    callbacks, in an error's traceback) is released on the GUI thread. A QObject whose
    last reference dies on another thread is deleted there, and Qt crashes.
    """

    ticket: Ticket
    op: Callable[[], T] | None
    success: Callable[[T], None]
    failure: Callable[[BaseException], None] | None
    owner: QObject | None
    value: T | None = None
    error: BaseException | None = None


class BackgroundRunner(QObject):
    """Runs operations on one worker thread.

    Signals:
        _finished(int): internal; tells the GUI thread which job the worker has finished.
    """

    _finished = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._revisions: dict[str, int] = {}
        self._running = 0
        self._closed = False
        self._jobs: dict[int, _Job[Any]] = {}
        self._next_job = 0
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

        self._next_job += 1
        job_id = self._next_job
        self._jobs[job_id] = _Job(ticket, op, success, failure, owner)

        def task() -> None:
            job: _Job[Any] | None = self._jobs[job_id]
            assert job is not None and job.op is not None
            try:
                job.value = job.op()
            except BaseException as error:  # delivered to ``failure`` on the GUI thread
                job.error = error
            job = None  # let go before reporting: see _Job
            self._finished.emit(job_id)

        self._running += 1
        self._pool.start(task)
        return ticket

    def is_current(self, ticket: Ticket) -> bool:
        """True unless a newer operation was started on the ticket's channel."""
        return ticket.channel is None or self._revisions.get(ticket.channel) == ticket.revision

    def _deliver(self, job_id: int) -> None:
        self._running -= 1
        job = self._jobs.pop(job_id, None)
        if job is None:  # dropped by shutdown
            return
        job.op = None
        if self._closed or not self.is_current(job.ticket):
            return
        if job.owner is not None and not Shiboken.isValid(job.owner):
            return
        if job.error is None:
            job.success(job.value)
        elif job.failure is not None:
            job.failure(job.error)
        else:
            log.error("background operation failed: %s", type(job.error).__name__)

    def wait(self, msecs: int = -1) -> bool:
        """Wait for the worker to be idle (results are delivered by the event loop later)."""
        return self._pool.waitForDone(msecs)

    def shutdown(self) -> None:
        """Drop queued operations, wait for the running one, deliver nothing more."""
        self._closed = True
        self._pool.clear()
        self._pool.waitForDone()
        self._jobs.clear()  # on the GUI thread, with whatever the jobs still hold
