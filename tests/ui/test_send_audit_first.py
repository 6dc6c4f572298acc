"""Audit first, or send nothing, as the compose window shows it: the draft stays, and why."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop_app.core.messages import text
from desktop_app.core.recipients.send_gate import Choice
from desktop_app.core.recipients.status import Field
from desktop_app.services.audit import AuditLog
from desktop_app.ui.compose.prompts import Confirmation
from tests.ui.conftest import ContextFactory, RecordingOutbox, ScriptedPrompts, WindowFactory
from tests.ui.test_send_flow import reply_all


def test_an_override_whose_record_cannot_be_written_is_not_sent_and_the_draft_stays(
    qtbot: QtBot,
    open_compose: WindowFactory,
    make_context: ContextFactory,
    outbox: RecordingOutbox,
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")  # the audit log's folder cannot be made: a file is in the way
    audit = AuditLog(blocker / "audit.jsonl")
    context = dataclasses.replace(make_context(), audit=audit)
    prompts = ScriptedPrompts(Choice.SEND_UNENCRYPTED, Confirmation.SEND)
    window = reply_all(open_compose, prompts, context=context)
    try:
        window.body.setPlainText("Potassium is fine.")
        to_before = window.session.models[Field.TO].mailboxes()
        window.send_button.click()
        qtbot.waitUntil(lambda: bool(prompts.informed), timeout=5_000)
        [(title, message)] = prompts.informed
        assert title == text("compose.send_failed")
        before, after = text("audit.cannot_write", path=audit.path, reason="\0").split("\0")
        assert message.startswith(before) and message.endswith(after)  # the reason between
        assert outbox.submitted == []
        assert window.isVisible() and window.outcome is None
        assert window.body.toPlainText() == "Potassium is fine."
        assert window.session.models[Field.TO].mailboxes() == to_before
        assert window.send_button.isEnabled()
    finally:
        window.discard()
