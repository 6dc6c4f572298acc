"""Sending from the compose window: the gate for a mixed Reply All with Encrypt off, and
the one line after Send that says what happened."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.messages import text
from desktop_app.core.recipients.after_send import Delivery, after_send_line
from desktop_app.core.recipients.send_gate import Choice, SendPlan
from desktop_app.core.recipients.status import Field
from desktop_app.services.outbox.submission import MessageContent, Submitted
from desktop_app.ui.compose.gate_dialog import CHOICE_LABELS, GateDialog
from tests.ui.compose_flow.conftest import active, answer_modal, case_conference_reply_all, ctrl
from tests.ui.conftest import ContextFactory, ScriptedPrompts, WindowFactory, settled

# -- the gate for a mixed Reply All with Encrypt off ---------------------------------


def test_a_mixed_reply_all_with_encrypt_off_opens_the_gate_by_keyboard(
    qtbot: QtBot, open_compose: WindowFactory
) -> None:
    window = case_conference_reply_all(open_compose)
    assert not window.encrypt_toggle.isChecked()  # internal only: the policy requires nothing
    active(qtbot, window)
    window.body.setFocus()
    qtbot.keyClicks(window.body, "Thanks, corrected. ")
    seen: dict[str, object] = {}

    def remove_them(dialog: GateDialog) -> None:
        seen["covered"] = [dialog.covered.index(r).data() for r in range(dialog.covered.rowCount())]
        # Keep editing is the default; the first choice is reached with the keyboard.
        dialog.buttons[Choice.REMOVE_AND_ENCRYPT].setFocus()
        qtbot.keyClick(dialog.buttons[Choice.REMOVE_AND_ENCRYPT], Qt.Key.Key_Space)

    answer_modal(qtbot, remove_them, seen)
    with qtbot.waitSignal(window.sent, timeout=5_000) as sent:
        ctrl(qtbot, window.body, Qt.Key.Key_Return)
    dialog = seen["dialog"]
    assert isinstance(dialog, GateDialog)
    assert seen["buttons"] == [text(CHOICE_LABELS[c]) for c in Choice]
    assert seen["covered"] == ["Lee, Dr. Jordan <lee@clinic.example> · can read encrypted mail"]
    assert dialog.windowTitle() == text("gate.title_reply_all")
    [outcome] = sent.args
    assert after_send_line(outcome) == (
        "Encrypted for Lee, Dr. Jordan and kept in the outbox folder; Sam Rivera, "
        "Chris Okafor and Morgan Blake were removed"
    )


# -- one line after Send -------------------------------------------------------------


class DeliveringOutbox:
    """An outbox that reports the delivery it is given, as the Exchange one does."""

    def __init__(self, delivery: Delivery, reason: str = "", retry: int | None = None) -> None:
        self.delivery, self.reason, self.retry = delivery, reason, retry

    def submit(self, message: MessageContent, plan: SendPlan) -> Submitted:
        return Submitted(None, (), "", self.delivery, self.reason, self.retry)


@pytest.mark.parametrize(
    ("to", "encrypt", "choice", "delivery", "line"),
    [
        (
            "priya@clinic.example, lee@clinic.example, pat@partner.example",
            True,
            Choice.REMOVE_AND_ENCRYPT,
            DeliveringOutbox(Delivery.SENT),
            "Sent encrypted to priya@clinic.example and lee@clinic.example; "
            "pat@partner.example was removed",
        ),
        (
            "priya@clinic.example, lee@clinic.example, sam@clinic.example",
            False,
            None,
            DeliveringOutbox(Delivery.SENT),
            "Sent without encryption to 3 people",
        ),
        (
            "priya@clinic.example, dana@partner.example",
            True,
            Choice.SEND_UNENCRYPTED,
            DeliveringOutbox(Delivery.SENT),
            "Sent without encryption to priya@clinic.example and dana@partner.example (recorded)",
        ),
        (
            "priya@clinic.example, lee@clinic.example",
            True,
            None,
            DeliveringOutbox(Delivery.WAITING, "Exchange did not answer", 120),
            "Waiting in the outbox: Exchange did not answer; retrying in 2 minutes",
        ),
    ],
)
def test_each_send_ends_with_one_line_saying_what_happened(
    qtbot: QtBot,
    open_compose: WindowFactory,
    make_context: ContextFactory,
    to: str,
    encrypt: bool,
    choice: Choice | None,
    delivery: DeliveringOutbox,
    line: str,
) -> None:
    prompts = ScriptedPrompts(choice or Choice.KEEP_EDITING)
    context = dataclasses.replace(make_context(), outbox=delivery)
    window = open_compose(prompts=prompts, context=context)
    window.session.models[Field.TO].add_text(to)
    settled(qtbot, window)
    window.encrypt_toggle.setChecked(encrypt)
    with qtbot.waitSignal(window.sent, timeout=5_000) as sent:
        window.send_button.click()
    assert after_send_line(sent.args[0]) == line
