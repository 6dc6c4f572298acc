"""What an outbox takes (a message's content and its send plan) and what it answers.

The outboxes: ``folder.FolderOutbox`` (the demo's, and that of a user without an account),
``queued_delivery.QueuedDelivery`` (through the account's server), and around either
one ``audited.AuditedOutbox``, which the compose window asks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from desktop_app.core.errors import UserFacingError
from desktop_app.core.recipients.after_send import Delivery

if TYPE_CHECKING:
    from desktop_app.core.recipients.send_gate import SendPlan


class OutboxError(UserFacingError):
    """The message could not be put in the outbox; nothing was sent."""


@dataclass(frozen=True, slots=True)
class MessageContent:
    """Everything of a message other than its recipients, which the send plan holds.

    Not ``core.smime.seal.OutgoingMessage``: that is the message as sealed, recipients
    and MIME body included; a sealer makes one from this and the plan.
    """

    subject: str
    body: str
    attachments: tuple[Path, ...] = ()
    sign: bool = False
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Submitted:
    """Where the outbox put a message: its summary (if it writes one), the message files,
    and a line for the user on how sending went.

    ``delivery`` says whether it left, was kept in the outbox folder or waits to be sent
    (then ``waiting_reason`` says why and ``retry_in_seconds`` when it is tried again);
    ``core.recipients.after_send`` turns that and the send plan into the line to show.
    """

    summary: Path | None
    sealed: tuple[Path, ...] = ()
    notice: str = ""
    delivery: Delivery = Delivery.KEPT
    waiting_reason: str = ""
    retry_in_seconds: int | None = None


class Sealer(Protocol):
    """Seals an encrypted plan: one S/MIME message (RFC 5322 bytes) per envelope, in order.

    It must decide again from fresh evidence and refuse (raise a ``UserFacingError``)
    rather than seal for part of the recipients. The same shape writes the messages of
    a plan sent unencrypted by the user's choice.
    """

    def __call__(self, message: MessageContent, plan: SendPlan) -> Sequence[bytes]: ...


class Outbox(Protocol):
    """Takes a message whose send plan the gate and the user have settled."""

    def submit(self, message: MessageContent, plan: SendPlan) -> Submitted:
        """Queue ``message`` as ``plan`` says.

        Raises:
            OutboxError: nothing was queued.
        """
        ...
