"""MailTips reach the send gate: invalid recipients, external members, large audiences."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop_app.core.recipients.send_gate import GateKind
from desktop_app.core.recipients.status import Field
from desktop_app.ui.compose.gate_dialog import GateDialog
from desktop_app.ui.compose.session import ComposeContext, ComposeStart
from desktop_app.ui.compose.window import ComposeWindow
from desktop_app.ui.theme import Theme
from tests.ews_server import EwsTestServer
from tests.ui.conftest import ScriptedPrompts, settled


def test_mail_tips_are_listed_in_the_send_gate(
    qtbot: QtBot, exchange_context: ComposeContext, directory: EwsTestServer, theme: Theme
) -> None:
    members = [f"user{n}@clinic.example" for n in range(30)] + ["partner@else.example"]
    for member in members[:-1]:
        directory.state.mailbox(member)
    directory.state.distribution_list("all@clinic.example", members, "Everyone")
    prompts = ScriptedPrompts()
    window = ComposeWindow(exchange_context, ComposeStart(), prompts)
    qtbot.addWidget(window)
    window.show()
    editor = window.fields[Field.TO].editor
    qtbot.keyClicks(editor, "typo@clinic.example, all@clinic.example")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    settled(qtbot, window)
    window.session.set_encrypt(True)
    window.send()

    (decision,) = prompts.decisions
    assert decision.kind is GateKind.OPEN_DIALOG
    codes = [warning.code for warning in decision.warnings]
    assert codes == ["invalid_recipient", "external_members", "large_audience"]
    assert "typo@clinic.example" in decision.warnings[0].message

    dialog = GateDialog(decision, theme)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    qtbot.addWidget(dialog)
    notes = [label.text() for label in dialog.findChildren(QLabel, "gateNote")]
    assert all(warning.message in notes for warning in decision.warnings)


def test_without_a_server_the_gate_has_no_tips_and_still_works(
    qtbot: QtBot, exchange_context: ComposeContext, directory: EwsTestServer
) -> None:
    directory.stop()
    prompts = ScriptedPrompts()
    window = ComposeWindow(exchange_context, ComposeStart(), prompts)
    qtbot.addWidget(window)
    window.show()
    editor = window.fields[Field.TO].editor
    qtbot.keyClicks(editor, "alice@clinic.example")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    settled(qtbot, window)
    window.session.set_encrypt(True)
    window.send()
    (decision,) = prompts.decisions
    assert decision.warnings == ()
