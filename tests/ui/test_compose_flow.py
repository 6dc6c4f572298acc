"""The compose flow staff live in: drafts kept on close, the gate for a mixed Reply All
with Encrypt off, one line after Send, completion with locks, screen-reader names."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.core.messages import text
from desktop_app.core.recipients.after_send import Delivery, after_send_line
from desktop_app.core.recipients.replies import ComposeAction
from desktop_app.core.recipients.send_gate import Choice, SendPlan
from desktop_app.core.recipients.status import Field
from desktop_app.services.demo.build import IDENTITY_CERTIFICATE, IDENTITY_KEY
from desktop_app.services.demo.home import DemoHome
from desktop_app.services.drafts import DRAFTS_FOLDER, PLAIN_SUFFIX, DraftStore
from desktop_app.services.mailbox.source import read_message
from desktop_app.services.outbox.sealing import demo_identity
from desktop_app.services.outbox.submission import MessageContent, Submitted
from desktop_app.ui.compose.autosave import start_of
from desktop_app.ui.compose.gate_dialog import CHOICE_LABELS, GateDialog
from desktop_app.ui.compose.prompts import CloseChoice, DraftPlace
from desktop_app.ui.compose.starts import compose_start
from desktop_app.ui.compose.window import ComposeWindow
from desktop_app.ui.status_icons import TokenState
from tests.ui.conftest import ME, ContextFactory, ScriptedPrompts, WindowFactory, settled
from tests.ui.test_compose import INBOX

CASE_CONFERENCE = INBOX / "03-case-conference.eml"
BODY = "Corrections: the second patient is 4711, not 4717."


@pytest.fixture
def open_compose(open_compose: WindowFactory) -> WindowFactory:
    """Windows kept after they close: the tests look at them, and pytest-qt closes them."""

    def open_window(*args: object, **kwargs: object) -> ComposeWindow:
        window = open_compose(*args, **kwargs)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        return window

    return open_window


@pytest.fixture
def drafts(demo_home: DemoHome, tmp_path: Path) -> DraftStore:
    identity = demo_home.identity
    return DraftStore(
        tmp_path / DRAFTS_FOLDER,
        lambda: demo_identity(identity, IDENTITY_CERTIFICATE, IDENTITY_KEY),
    )


def files(folder: Path) -> list[Path]:
    return sorted(folder.iterdir()) if folder.exists() else []


def answer_modal(qtbot: QtBot, act: object, seen: dict[str, object]) -> None:
    """Once the next modal dialog is up, note it in ``seen`` and let ``act`` answer it."""

    def check() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, check)
            return
        seen["dialog"] = dialog
        seen["buttons"] = [b.text() for b in dialog.findChildren(QPushButton) if b.isVisible()]
        if isinstance(dialog, QMessageBox):
            seen["default"] = dialog.defaultButton().text()
            seen["informative"] = dialog.informativeText()
        act(dialog)  # type: ignore[operator]

    QTimer.singleShot(0, check)


def ctrl(qtbot: QtBot, widget: QWidget, key: Qt.Key) -> None:
    qtbot.keyClick(widget, key, Qt.KeyboardModifier.ControlModifier)


def active(qtbot: QtBot, window: QWidget) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)


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


# -- the gate for a mixed Reply All with Encrypt off ---------------------------------


def case_conference_reply_all(open_compose: WindowFactory, prompts: object = None) -> ComposeWindow:
    detail = read_message(CASE_CONFERENCE.name, CASE_CONFERENCE.read_bytes())
    start = compose_start(ComposeAction.REPLY_ALL, detail, frozenset({ME.key}))
    return open_compose(start, prompts)


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


# -- completion, accessibility, size --------------------------------------------------


def test_completion_offers_known_addresses_each_with_its_lock(
    qtbot: QtBot, open_compose: WindowFactory, theme: object
) -> None:
    window = open_compose(prompts=ScriptedPrompts())
    active(qtbot, window)
    editor = window.fields[Field.TO].editor
    editor.setFocus()
    qtbot.keyClicks(editor, "clinic")
    qtbot.waitUntil(lambda: window.completion.loaded, timeout=5_000)
    completer = editor.completer()
    qtbot.waitUntil(lambda: completer.popup().isVisible(), timeout=5_000)
    shown = completer.completionModel()
    rows = {
        shown.index(r, 0).data(Qt.ItemDataRole.EditRole): shown.index(r, 0)
        for r in range(shown.rowCount())
    }
    priya = rows["Priya Shah <priya@clinic.example>"]
    sam = rows["Sam Rivera <sam@clinic.example>"]
    assert priya.data(Qt.ItemDataRole.DisplayRole).endswith(text("token.ok"))
    assert sam.data(Qt.ItemDataRole.DisplayRole).endswith(text("token.expired"))
    icon = window.context.theme.icon
    closed, open_ = icon("lock-closed").cacheKey(), icon("lock-open").cacheKey()
    assert priya.data(Qt.ItemDataRole.DecorationRole).cacheKey() == closed
    assert sam.data(Qt.ItemDataRole.DecorationRole).cacheKey() == open_
    assert text("a11y.lock_open") in sam.data(Qt.ItemDataRole.AccessibleTextRole)
    # Choosing a suggestion by keyboard makes it a token, checked like any other.
    popup = completer.popup()
    popup.setCurrentIndex(priya)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    settled(qtbot, window)
    assert [b.text() for b in window.fields[Field.TO].tokens()] == ["Priya Shah"]
    assert editor.text() == ""


def accessible_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    return interface.text(QAccessible.Text.Name)


def test_tokens_locks_and_the_status_line_name_their_status(
    qtbot: QtBot, open_compose: WindowFactory
) -> None:
    window = open_compose(prompts=ScriptedPrompts())
    window.session.models[Field.TO].add_text(
        "Priya Shah <priya@clinic.example>, sam@clinic.example, bob@"
    )
    settled(qtbot, window)
    priya, sam, bob = window.fields[Field.TO].tokens()
    assert accessible_name(priya) == "Priya Shah, " + text("a11y.lock_closed")
    assert accessible_name(sam).startswith("sam@clinic.example · expired, ")
    assert text("a11y.lock_open") in accessible_name(sam)
    assert text("a11y.invalid") in accessible_name(bob) and bob.text().startswith("bob@ ")
    assert accessible_name(window.status_line.icon) == text("a11y.status_icon_off")
    assert accessible_name(window.status_line).startswith(text("status_line.not_encrypted"))
    # The banner counts what is not an address, and Send names it.
    assert window.status_line.summary.text().startswith("1 entry is not an e-mail address.")
    window.session.models[Field.TO].add_text("carol@, dave@")
    window.send_button.click()
    [(title, message)] = window.prompts.informed  # type: ignore[attr-defined]
    assert title == text("compose.invalid_title")
    assert all(name in message for name in ("“bob@”", "“carol@”", "“dave@”"))


def test_an_invalid_token_does_not_keep_its_comma(
    qtbot: QtBot, open_compose: WindowFactory
) -> None:
    window = open_compose(prompts=ScriptedPrompts())
    qtbot.keyClicks(window.fields[Field.TO].editor, "bob@,")
    [entry] = window.session.models[Field.TO].entries()
    assert entry.written == "bob@"


def test_an_address_like_display_name_shows_the_real_address(
    qtbot: QtBot, open_compose: WindowFactory
) -> None:
    window = open_compose(prompts=ScriptedPrompts())
    window.session.models[Field.TO].add_text('"dana@partner.example" <lee@clinic.example>')
    settled(qtbot, window)
    [token] = window.fields[Field.TO].tokens()
    assert token.text() == "lee@clinic.example"
    assert "dana@partner.example" not in accessible_name(token)


def test_the_compose_window_fits_1280x720(
    qtbot: QtBot, open_compose: WindowFactory, tmp_path: Path
) -> None:
    window = case_conference_reply_all(open_compose, ScriptedPrompts())
    screen = QSize(1280, 720)
    assert window.minimumSizeHint().height() <= screen.height() - 60
    window.resize(window.size().boundedTo(screen - QSize(0, 60)))
    assert window.height() <= 660 and window.width() <= 1280
    qtbot.wait(20)
    for widget in (
        window.send_button,
        window.status_line,
        window.body,
        window.attachment_view.parentWidget(),
    ):
        bottom = widget.mapTo(window, widget.rect().bottomLeft()).y()
        assert bottom <= window.height(), widget.objectName()
    assert window.grab().save(str(tmp_path / "compose-1280x720.png"))
