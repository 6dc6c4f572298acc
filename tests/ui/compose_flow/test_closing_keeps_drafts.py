"""Drafts are never lost: closing a compose window keeps what was typed, sealed when it
can be, and a kept draft reopens with its recipients checked again."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.core.messages import text
from desktop_app.core.recipients.replies import ComposeAction
from desktop_app.core.recipients.status import Field
from desktop_app.services.demo.build import IDENTITY_CERTIFICATE, IDENTITY_KEY
from desktop_app.services.demo.home import DemoHome
from desktop_app.services.drafts import DRAFTS_FOLDER, PLAIN_SUFFIX, DraftStore
from desktop_app.services.mailbox.source import read_message
from desktop_app.services.outbox.sealing import demo_identity
from desktop_app.ui.compose.autosave import start_of
from desktop_app.ui.compose.prompts import CloseChoice, DraftPlace
from desktop_app.ui.compose.starts import compose_start
from desktop_app.ui.compose.window import ComposeWindow
from desktop_app.ui.status_icons import TokenState
from tests.ui.compose_flow.conftest import CASE_CONFERENCE, active, answer_modal, ctrl
from tests.ui.conftest import ME, ContextFactory, ScriptedPrompts, WindowFactory, settled

BODY = "Corrections: the second patient is 4711, not 4717."


@pytest.fixture
def drafts(demo_home: DemoHome, tmp_path: Path) -> DraftStore:
    identity = demo_home.identity
    return DraftStore(
        tmp_path / DRAFTS_FOLDER,
        lambda: demo_identity(identity, IDENTITY_CERTIFICATE, IDENTITY_KEY),
    )


def files(folder: Path) -> list[Path]:
    return sorted(folder.iterdir()) if folder.exists() else []


# -- drafts are never lost -----------------------------------------------------------


def test_ctrl_w_on_a_typed_draft_keeps_it_sealed(
    qtbot: QtBot, open_compose: WindowFactory, make_context: ContextFactory, drafts: DraftStore
) -> None:
    window = open_compose(context=dataclasses.replace(make_context(), drafts=drafts))
    active(qtbot, window)
    qtbot.keyClicks(window.fields[Field.TO].editor, "priya@clinic.example,")
    window.body.setFocus()
    qtbot.keyClicks(window.body, BODY)
    seen: dict[str, object] = {}
    # Enter takes the default answer: Save draft.
    answer_modal(qtbot, lambda box: qtbot.keyClick(box, Qt.Key.Key_Return), seen)
    ctrl(qtbot, window.body, Qt.Key.Key_W)
    assert seen["default"] == text("close.save")
    assert seen["buttons"] == [
        text("close.save"),
        text("close.discard"),
        text("close.keep_editing"),
    ]
    assert seen["informative"] == text("close.sealed")
    assert not window.isVisible()
    [path] = files(drafts.folder)
    assert BODY.encode() not in path.read_bytes()  # sealed
    [record] = drafts.recover().drafts
    assert record.kept and record.body == BODY and record.to == ("priya@clinic.example",)


def test_keep_editing_leaves_the_window_open_and_discard_asks_nothing_more(
    qtbot: QtBot, open_compose: WindowFactory, make_context: ContextFactory, drafts: DraftStore
) -> None:
    window = open_compose(context=dataclasses.replace(make_context(), drafts=drafts))
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    window.subject.setText("Rota")
    seen: dict[str, object] = {}
    answer_modal(qtbot, lambda box: qtbot.keyClick(box, Qt.Key.Key_Escape), seen)
    window.cancel_button.click()
    assert window.isVisible()  # Escape is Keep editing
    discard = text("close.discard")

    def press_discard(box: QMessageBox) -> None:
        [button] = [b for b in box.buttons() if b.text() == discard]
        button.click()

    answer_modal(qtbot, press_discard, seen)
    window.cancel_button.click()
    qtbot.wait(50)
    assert not window.isVisible()
    assert QApplication.activeModalWidget() is None  # no second question
    assert files(drafts.folder) == []


def test_an_untouched_window_closes_without_a_question(
    qtbot: QtBot, open_compose: WindowFactory
) -> None:
    prompts = ScriptedPrompts()
    detail = read_message(CASE_CONFERENCE.name, CASE_CONFERENCE.read_bytes())
    window = open_compose(
        compose_start(ComposeAction.REPLY_ALL, detail, frozenset({ME.key})), prompts
    )
    window.close()
    assert prompts.closings == [] and not window.isVisible()


def test_without_an_own_certificate_it_asks_before_keeping_the_draft_unencrypted(
    qtbot: QtBot, open_compose: WindowFactory, make_context: ContextFactory, tmp_path: Path
) -> None:
    store = DraftStore(tmp_path / DRAFTS_FOLDER, None)
    window = open_compose(context=dataclasses.replace(make_context(), drafts=store))
    window.body.setPlainText(BODY)
    qtbot.wait(100)
    assert files(store.folder) == []  # nothing written unasked, ever
    assert window.draft_status.text() == text("drafts.autosave_off")
    seen: dict[str, object] = {}
    answer_modal(qtbot, lambda box: box.defaultButton().click(), seen)
    window.close()
    assert seen["informative"] == text("close.unencrypted")
    assert "UNENCRYPTED" in str(seen["informative"])
    assert seen["default"] == text("close.save_unencrypted")
    [path] = files(store.folder)
    assert path.suffix == PLAIN_SUFFIX and BODY in path.read_text(encoding="utf-8")
    recovery = store.recover()
    assert [r.body for r in recovery.drafts] == [BODY]
    assert recovery.unencrypted == {recovery.drafts[0].draft_id}


def test_a_saved_draft_reopens_with_its_recipients_checked_again(
    qtbot: QtBot, open_compose: WindowFactory, make_context: ContextFactory, drafts: DraftStore
) -> None:
    context = dataclasses.replace(make_context(), drafts=drafts)
    prompts = ScriptedPrompts(close=CloseChoice.SAVE)
    window = open_compose(prompts=prompts, context=context)
    window.session.models[Field.TO].add_text("priya@clinic.example, dana@partner.example")
    window.body.setPlainText(BODY)
    window.close()
    assert prompts.closings == [DraftPlace.SEALED]
    [record] = drafts.recover().drafts
    drafts.resume(record.draft_id)
    reopened = ComposeWindow(context, start_of(record), ScriptedPrompts(), draft=record)
    reopened.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    qtbot.addWidget(reopened)
    reopened.show()
    assert reopened.session.checking  # looked up again, not taken from the file
    settled(qtbot, reopened)
    model = reopened.session.models[Field.TO]
    states = [model.index(r).data(model.STATE_ROLE) for r in range(model.rowCount())]
    assert states == [TokenState.COVERED, TokenState.NOT_COVERED]
    assert reopened.body.toPlainText() == BODY
    reopened.close()  # nothing changed: no question, and the saved draft stays
    assert len(files(drafts.folder)) == 1
