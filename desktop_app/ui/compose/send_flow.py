"""What pressing Send asks before anything leaves, and what is said once it has.

Each question goes through the window's ``Prompts``; the decisions themselves are the
send gate's (``core.recipients.send_gate``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.core.messages import text
from desktop_app.core.phi.message_scan import PhiReport
from desktop_app.core.phi.override import needs_reason
from desktop_app.core.recipients.address_entries import AddressEntry
from desktop_app.core.recipients.after_send import Delivery, SendOutcome, outcome_of
from desktop_app.core.recipients.send_gate import Choice, GateKind, SendPlan
from desktop_app.services.outbox.submission import Submitted
from desktop_app.ui.compose.prompts import Confirmation

if TYPE_CHECKING:
    from desktop_app.ui.compose.window import ComposeWindow

INVALID_NAMED = 5  # more bad entries than this are counted, with the first few named


def ready_to_send(window: ComposeWindow) -> bool:
    """Commit typed addresses; False (and the user told why, or the send deferred until
    every lookup has answered) when the gate cannot decide yet."""
    for token_field in window.fields.values():
        token_field.editor.take()
    session, prompts = window.session, window.prompts
    invalid = [entry for model in session.models.values() for entry in model.invalid()]
    if invalid:
        prompts.inform(text("compose.invalid_title"), invalid_message(invalid))
        return False
    if session.checking:
        window.send_when_checked()
        return False
    return True


def plan_send(window: ComposeWindow, phi: PhiReport) -> tuple[SendPlan, str] | None:
    """Ask what the gate wants asked, with what the PHI guard found (``phi``); the plan
    and the body to send, or None when nothing is to be sent (yet)."""
    session, prompts = window.session, window.prompts
    status = session.status
    decision = session.decision(window.body.toPlainText(), phi)
    if decision.kind is GateKind.NO_RECIPIENTS:
        prompts.inform(decision.title, decision.message)
        return None
    choice: Choice | None = None
    if decision.kind is GateKind.OPEN_DIALOG:
        choice = prompts.choose(decision)
        if choice is Choice.KEEP_EDITING:
            return None
    body = window.body.toPlainText()
    unencrypted = choice is Choice.SEND_UNENCRYPTED
    if unencrypted or (decision.kind is GateKind.SEND_UNENCRYPTED and decision.quoted_original):
        confirmation = prompts.confirm_unencrypted(decision)
        if confirmation is Confirmation.CANCEL:
            return None
        if confirmation is Confirmation.SEND_WITHOUT_QUOTE:
            body = session.without_quote(body)
    reason = None
    if unencrypted and needs_reason(decision.phi):
        reason = prompts.phi_reason(decision)
        if reason is None:
            return None
    if session.status is not status:
        # Evidence arrived while a question was open: the answer was to another verdict.
        prompts.inform(text("compose.verdict_changed_title"), text("compose.verdict_changed"))
        return None
    plan = session.plan(decision, choice, reason)
    return None if plan is None else (plan, body)


def invalid_message(invalid: list[AddressEntry]) -> str:
    """Names every entry that is not an address, or the count and the first few."""
    names = ", ".join(f"“{entry.written}”" for entry in invalid[:INVALID_NAMED])
    if len(invalid) > INVALID_NAMED:
        return text("compose.invalid_many", count=len(invalid), names=names)
    message = text("compose.invalid_some", count=len(invalid), names=names)
    if len(invalid) == 1 and invalid[0].error:
        message += "\n\n" + invalid[0].error
    return message


def outcome_of_submitted(plan: SendPlan, submitted: Submitted) -> SendOutcome:
    """What happened, for ``after_send_line``: the plan as the outbox delivered it."""
    waiting = submitted.delivery is Delivery.WAITING
    return outcome_of(
        plan,
        submitted.delivery,
        submitted.waiting_reason,
        submitted.retry_in_seconds if waiting else None,
    )
