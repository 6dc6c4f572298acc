"""What pressing Send may do: the send gate's decision, the user's choices, the envelopes.

The gate reads only the one rule's ``MessageStatus``. It never offers a way to encrypt for
part of the recipients: a message is encrypted only when every recipient is covered, or
after the uncovered ones have been removed from the draft. Every Reply All to a mixed
group passes the gate, whether Encrypt is on or off.
"""

from dataclasses import dataclass, replace
from enum import StrEnum

from desktop_app.core.messages import text
from desktop_app.core.notices import Notice
from desktop_app.core.phi.describe import audit_tags
from desktop_app.core.phi.findings import PhiFinding
from desktop_app.core.phi.message_scan import PhiReport
from desktop_app.core.phi.override import (
    OverrideReason,
    blocks_unencrypted,
    findings_in_force,
    needs_reason,
)
from desktop_app.core.policy.model import Policy
from desktop_app.core.recipients.addresses import Mailbox
from desktop_app.core.recipients.naming import name_list
from desktop_app.core.recipients.replies import ComposeAction
from desktop_app.core.recipients.status import (
    Draft,
    Field,
    MessageStatus,
    Overall,
    RecipientStatus,
    unique_recipients,
)


class GateKind(StrEnum):
    """What happens when Send is pressed."""

    SEND_ENCRYPTED = "send_encrypted"  # every recipient is covered
    SEND_UNENCRYPTED = "send_unencrypted"  # Encrypt is off and the policy does not require it
    OPEN_DIALOG = "open_dialog"  # encryption is wanted but someone is not covered
    NO_RECIPIENTS = "no_recipients"


class Choice(StrEnum):
    """What the user may pick in the send dialog."""

    REMOVE_AND_ENCRYPT = "remove_and_encrypt"
    SEND_UNENCRYPTED = "send_unencrypted"
    KEEP_EDITING = "keep_editing"


@dataclass(frozen=True, slots=True)
class GateDecision:
    """The gate's answer for one status.

    ``choices`` are offered in this order and only these; ``uncovered`` are listed with
    their reasons, ``covered`` (for a mixed group while Encrypt is off) as those who could
    read it encrypted. ``external`` (recipients outside the internal domains, when the policy
    names some) and ``large_audience`` are shown in the same dialog. ``quoted_original``:
    sending without encryption would expose quoted text of an encrypted message, so the
    second confirmation must ask about it.
    """

    kind: GateKind
    title: str
    message: str
    uncovered: tuple[RecipientStatus, ...] = ()
    choices: tuple[Choice, ...] = ()
    covered: tuple[RecipientStatus, ...] = ()
    encrypt_off: bool = False
    external: tuple[Mailbox, ...] = ()
    audience: int = 0
    large_audience: bool = False
    encryption_required: bool = False
    quoted_original: bool = False
    warnings: tuple[Notice, ...] = ()  # from the mail server (MailTips), shown as notes
    # Patient details that would leave unencrypted (PHI guard), and attachments that
    # could not be checked; ``phi_blocked``: the policy refuses sending them unencrypted.
    phi: tuple[PhiFinding, ...] = ()
    phi_unchecked: tuple[str, ...] = ()
    phi_blocked: bool = False
    # What the Subject gives away, whether encrypted or not (the Subject travels in clear
    # unless headers are protected).
    subject_phi: tuple[PhiFinding, ...] = ()


@dataclass(frozen=True, slots=True)
class Envelope:
    """One sealed copy: the recipients it is encrypted to. ``blind`` marks a Bcc copy."""

    recipients: tuple[Mailbox, ...]
    blind: bool = False


@dataclass(frozen=True, slots=True)
class SendPlan:
    """What will leave: the final draft, encrypted or not, and why.

    ``choice`` is the dialog choice that led here (None when no dialog was needed);
    ``removed`` are the recipients taken off; ``envelopes`` are empty for a message sent
    without encryption.
    """

    draft: Draft
    encrypted: bool
    choice: Choice | None
    removed: tuple[Mailbox, ...] = ()
    envelopes: tuple[Envelope, ...] = ()
    phi_reason: OverrideReason | None = None
    phi: tuple[str, ...] = ()  # kind@where of what was found, for the audit record


