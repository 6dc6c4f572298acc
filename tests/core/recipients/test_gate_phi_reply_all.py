"""The two rules that stop a send with Encrypt off hold together: a Reply All to a mixed
group opens the gate naming both sides, and patient details (PHI guard) open it too;
under ``phi = "block"`` a detail found takes "Send without encryption" away in either."""

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.messages import text
from desktop_app.core.phi.detect import PhiRules
from desktop_app.core.phi.message_scan import AttachmentText, PhiReport, scan_message
from desktop_app.core.phi.override import OverrideReason, needs_reason
from desktop_app.core.pki.usability import CertCode
from desktop_app.core.policy.model import PhiMode, Policy, RequireEncryption
from desktop_app.core.recipients.replies import ComposeAction
from desktop_app.core.recipients.send_gate import Choice, GateKind, gate, resolve
from desktop_app.core.recipients.status import Draft, decide
from tests.core.recipients.test_send_gate import ME, evidence_for, mailboxes

OPEN = Policy(frozenset({"clinic.example"}), RequireEncryption.NEVER)
DOB = scan_message("Referral", "DOB: 04/12/1961", [], PhiRules())
CUE = scan_message("Note for Mrs. Patel", "", [], PhiRules())
UNREADABLE = scan_message("Scan", "", [AttachmentText("scan.jpg", None)], PhiRules())
REPORTS = {"none": PhiReport(), "dob": DOB, "cue": CUE, "unreadable": UNREADABLE}
PEOPLE = ("ann", "bob", "cy")


def test_a_mixed_reply_all_with_a_date_of_birth_under_block_cannot_leave_unencrypted() -> None:
    draft = Draft(to=mailboxes("ann@clinic.example", "bob@clinic.example"), sender=ME)
    status = decide(draft, evidence_for(ann=CertCode.OK, bob=None))
    policy = dataclasses.replace(OPEN, phi=PhiMode.BLOCK)
    decision = gate(
        status,
        encrypt_on=False,
        action=ComposeAction.REPLY_ALL,
        policy=policy,
        quoting_encrypted_original=True,
        phi=DOB,
    )
    assert decision.kind is GateKind.OPEN_DIALOG and decision.encrypt_off
    assert decision.choices == (Choice.REMOVE_AND_ENCRYPT, Choice.KEEP_EDITING)
    assert decision.phi_blocked and [f.kind for f in decision.phi] == ["dob"]
    assert text("gate.phi_blocked") in decision.message
    assert not decision.quoted_original  # nothing unencrypted is offered to confirm
    plan = resolve(draft, status, decision, Choice.REMOVE_AND_ENCRYPT)
    assert plan is not None and plan.encrypted
    assert [m.address for m in plan.removed] == ["bob@clinic.example"]


def test_a_mixed_reply_all_with_a_date_of_birth_under_warn_needs_a_reason() -> None:
    draft = Draft(to=mailboxes("ann@clinic.example", "bob@clinic.example"), sender=ME)
    status = decide(draft, evidence_for(ann=CertCode.OK, bob=None))
    decision = gate(
        status,
        encrypt_on=False,
        action=ComposeAction.REPLY_ALL,
        policy=dataclasses.replace(OPEN, phi=PhiMode.WARN),
        quoting_encrypted_original=False,
        phi=DOB,
    )
    assert decision.encrypt_off and Choice.SEND_UNENCRYPTED in decision.choices
    with pytest.raises(ValueError, match="reason"):
        resolve(draft, status, decision, Choice.SEND_UNENCRYPTED)
    plan = resolve(
        draft, status, decision, Choice.SEND_UNENCRYPTED, phi_reason=OverrideReason.NO_PHI
    )
    assert plan is not None and not plan.encrypted and plan.phi == ("dob@body",)


@settings(max_examples=300, deadline=None)
@given(
    people=st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=3, unique=True),
    covered=st.sets(st.sampled_from(PEOPLE)),
    action=st.sampled_from(list(ComposeAction)),
    mode=st.sampled_from(list(PhiMode)),
    found=st.sampled_from(sorted(REPORTS)),
    quoting=st.booleans(),
)
def test_with_encrypt_off_both_rules_hold_together(
    people: list[str],
    covered: set[str],
    action: ComposeAction,
    mode: PhiMode,
    found: str,
    quoting: bool,
) -> None:
    draft = Draft(to=mailboxes(*(f"{n}@clinic.example" for n in people)), sender=ME)
    status = decide(
        draft, evidence_for(**{n: CertCode.OK if n in covered else None for n in people})
    )
    report = REPORTS[found]
    decision = gate(
        status,
        encrypt_on=False,
        action=action,
        policy=dataclasses.replace(OPEN, phi=mode),
        quoting_encrypted_original=quoting,
        phi=report,
    )
    mixed = 0 < len(status.uncovered) < len(status.recipients)
    in_force = report if mode is not PhiMode.OFF else PhiReport()
    phi_found = bool(in_force.findings or in_force.unchecked)
    blocked = mode is PhiMode.BLOCK and needs_reason(report.findings)
    if action is ComposeAction.REPLY_ALL and mixed:
        # The mixed Reply All rule: both sides named, encrypting for the covered offered.
        assert decision.kind is GateKind.OPEN_DIALOG and decision.encrypt_off
        assert decision.covered and decision.uncovered
        assert decision.choices[0] is Choice.REMOVE_AND_ENCRYPT
    elif phi_found:
        assert decision.kind is GateKind.OPEN_DIALOG and not decision.encrypt_off
    else:
        assert decision.kind is GateKind.SEND_UNENCRYPTED
        assert resolve(draft, status, decision, None) is not None
        return
    # The PHI rules, in whichever dialog opened.
    assert decision.phi == in_force.findings and decision.phi_unchecked == in_force.unchecked
    assert decision.phi_blocked is blocked
    assert (Choice.SEND_UNENCRYPTED in decision.choices) is not blocked
    assert decision.choices[-1] is Choice.KEEP_EDITING
    if decision.quoted_original:
        assert Choice.SEND_UNENCRYPTED in decision.choices
    if Choice.SEND_UNENCRYPTED in decision.choices and needs_reason(decision.phi):
        with pytest.raises(ValueError, match="reason"):
            resolve(draft, status, decision, Choice.SEND_UNENCRYPTED)
