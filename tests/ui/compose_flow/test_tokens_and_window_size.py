"""Recipient tokens in the compose window: completion with locks, screen-reader names,
invalid entries, and a window that fits a 1280x720 screen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop_app.core.messages import text
from desktop_app.core.recipients.status import Field
from tests.ui.compose_flow.conftest import active, case_conference_reply_all
from tests.ui.conftest import ScriptedPrompts, WindowFactory, settled

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