class StaleStatusError(ValueError):
    """The status given was computed for other recipients than the draft's (a bug)."""


def _recipient_keys(draft: Draft) -> tuple[str, ...]:
    unique, _ = unique_recipients(draft)
    return tuple(mailbox.key for _, mailbox in unique)


def _check_matches(draft: Draft, status: MessageStatus) -> None:
    if _recipient_keys(draft) != tuple(r.mailbox.key for r in status.recipients):
        raise StaleStatusError("the status was computed for other recipients")


def _dialog_wording(
    status: MessageStatus, action: ComposeAction, *, required: bool, override: bool
) -> tuple[str, str]:
    count, uncovered = len(status.recipients), len(status.uncovered)
    mixed = 0 < uncovered < count
    if action is ComposeAction.REPLY_ALL and mixed:
        title = text("gate.title_reply_all")
        message = text("gate.message_reply_all", uncovered=uncovered, count=count)
    else:
        title = text("gate.title")
        message = text("gate.message", uncovered=uncovered, count=count)
    if required:
        # Never "policy requires encryption" beside a button that sends without it.
        message += " " + text("gate.required_override" if override else "gate.required_no_override")
    return title, message


def encryption_required(status: MessageStatus, policy: Policy) -> bool:
    """True when ``policy`` requires the message to ``status``'s recipients to be encrypted
    (the gate, the Encrypt toggle and the status line all ask this)."""
    return policy.requires_encryption(recipient.mailbox.key for recipient in status.recipients)


def _mixed(status: MessageStatus) -> bool:
    return 0 < len(status.uncovered) < len(status.recipients)


def gate(
    status: MessageStatus,
    *,
    encrypt_on: bool,
    action: ComposeAction,
    policy: Policy,
    quoting_encrypted_original: bool,
    phi: PhiReport = PhiReport(),  # noqa: B008 (frozen, empty)
) -> GateDecision:
    """The decision for pressing Send on a draft whose one-rule verdict is ``status``.

    Encryption is wanted when Encrypt is on or the policy requires it for these
    recipients. Wanted and everyone covered: SEND_ENCRYPTED. Wanted and someone not
    covered: OPEN_DIALOG, offering "remove_and_encrypt" only when at least one recipient
    remains covered, "send_unencrypted" only when the policy allows it, and always
    "keep_editing". Not wanted: SEND_UNENCRYPTED, with two exceptions. A Reply All to a
    mixed group (some covered, some not): OPEN_DIALOG naming who could and who could not
    read it encrypted, offering "remove_and_encrypt", "send_unencrypted" (the policy does
    not require encryption here, so it is allowed; it is confirmed and audited as any
    override) and "keep_editing". And when ``phi`` found patient details or could not
    check an attachment: OPEN_DIALOG names them. Under ``phi = "block"`` a detail found
    takes "send_unencrypted" away, in every dialog.
    """
    keys = [recipient.mailbox.key for recipient in status.recipients]
    if not keys:
        return GateDecision(GateKind.NO_RECIPIENTS, text("gate.title"), text("gate.no_recipients"))
    required = encryption_required(status, policy)
    external = (
        tuple(r.mailbox for r in status.recipients if not policy.is_internal(r.mailbox.key))
        if policy.internal_domains
        else ()
    )
    flags = GateDecision(
        GateKind.SEND_UNENCRYPTED,
        text("gate.title_unencrypted"),
        text("gate.message_unencrypted", count=len(keys)),
        external=external,
        audience=len(keys),
        large_audience=len(keys) > policy.large_audience,
        encryption_required=required,
    )
    phi = findings_in_force(phi, policy)
    blocked = blocks_unencrypted(phi, policy)
    if not policy.protect_headers:
        flags = replace(flags, subject_phi=phi.subject)
    if not (encrypt_on or required):
        if action is ComposeAction.REPLY_ALL and _mixed(status):
            mixed = _mixed_reply_all_off(flags, status, quoting_encrypted_original, blocked)
            return replace(
                mixed, phi=phi.findings, phi_unchecked=phi.unchecked, phi_blocked=blocked
            )
        if not (phi.findings or phi.unchecked):
            return replace(flags, quoted_original=quoting_encrypted_original)
        offered = (
            (Choice.KEEP_EDITING,) if blocked else (Choice.SEND_UNENCRYPTED, Choice.KEEP_EDITING)
        )
        return replace(
            flags,
            kind=GateKind.OPEN_DIALOG,
            title=text("gate.phi_title"),
            message=text("gate.phi_blocked" if blocked else "gate.phi_message"),
            choices=offered,
            quoted_original=quoting_encrypted_original and not blocked,
            phi=phi.findings,
            phi_unchecked=phi.unchecked,
            phi_blocked=blocked,
        )
    if status.overall is Overall.ENCRYPTED:
        return replace(
            flags,
            kind=GateKind.SEND_ENCRYPTED,
            title=text("gate.title_encrypted"),
            message=status.summary,
        )
    uncovered = status.uncovered
    choices: list[Choice] = []
    if len(uncovered) < len(status.recipients):
        choices.append(Choice.REMOVE_AND_ENCRYPT)
    if policy.allow_unencrypted_override and not blocked:
        choices.append(Choice.SEND_UNENCRYPTED)
    choices.append(Choice.KEEP_EDITING)
    title, message = _dialog_wording(
        status, action, required=required, override=policy.allow_unencrypted_override
    )
    if blocked and policy.allow_unencrypted_override:
        message += " " + text("gate.phi_blocked")
    return replace(
        flags,
        kind=GateKind.OPEN_DIALOG,
        title=title,
        message=message,
        uncovered=uncovered,
        choices=tuple(choices),
        quoted_original=quoting_encrypted_original and Choice.SEND_UNENCRYPTED in choices,
        phi=phi.findings,
        phi_unchecked=phi.unchecked,
        phi_blocked=blocked,
    )


