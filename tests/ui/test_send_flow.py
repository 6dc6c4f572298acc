"""Pressing Send: the gate dialog, each choice doing what it says, audit and outbox."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from desktop_app.core.messages import text
from desktop_app.core.policy.model import Policy
from desktop_app.core.recipients.replies import ComposeAction
from desktop_app.core.recipients.send_gate import Choice
from desktop_app.core.recipients.status import Field
from desktop_app.core.smime.lint import lint_message
from desktop_app.core.smime.open_message import open_message
from desktop_app.services.audit import AuditLog
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.demo.build import IDENTITY_CERTIFICATE, IDENTITY_KEY
from desktop_app.services.mailbox.source import read_message
from desktop_app.services.outbox.folder import FolderOutbox
from desktop_app.services.outbox.sealing import StoreSealer, demo_identity
from desktop_app.services.paths import STORE_FILE_NAME
from desktop_app.ui.compose.gate_dialog import CHOICE_LABELS, GateDialog
from desktop_app.ui.compose.prompts import Confirmation, DialogPrompts
from desktop_app.ui.compose.starts import compose_start
from desktop_app.ui.compose.window import ComposeWindow
from tests.ui.conftest import (
    ME,
    ContextFactory,
    RecordingOutbox,
    ScriptedPrompts,
    WindowFactory,
)
from tests.ui.make_screenshots import DEMO_NOW
from tests.ui.test_compose import MOTIVATING


def reply_all(open_compose: WindowFactory, prompts: object, **kwargs: object) -> ComposeWindow:
    detail = read_message(MOTIVATING.name, MOTIVATING.read_bytes())
    start = compose_start(ComposeAction.REPLY_ALL, detail, frozenset({ME.key}))
    return open_compose(start, prompts, **kwargs)


def addresses(mailboxes: tuple[object, ...]) -> list[str]:
    return [m.address for m in mailboxes]  # type: ignore[attr-defined]


def test_send_opens_the_gate_with_exactly_the_allowed_choices(
    qtbot: QtBot, open_compose: WindowFactory, outbox: RecordingOutbox
) -> None:
    window = reply_all(open_compose, None)
    assert isinstance(window.prompts, DialogPrompts)
    seen: dict[str, object] = {}

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, GateDialog)
        seen["title"] = dialog.windowTitle()
        seen["buttons"] = [b.text() for b in dialog.findChildren(QPushButton)]
        seen["uncovered"] = [
            dialog.uncovered.index(row).data() for row in range(dialog.uncovered.rowCount())
        ]
        dialog.buttons[Choice.KEEP_EDITING].click()

    QTimer.singleShot(0, answer)
    window.send_button.click()
    assert seen["title"] == text("gate.title_reply_all")
    assert seen["buttons"] == [text(CHOICE_LABELS[choice]) for choice in Choice]
    [row] = seen["uncovered"]  # type: ignore[misc]
    assert row.startswith("Dana Whitfield <dana@partner.example> · no certificate")
    assert outbox.submitted == []  # Keep editing sends nothing
    assert window.isVisible()


def test_remove_them_sends_encrypted_to_the_covered_recipients_only(
    qtbot: QtBot, open_compose: WindowFactory, outbox: RecordingOutbox, audit: AuditLog
) -> None:
    prompts = ScriptedPrompts(Choice.REMOVE_AND_ENCRYPT)
    window = reply_all(open_compose, prompts)
    with qtbot.waitSignal(window.sent, timeout=5_000):
        window.send_button.click()
    [decision] = prompts.decisions
    assert decision.choices == tuple(Choice)
    assert prompts.confirmations == []  # removing needs no second confirmation
    [(message, plan)] = outbox.submitted
    assert plan.encrypted and plan.choice is Choice.REMOVE_AND_ENCRYPT
    assert addresses(plan.removed) == ["dana@partner.example"]
    assert addresses(plan.draft.to) == [] and addresses(plan.draft.cc) == ["lee@clinic.example"]
    assert [addresses(e.recipients) for e in plan.envelopes] == [
        ["lee@clinic.example", "you@clinic.example"]
    ]
    assert message.subject == "Re: Referral results for our shared patient"
    [entry] = audit.entries()
    assert entry["choice"] == "remove_and_encrypt"
    assert entry["removed"] == ["dana@partner.example"]
    assert entry["recipients"] == ["lee@clinic.example"]
    assert "body" not in entry and "subject" not in entry


def test_sending_unencrypted_needs_a_second_confirmation_and_is_audited(
    qtbot: QtBot, open_compose: WindowFactory, outbox: RecordingOutbox, audit: AuditLog
) -> None:
    prompts = ScriptedPrompts(Choice.SEND_UNENCRYPTED, Confirmation.CANCEL)
    window = reply_all(open_compose, prompts)
    window.send_button.click()
    assert len(prompts.confirmations) == 1
    assert outbox.submitted == [] and audit.entries() == []  # cancelled: nothing at all

    prompts.confirmation = Confirmation.SEND
    with qtbot.waitSignal(window.sent, timeout=5_000):
        window.send_button.click()
    [(_, plan)] = outbox.submitted
    assert not plan.encrypted and plan.envelopes == ()
    assert addresses(plan.draft.to) == ["dana@partner.example"]
    [entry] = audit.entries()
    assert entry["choice"] == "send_unencrypted" and entry["encrypted"] is False
    assert entry["sender"] == "you@clinic.example"
    assert entry["recipients"] == ["dana@partner.example", "lee@clinic.example"]
    assert entry["time"] == DEMO_NOW.isoformat()


def test_the_real_second_confirmation_defaults_to_cancel(
    qtbot: QtBot, open_compose: WindowFactory
) -> None:
    window = reply_all(open_compose, None)
    decision = window.session.decision(window.body.toPlainText())
    seen: dict[str, object] = {}

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen["buttons"] = [b.text() for b in box.buttons()]
        seen["default"] = box.defaultButton().text()
        box.defaultButton().click()

    QTimer.singleShot(0, answer)
    assert window.prompts.confirm_unencrypted(decision) is Confirmation.CANCEL
    assert seen["default"] == text("confirm.cancel")
    assert text("confirm.send") in seen["buttons"]  # type: ignore[operator]


def test_keep_editing_sends_nothing(
    qtbot: QtBot, open_compose: WindowFactory, outbox: RecordingOutbox, audit: AuditLog
) -> None:
    prompts = ScriptedPrompts(Choice.KEEP_EDITING)
    window = reply_all(open_compose, prompts)
    window.send_button.click()
    qtbot.wait(50)
    assert len(prompts.decisions) == 1
    assert outbox.submitted == [] and audit.entries() == []
    assert window.isVisible() and window.session.models[Field.TO].rowCount() == 1


def test_everyone_covered_sends_encrypted_at_once(
    qtbot: QtBot, open_compose: WindowFactory, outbox: RecordingOutbox, audit: AuditLog
) -> None:
    prompts = ScriptedPrompts()
    window = open_compose(prompts=prompts)
    window.session.models[Field.TO].add_text("priya@clinic.example")
    window.session.models[Field.BCC].add_text("lee@clinic.example")
    with qtbot.waitSignal(window.sent, timeout=5_000):
        window.send_button.click()  # sent once the lookups have answered
    assert prompts.decisions == [] and audit.entries() == []
    [(_, plan)] = outbox.submitted
    assert plan.encrypted and plan.choice is None


def test_bcc_recipients_get_separate_sealed_envelopes_in_the_outbox(
    qtbot: QtBot,
    open_compose: WindowFactory,
    make_context: ContextFactory,
    demo_copy: Path,
    tmp_path: Path,
) -> None:
    folder = tmp_path / "outbox"
    context = make_context()
    identity = demo_copy / "identity"
    sealer = StoreSealer(
        demo_copy / STORE_FILE_NAME,
        lambda: demo_identity(identity, IDENTITY_CERTIFICATE, IDENTITY_KEY),
        lambda: DEMO_NOW,
    )
    outbox = FolderOutbox(folder, lambda: DEMO_NOW, sealer=sealer)
    context = dataclasses.replace(context, outbox=outbox)
    window = open_compose(prompts=ScriptedPrompts(), context=context)
    window.session.models[Field.TO].add_text("priya@clinic.example")
    window.session.models[Field.BCC].add_text("lee@clinic.example, Sam <sam@clinic.example>")
    window.subject.setText("Rota")
    window.body.setPlainText("Patient details that must never reach the disk in clear.")
    window.session.set_encrypt(True)
    prompts = window.prompts
    assert isinstance(prompts, ScriptedPrompts)
    prompts.choice = Choice.REMOVE_AND_ENCRYPT  # Sam's certificate expired
    with qtbot.waitSignal(window.sent, timeout=5_000):
        window.send_button.click()
    [summary] = folder.glob("*.json")
    written = summary.read_text(encoding="utf-8")
    assert "Patient details" not in written and "Rota" not in written
    document = json.loads(written)
    assert document["encrypted"] is True
    assert document["envelopes"] == [
        {"recipients": ["priya@clinic.example", "you@clinic.example"], "blind": False},
        {"recipients": ["lee@clinic.example", "you@clinic.example"], "blind": True},
    ]
    assert document["removed"] == ["sam@clinic.example"]
    # The real envelopes: the user (a reader of every envelope) opens each, signed by them.
    shared, blind = sorted(folder.glob("*.eml"))
    me = demo_identity(identity, IDENTITY_CERTIFICATE, IDENTITY_KEY)
    with CertStore.open(demo_copy / STORE_FILE_NAME) as store:
        trust = store.trust_context()
    for eml in (shared, blind):
        data = eml.read_bytes()
        assert b"Patient details" not in data
        assert lint_message(data) == ()
        opened = open_message(data, identity=me, trust=trust, at=DEMO_NOW)
        assert opened.encryption is not None and opened.signature is not None
        assert opened.signature.valid, opened.signature.reason
        assert "Patient details" in opened.message.text
    blind_headers = blind.read_bytes().split(b"\r\n\r\n", 1)[0]
    assert b"To: lee@clinic.example" in blind_headers and b"priya" not in blind_headers
    assert b"lee@clinic.example" not in shared.read_bytes().split(b"\r\n\r\n", 1)[0]


def test_quoted_text_of_an_encrypted_original_can_be_removed_before_sending_unencrypted(
    qtbot: QtBot, open_compose: WindowFactory, outbox: RecordingOutbox
) -> None:
    detail = read_message(MOTIVATING.name, MOTIVATING.read_bytes())
    start = compose_start(ComposeAction.REPLY_ALL, detail, frozenset({ME.key}))
    # As a decrypting message list source will hand it over: encrypted, but readable here.
    start = dataclasses.replace(start, original_encrypted=True)
    prompts = ScriptedPrompts(Choice.SEND_UNENCRYPTED, Confirmation.SEND_WITHOUT_QUOTE)
    window = open_compose(start, prompts)
    window.body.setPlainText("Thanks, will do.\n" + window.body.toPlainText())
    with qtbot.waitSignal(window.sent, timeout=5_000):
        window.send_button.click()
    assert prompts.confirmations[0].quoted_original
    [(message, plan)] = outbox.submitted
    assert not plan.encrypted
    assert message.body == "Thanks, will do.\n"
    assert "Please see the attached results" not in message.body


def test_without_the_override_only_keep_editing_is_offered(
    qtbot: QtBot, open_compose: WindowFactory, make_context: ContextFactory, theme: object
) -> None:
    policy = Policy(frozenset({"clinic.example"}), allow_unencrypted_override=False)
    prompts = ScriptedPrompts()
    window = open_compose(prompts=prompts, context=make_context(policy=policy))
    window.session.models[Field.TO].add_text("taylor@clinic.example")
    window.session.set_encrypt(True)
    window.send_button.click()
    qtbot.waitUntil(lambda: bool(prompts.decisions), timeout=5_000)
    assert prompts.decisions[0].choices == (Choice.KEEP_EDITING,)
    dialog = GateDialog(prompts.decisions[0], theme)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    assert list(dialog.buttons) == [Choice.KEEP_EDITING]


def test_invalid_addresses_block_sending(
    qtbot: QtBot, open_compose: WindowFactory, outbox: RecordingOutbox
) -> None:
    prompts = ScriptedPrompts()
    window = open_compose(prompts=prompts)
    window.fields[Field.TO].editor.setText("bob@")
    window.send_button.click()
    assert prompts.informed and "bob@" in prompts.informed[0][1]
    assert prompts.decisions == [] and outbox.submitted == []
