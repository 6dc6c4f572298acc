"""The outbox the compose window asks: an override is written to the audit log, then queued.

"No record, nothing is sent" is a security rule: a message sent without encryption by
the user's choice, or after recipients were taken off, must leave a record first. If the
record cannot be written the message is not handed to the outbox at all, and the error
(an ``AuditError``) goes back to the window, which keeps the draft and says why.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Final, Protocol

from desktop_app.core.recipients.send_gate import Choice
from desktop_app.services.audit import AuditEntry

if TYPE_CHECKING:
    from desktop_app.core.recipients.send_gate import SendPlan
    from desktop_app.services.outbox.submission import MessageContent, Outbox, Submitted

# The choices that override what the gate wanted: each leaves a record before it is sent.
AUDITED_CHOICES: Final = frozenset({Choice.REMOVE_AND_ENCRYPT, Choice.SEND_UNENCRYPTED})


class AuditRecorder(Protocol):
    """Where override records go (``AuditLog``); ``record`` raises when it cannot write."""

    def record(self, entry: AuditEntry) -> None: ...


def override_entry(plan: SendPlan, at: datetime) -> AuditEntry:
    """The audit record of ``plan``: who, to whom, what was chosen and taken off, and why."""
    draft = plan.draft
    return AuditEntry(
        time=at,
        sender=draft.sender.address if draft.sender is not None else None,
        recipients=tuple(mailbox.address for mailbox in draft.recipients),
        choice=plan.choice.value if plan.choice is not None else "",
        encrypted=plan.encrypted,
        removed=tuple(mailbox.address for mailbox in plan.removed),
        reason=plan.phi_reason.value if plan.phi_reason else None,
        phi=plan.phi,
    )


class AuditedOutbox:
    """An ``Outbox`` that records each override before it hands the message on.

    Call ``submit`` off the GUI thread: the record is on disk before the message is queued.
    """

    def __init__(self, outbox: Outbox, audit: AuditRecorder, clock: Callable[[], datetime]) -> None:
        self._outbox = outbox
        self._audit = audit
        self._clock = clock

    def submit(self, message: MessageContent, plan: SendPlan) -> Submitted:
        """Record an override (``AUDITED_CHOICES``), then queue ``message`` as ``plan`` says.

        Raises:
            AuditError: the record could not be written; nothing was queued.
            OutboxError: nothing was queued.
        """
        if plan.choice in AUDITED_CHOICES:
            self._audit.record(override_entry(plan, self._clock()))
        return self._outbox.submit(message, plan)