def _mixed_reply_all_off(
    flags: GateDecision, status: MessageStatus, quoting_encrypted_original: bool, blocked: bool
) -> GateDecision:
    covered = tuple(recipient for recipient in status.recipients if recipient.covered)
    uncovered = status.uncovered
    message = text(
        "gate.message_reply_all_off",
        covered=name_list([recipient.mailbox for recipient in covered]),
        uncovered=name_list([recipient.mailbox for recipient in uncovered]),
    )
    if blocked:
        message += " " + text("gate.phi_blocked")
    choices = (
        (Choice.REMOVE_AND_ENCRYPT, Choice.KEEP_EDITING)
        if blocked
        else (Choice.REMOVE_AND_ENCRYPT, Choice.SEND_UNENCRYPTED, Choice.KEEP_EDITING)
    )
    return replace(
        flags,
        kind=GateKind.OPEN_DIALOG,
        title=text("gate.title_reply_all"),
        message=message,
        uncovered=uncovered,
        covered=covered,
        choices=choices,
        encrypt_off=True,
        quoted_original=quoting_encrypted_original and not blocked,
    )


def encrypt_after_change(
    on: bool, before: Overall | None, after: MessageStatus, *, settled: bool, required: bool
) -> bool:
    """The Encrypt toggle once the verdict went from ``before`` to ``after``.

    ``before`` is the last verdict given while no lookup was pending (None at first);
    ``settled`` says no lookup is pending now. Encrypt never turns itself off (the status
    line says why encryption is not possible instead); it turns itself on when the policy
    requires it, and when every recipient has just become covered. A user who turned it
    off while everyone was covered keeps it off until that changes.
    """
    if on or required:
        return True
    return settled and after.overall is Overall.ENCRYPTED and before is not Overall.ENCRYPTED


