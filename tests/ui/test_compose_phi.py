"""The PHI guard in the compose window: the Subject note as you type, findings in the send
gate, phi = block, the override reason in the audit log, attachments read off the GUI
thread."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop_app.core.phi.override import OverrideReason
from desktop_app.core.policy.model import PhiMode
from desktop_app.core.recipients.send_gate import Choice
from desktop_app.services.audit import AuditLog
from desktop_app.ui.compose.prompts import Confirmation
from tests.ui.conftest import (
    CLINIC_POLICY,
    ContextFactory,
    RecordingOutbox,
    ScriptedPrompts,
    WindowFactory,
)
from tests.ui.test_send_flow import reply_all


def test_a_subject_finding_shows_at_once_under_the_subject(
    qtbot: QtBot, open_compose: WindowFactory, make_context: ContextFactory
) -> None:
    window = open_compose()
    note = window.subject_note
    assert note.isHidden()
    window.subject.setText("Lab results for Mrs. Patel, DOB 04/12/1961")
    assert note.isVisible()
    assert "looks like a date of birth (**/**/**61)" in note.text()
    assert "may name a patient" in note.text()
    assert "1961" not in note.text().replace("**61", "")
    window.subject.setText("Staff meeting")
    assert note.isHidden()
    protected = dataclasses.replace(CLINIC_POLICY, protect_headers=True)
    other = open_compose(context=make_context(policy=protected))
    other.subject.setText("DOB 04/12/1961")
    assert other.subject_note.isHidden()


def test_findings_join_the_gate_and_the_reason_is_audited(
    qtbot: QtBot, open_compose: WindowFactory, outbox: RecordingOutbox, audit: AuditLog
) -> None:
    prompts = ScriptedPrompts(Choice.SEND_UNENCRYPTED, Confirmation.SEND)
    window = reply_all(open_compose, prompts)
    window.body.setPlainText("Her SSN is 123-45-6789.\n" + window.body.toPlainText())
    prompts.reason = None  # cancelled at the reason: nothing leaves
    window.send_button.click()
    [decision] = prompts.decisions
    assert [(f.kind, f.where) for f in decision.phi] == [("ssn", "body")]
    assert len(prompts.reasons_asked) == 1 and outbox.submitted == []
    prompts.reason = OverrideReason.PATIENT_CONSENT
    with qtbot.waitSignal(window.sent, timeout=5_000):
        window.send_button.click()
    [entry] = audit.entries()
    assert entry["reason"] == "patient_consent" and entry["phi"] == ["ssn@body"]
    assert "123-45-6789" not in audit.path.read_text("utf-8")
    assert audit.verify().intact


def test_block_takes_send_without_encryption_away(
    qtbot: QtBot, open_compose: WindowFactory, make_context: ContextFactory
) -> None:
    prompts = ScriptedPrompts(Choice.KEEP_EDITING)
    blocking = dataclasses.replace(CLINIC_POLICY, phi=PhiMode.BLOCK)
    window = reply_all(open_compose, prompts, context=make_context(policy=blocking))
    window.subject.setText("DOB 04/12/1961")
    window.send_button.click()
    [decision] = prompts.decisions
    assert Choice.SEND_UNENCRYPTED not in decision.choices and decision.phi_blocked


def test_attachments_are_read_in_the_background(
    qtbot: QtBot, open_compose: WindowFactory, tmp_path: Path
) -> None:
    prompts = ScriptedPrompts(Choice.KEEP_EDITING)
    window = reply_all(open_compose, prompts)
    referral = tmp_path / "referral.txt"
    referral.write_text("Patient date of birth: 12 April 1961", encoding="utf-8")
    window.attach(referral)
    window.send_button.click()
    assert prompts.decisions == []  # the file is being read off the GUI thread
    qtbot.waitUntil(lambda: bool(prompts.decisions), timeout=10_000)
    [decision] = prompts.decisions
    assert [(f.kind, f.where) for f in decision.phi] == [("dob", "attachment:referral.txt")]
