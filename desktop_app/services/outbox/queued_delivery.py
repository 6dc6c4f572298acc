"""The outbox of a user with a mail account: queue, then send through the account's server.

A message is sealed (or, by the user's choice at the send gate, written unencrypted),
every copy is put in the outbox queue, and only then is anything sent. What cannot be
sent now stays queued exactly as it was sealed and is tried again later; it is never
sealed again, weaker or not, and never sent in plaintext in its place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.core.recipients.after_send import Delivery
from desktop_app.services.outbox.submission import MessageContent, OutboxError, Sealer, Submitted

if TYPE_CHECKING:
    from desktop_app.core.recipients.send_gate import SendPlan
    from desktop_app.services.outbox.queue import OutboxQueue, QueuedMessage
    from desktop_app.services.outbox.sending_run import SendReport

log = logging.getLogger(__name__)

COMPOSE_SOURCE = "compose window"

# Sends the given queued messages (and whatever else is due); never raises for a failure
# of one message or of the server: those stay queued, with the reason.
SendQueued = Callable[[Sequence["QueuedMessage"]], "SendReport"]


class QueuedDelivery:
    """``Outbox`` for the compose window when a mail account is set up (``AccountDelivery``
    adds the route each kind took)."""

    def __init__(
        self,
        outbox: OutboxQueue,
        sealer: Sealer,
        unencrypted: Sealer,
        send: SendQueued,
        retry_in_seconds: int | None = None,
    ) -> None:
        """``retry_in_seconds``: how soon what could not be sent is tried again."""
        self._retry_in_seconds = retry_in_seconds
        self._outbox = outbox
        self._sealer = sealer
        self._unencrypted = unencrypted
        self._send = send

    def submit(self, message: MessageContent, plan: SendPlan) -> Submitted:
        """Queue every copy of ``message``, then send what waits.

        Raises:
            UserFacingError: sealing refused or failed; nothing was queued or sent.
            OutboxError: a copy could not be queued; nothing was queued or sent.
        """
        writer = self._sealer if plan.encrypted else self._unencrypted
        queued = self._queue(writer(message, plan), unencrypted=not plan.encrypted)
        reason, notice = self._send_now(queued)
        paths = tuple(self._outbox.folder / item.file_name for item in queued)
        if reason is None:
            return Submitted(None, paths, notice, Delivery.SENT)
        return Submitted(
            None,
            paths,
            text("sending.waiting", reason=reason or text("after_send.no_answer")),
            Delivery.WAITING,
            waiting_reason=reason,
            retry_in_seconds=self._retry_in_seconds,
        )

    def _queue(self, copies: Sequence[bytes], *, unencrypted: bool) -> list[QueuedMessage]:
        """All copies or none: a Bcc copy must never go without the others, or the reverse."""
        try:
            return self._outbox.add_copies(
                copies, COMPOSE_SOURCE, unencrypted_by_choice=unencrypted
            )
        except UserFacingError as error:
            raise OutboxError(text("sending.queue_failed", reason=error.message)) from None

    def _send_now(self, queued: Sequence[QueuedMessage]) -> tuple[str | None, str]:
        """Send what waits: (None, the line saying so) when ours all left, else (why they
        wait, "")."""
        ours = {item.id for item in queued}
        try:
            report = self._send(self._outbox.pending())
        except Exception as error:  # the copies are safe in the outbox whatever happened
            # By type only: the log never holds addresses or server texts.
            log.error("sending from the outbox failed: %s", type(error).__name__)
            # Never a class name for the user: an unexpected failure is "no answer".
            return (error.message if isinstance(error, UserFacingError) else ""), ""
        waiting = [item for item in report.waiting if item.id in ours]
        if waiting:
            return waiting[0].last_error or "", ""
        return None, self._sent_notice(report, ours)

    def _sent_notice(self, report: SendReport, ours: set[str]) -> str:
        """The line for a message that left (accounts name their route)."""
        return text("sending.sent")