def remove_uncovered(draft: Draft, status: MessageStatus) -> Draft:
    """``draft`` without every recipient ``status`` calls not covered (from all fields)."""
    _check_matches(draft, status)
    gone = {recipient.mailbox.key for recipient in status.uncovered}

    def kept(mailboxes: tuple[Mailbox, ...]) -> tuple[Mailbox, ...]:
        return tuple(mailbox for mailbox in mailboxes if mailbox.key not in gone)

    return Draft(to=kept(draft.to), cc=kept(draft.cc), bcc=kept(draft.bcc), sender=draft.sender)


def envelopes(draft: Draft) -> tuple[Envelope, ...]:
    """The sealed copies of an encrypted draft: one for To and Cc, one per Bcc recipient.

    Each Bcc recipient gets a copy of their own, so that no recipient list inside a
    copy reveals them to the others. The sender reads every copy (their Sent Items copy
    stays readable), as the S/MIME sealer does. A Bcc address also in To or Cc is sent
    only once.
    """
    unique, _ = unique_recipients(draft)
    visible: list[Mailbox] = [
        m for recipient_field, m in unique if recipient_field is not Field.BCC
    ]
    blind = [m for recipient_field, m in unique if recipient_field is Field.BCC]
    if draft.sender is not None and all(m.key != draft.sender.key for m in visible):
        visible.append(draft.sender)
    sealed = [Envelope(tuple(visible))] if visible else []
    own = (draft.sender,) if draft.sender is not None else ()
    sealed += [
        Envelope((mailbox, *(m for m in own if m.key != mailbox.key)), blind=True)
        for mailbox in blind
    ]
    return tuple(sealed)


def resolve(
    draft: Draft,
    status: MessageStatus,
    decision: GateDecision,
    choice: Choice | None,
    *,
    phi_reason: OverrideReason | None = None,
) -> SendPlan | None:
    """The plan for ``choice`` in ``decision`` on ``draft``; None means nothing is sent.

    ``choice`` must be None unless the decision opened the dialog, and then one of the
    choices it offered. Sending patient details unencrypted needs ``phi_reason``.

    Raises:
        StaleStatusError: ``status`` belongs to other recipients than ``draft``.
        ValueError: ``choice`` was not offered, or a reason is missing.
    """
    _check_matches(draft, status)
    if decision.kind is GateKind.NO_RECIPIENTS:
        return None
    if decision.kind is not GateKind.OPEN_DIALOG:
        if choice is not None:
            raise ValueError(f"no choice is offered for {decision.kind}")
        if decision.kind is GateKind.SEND_UNENCRYPTED:
            return SendPlan(draft, encrypted=False, choice=None)
        if status.overall is not Overall.ENCRYPTED:
            raise StaleStatusError("an encrypted send needs every recipient covered")
        return SendPlan(draft, encrypted=True, choice=None, envelopes=envelopes(draft))
    if choice is None or choice not in decision.choices:
        raise ValueError(f"{choice} was not offered")
    if choice is Choice.KEEP_EDITING:
        return None
    if choice is Choice.SEND_UNENCRYPTED:
        if needs_reason(decision.phi) and phi_reason is None:
            raise ValueError("sending patient details unencrypted needs a reason")
        return SendPlan(
            draft,
            encrypted=False,
            choice=choice,
            phi_reason=phi_reason if decision.phi else None,
            phi=audit_tags(decision.phi),
        )
    covered_keys = {r.mailbox.key for r in status.recipients if r.covered}
    remaining = remove_uncovered(draft, status)
    if not covered_keys or set(_recipient_keys(remaining)) - covered_keys:
        raise StaleStatusError("removal left a recipient that is not covered")
    removed = _removed(draft, remaining)
    return SendPlan(
        remaining, encrypted=True, choice=choice, removed=removed, envelopes=envelopes(remaining)
    )


def _removed(before: Draft, after: Draft) -> tuple[Mailbox, ...]:
    left = set(_recipient_keys(after))
    unique, _ = unique_recipients(before)
    return tuple(mailbox for _, mailbox in unique if mailbox.key not in left)
