"""What happened after Send, in one line: "Sent encrypted to 3 people".

Built from the send plan and what the outbox did with it, so the main window's status
bar and the Sent and Outbox views say the same thing in the same words.
"""

from dataclasses import dataclass
from enum import StrEnum

from desktop_app.core.messages import text
from desktop_app.core.recipients.addresses import Mailbox
from desktop_app.core.recipients.naming import NAMED_AT_MOST, name_list
from desktop_app.core.recipients.send_gate import Choice, SendPlan
from desktop_app.core.recipients.status import unique_recipients


class Delivery(StrEnum):
    """Where the message is once Send has done its part."""

    SENT = "sent"  # the mail server accepted it
    KEPT = "kept"  # written to the outbox folder (no mail account, or the demo)
    WAITING = "waiting"  # queued; the server has not taken it yet and it is tried again


@dataclass(frozen=True, slots=True)
class SendOutcome:
    """The result of one Send.

    ``recipients`` are those it went to (each once), ``removed`` those the user took off
    at the gate; ``recorded`` says the choice to send without encryption is in the audit
    log. ``reason`` says why a message waits; ``retry_in_seconds`` when it is tried again.
    """

    encrypted: bool
    recipients: tuple[Mailbox, ...]
    removed: tuple[Mailbox, ...] = ()
    recorded: bool = False
    delivery: Delivery = Delivery.SENT
    reason: str = ""
    retry_in_seconds: int | None = None


def outcome_of(
    plan: SendPlan,
    delivery: Delivery,
    reason: str = "",
    retry_in_seconds: int | None = None,
) -> SendOutcome:
    """The outcome of sending ``plan``, delivered as ``delivery`` says."""
    unique, _ = unique_recipients(plan.draft)
    return SendOutcome(
        encrypted=plan.encrypted,
        recipients=tuple(mailbox for _, mailbox in unique),
        removed=plan.removed,
        recorded=plan.choice is Choice.SEND_UNENCRYPTED,
        delivery=delivery,
        reason=reason,
        retry_in_seconds=retry_in_seconds,
    )


def _people(mailboxes: tuple[Mailbox, ...]) -> str:
    """One or a few people by name, more as a count ("3 people" reads at a glance)."""
    if 0 < len(mailboxes) < NAMED_AT_MOST:
        return name_list(mailboxes)
    return text("people.count", count=len(mailboxes))


def _wait(seconds: int) -> str:
    if seconds >= 60:
        return text("after_send.minutes", count=round(seconds / 60))
    return text("after_send.seconds", count=max(seconds, 1))


def after_send_line(outcome: SendOutcome) -> str:
    """One plain sentence: how it left (or that it waits), to whom, who was removed."""
    if outcome.delivery is Delivery.WAITING:
        reason = outcome.reason.strip().rstrip(".") or text("after_send.no_answer")
        if outcome.retry_in_seconds is None:
            return text("after_send.waiting_no_retry", reason=reason)
        return text("after_send.waiting", reason=reason, wait=_wait(outcome.retry_in_seconds))
    people = _people(outcome.recipients)
    kept = outcome.delivery is Delivery.KEPT
    if outcome.encrypted:
        if outcome.removed:
            key = "after_send.saved_encrypted_removed" if kept else "after_send.encrypted_removed"
            removed = name_list(outcome.removed)
            return text(key, people=people, removed=removed, count=len(outcome.removed))
        return text("after_send.saved_encrypted" if kept else "after_send.encrypted", people=people)
    if kept:
        key = "after_send.saved_plain_recorded" if outcome.recorded else "after_send.saved_plain"
    else:
        key = "after_send.plain_recorded" if outcome.recorded else "after_send.plain"
    return text(key, people=people)
