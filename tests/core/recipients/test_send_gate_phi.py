"""The send gate with the PHI guard: findings join the gate when a message would leave
unencrypted; policy phi = "block" takes the unencrypted send away; overriding needs a
reason, which the plan carries for the audit record."""

import dataclasses

import pytest

from desktop_app.core.phi.detect import PhiRules
from desktop_app.core.phi.message_scan import AttachmentText, PhiReport, scan_message
from desktop_app.core.phi.override import OverrideReason
from desktop_app.core.pki.usability import CertCode
from desktop_app.core.policy.model import PhiMode
from desktop_app.core.recipients.replies import ComposeAction
from desktop_app.core.recipients.send_gate import Choice, GateKind, gate, resolve
from desktop_app.core.recipients.status import Draft, decide
from tests.core.recipients.test_send_gate import CLINIC, ME, evidence_for, mailboxes

DOB_IN_ATTACHMENT = scan_message(
    "Referral",
    "Please see attached.",
    [AttachmentText("referral.txt", "DOB: 04/12/1961")],
    PhiRules(),
)
NAME_CUE_ONLY = scan_message("Note for Mrs. Patel", "", [], PhiRules())
UNREADABLE = scan_message("Scan", "", [AttachmentText("scan.jpg", None)], PhiRules())


def _decide(phi: PhiReport, mode: PhiMode, *, encrypt_on: bool, partly_covered: bool = True):  # type: ignore[no-untyped-def]
    draft = Draft(to=mailboxes("ann@clinic.example", "bob@clinic.example"), sender=ME)
    codes = {"ann": CertCode.OK, "bob": CertCode.EXPIRED if partly_covered else CertCode.OK}
    status = decide(draft, evidence_for(**codes))
    policy = dataclasses.replace(CLINIC, phi=mode)
    decision = gate(
        status,
        encrypt_on=encrypt_on,
        action=ComposeAction.NEW,
        policy=policy,
        quoting_encrypted_original=False,
        phi=phi,
    )
    return draft, status, decision


def test_findings_join_the_dialog_and_need_a_reason_to_override() -> None:
    draft, status, decision = _decide(DOB_IN_ATTACHMENT, PhiMode.WARN, encrypt_on=True)
    assert decision.kind is GateKind.OPEN_DIALOG
    assert Choice.SEND_UNENCRYPTED in decision.choices
    assert [(f.kind, f.where) for f in decision.phi] == [("dob", "attachment:referral.txt")]
    with pytest.raises(ValueError, match="reason"):
        resolve(draft, status, decision, Choice.SEND_UNENCRYPTED)
    plan = resolve(
        draft, status, decision, Choice.SEND_UNENCRYPTED, phi_reason=OverrideReason.PATIENT_CONSENT
    )
    assert plan is not None and not plan.encrypted
    assert plan.phi_reason is OverrideReason.PATIENT_CONSENT
    assert plan.phi == ("dob@attachment:referral.txt",)
    # Removing the uncovered and encrypting needs no reason.
    removed = resolve(draft, status, decision, Choice.REMOVE_AND_ENCRYPT)
    assert removed is not None and removed.encrypted


def test_block_takes_the_unencrypted_send_away() -> None:
    _, _, decision = _decide(DOB_IN_ATTACHMENT, PhiMode.BLOCK, encrypt_on=True)
    assert decision.choices == (Choice.REMOVE_AND_ENCRYPT, Choice.KEEP_EDITING)
    assert decision.phi_blocked
    _, _, decision = _decide(DOB_IN_ATTACHMENT, PhiMode.BLOCK, encrypt_on=False)
    assert decision.kind is GateKind.OPEN_DIALOG and decision.choices == (Choice.KEEP_EDITING,)


def test_encrypt_off_with_findings_opens_the_dialog_instead_of_sending() -> None:
    draft, status, decision = _decide(DOB_IN_ATTACHMENT, PhiMode.WARN, encrypt_on=False)
    assert decision.kind is GateKind.OPEN_DIALOG
    assert decision.choices == (Choice.SEND_UNENCRYPTED, Choice.KEEP_EDITING)
    plan = resolve(
        draft, status, decision, Choice.SEND_UNENCRYPTED, phi_reason=OverrideReason.NO_PHI
    )
    assert plan is not None and plan.phi_reason is OverrideReason.NO_PHI


def test_cues_and_unchecked_attachments_are_shown_but_never_block() -> None:
    for report in (NAME_CUE_ONLY, UNREADABLE):
        draft, status, decision = _decide(report, PhiMode.BLOCK, encrypt_on=False)
        assert decision.kind is GateKind.OPEN_DIALOG and not decision.phi_blocked
        assert Choice.SEND_UNENCRYPTED in decision.choices
        plan = resolve(draft, status, decision, Choice.SEND_UNENCRYPTED)
        assert plan is not None and plan.phi_reason is None
    assert UNREADABLE.unchecked == ("scan.jpg",)


def test_encrypted_messages_and_phi_off_are_unchanged() -> None:
    _, _, decision = _decide(
        DOB_IN_ATTACHMENT, PhiMode.BLOCK, encrypt_on=True, partly_covered=False
    )
    assert decision.kind is GateKind.SEND_ENCRYPTED
    _, _, decision = _decide(DOB_IN_ATTACHMENT, PhiMode.OFF, encrypt_on=False)
    assert decision.kind is GateKind.SEND_UNENCRYPTED and decision.phi == ()
