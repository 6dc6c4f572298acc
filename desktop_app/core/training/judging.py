"""Judging a trainee's decision against the product's own verdict, and explaining it.

The verdict and the send-gate decision passed in come from ``decide`` and ``gate``: a
scenario may never call "correct" something the product itself would refuse or contradict
(see :func:`consistency_problems`).
"""

from dataclasses import dataclass

from desktop_app.core.messages import text
from desktop_app.core.recipients.send_gate import Choice, GateDecision, GateKind
from desktop_app.core.recipients.status import MessageStatus, Overall, RecipientStatus
from desktop_app.core.training.schema import Decision, Scenario

FULL_SCORE = 100
RETRY_SCORE = 50  # right, but only on a later attempt


@dataclass(frozen=True, slots=True)
class Feedback:
    """What the trainee sees after deciding: right or not, what would have happened, why."""

    decision: Decision
    correct: bool
    headline: str
    consequences: tuple[str, ...]
    explanation: str
    score: int


def _name(status: RecipientStatus) -> str:
    return status.mailbox.display_name or status.mailbox.address


def _names(statuses: tuple[RecipientStatus, ...]) -> str:
    return ", ".join(_name(status) for status in statuses)


def product_allows(decision: Decision, status: MessageStatus, gate: GateDecision) -> bool:
    """Whether the product agrees that ``decision`` can be right for this verdict.

    Send encrypted: only when the one rule says Encrypted. Remove recipients and send
    without encryption: only when the send gate offers them (or, for the latter, when no
    encryption is needed). Keep editing: when something is not covered or a warning is
    shown (patient details in the Subject among them). Asking for a signed message: when
    someone is not covered.
    """
    if decision is Decision.SEND_ENCRYPTED:
        return status.overall is Overall.ENCRYPTED
    if decision is Decision.REMOVE_RECIPIENTS:
        return gate.kind is GateKind.OPEN_DIALOG and Choice.REMOVE_AND_ENCRYPT in gate.choices
    if decision is Decision.SEND_UNENCRYPTED:
        return gate.kind is GateKind.SEND_UNENCRYPTED or Choice.SEND_UNENCRYPTED in gate.choices
    if decision is Decision.KEEP_EDITING:
        flagged = bool(status.notices or gate.subject_phi or gate.phi)
        return status.overall is not Overall.ENCRYPTED or flagged
    return bool(status.uncovered)


def consistency_problems(
    scenario: Scenario, status: MessageStatus, gate: GateDecision
) -> tuple[str, ...]:
    """Where the scenario would teach something the product disagrees with; empty if none."""
    problems: list[str] = []
    answer = scenario.answer
    if status.overall is not answer.expect:
        problems.append(f"answer.expect is {answer.expect}, the product says {status.overall}")
    for decision in sorted(answer.correct):
        if not product_allows(decision, status, gate):
            problems.append(f"answer.correct has {decision}, which the product would not do")
    quiet = status.overall is Overall.ENCRYPTED and not status.notices and not gate.subject_phi
    if quiet and Decision.SEND_ENCRYPTED not in answer.correct:
        problems.append("everyone is covered and nothing is flagged, yet send_encrypted is wrong")
    shown = {notice.code for notice in status.notices}
    for code in sorted(answer.notices - shown):
        problems.append(f"answer.notices expects {code}, the product shows {sorted(shown)}")
    by_key = {recipient.mailbox.key: recipient for recipient in status.recipients}
    for person in scenario.people:
        recipient = by_key.get(person.mailbox.key)
        if person.expect is not None and (recipient is None or recipient.code is not person.expect):
            got = recipient.code if recipient is not None else "not a recipient"
            problems.append(f"{person.mailbox.address}: expect {person.expect}, product {got}")
    return tuple(problems)


def consequences(decision: Decision, status: MessageStatus, gate: GateDecision) -> tuple[str, ...]:
    """What would have happened after ``decision``, in sentences for the trainee."""
    uncovered = status.uncovered
    if decision is Decision.SEND_ENCRYPTED:
        if status.overall is Overall.ENCRYPTED:
            return (text("training.result_all_read"),)
        lines = [text("training.result_p7m", name=_name(r)) for r in uncovered]
        return (*lines, text("training.result_gate_stops"))
    if decision is Decision.REMOVE_RECIPIENTS:
        if not uncovered:
            return (text("training.result_nobody_to_remove"),)
        if len(uncovered) == len(status.recipients):
            return (text("training.result_nobody_left"),)
        return (text("training.result_removed", names=_names(uncovered)),)
    if decision is Decision.SEND_UNENCRYPTED:
        if not product_allows(decision, status, gate):
            return (text("training.result_policy_forbids"),)
        lines = [text("training.result_clear_text")]
        if gate.quoted_original:
            lines.append(text("training.result_quote_exposed"))
        if gate.kind is GateKind.OPEN_DIALOG:
            lines.append(text("training.result_audited"))
        return tuple(lines)
    if decision is Decision.KEEP_EDITING:
        return (text("training.result_nothing_sent"),)
    if not uncovered:
        return (text("training.result_no_need_to_ask"),)
    return (text("training.result_asked", names=_names(uncovered)),)


def attempt_score(correct: bool, attempt: int) -> int:
    """Full marks when right at the first attempt (``attempt`` 1), half later, else none."""
    if not correct:
        return 0
    return FULL_SCORE if attempt <= 1 else RETRY_SCORE


def judge(
    scenario: Scenario,
    decision: Decision,
    status: MessageStatus,
    gate: GateDecision,
    attempt: int,
) -> Feedback:
    """The feedback for ``decision`` at the ``attempt``-th try (1 for the first)."""
    correct = decision in scenario.answer.correct
    return Feedback(
        decision=decision,
        correct=correct,
        headline=text("training.correct" if correct else "training.incorrect"),
        consequences=consequences(decision, status, gate),
        explanation=scenario.answer.explanation,
        score=attempt_score(correct, attempt),
    )
