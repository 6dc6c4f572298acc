"""Fixtures and helpers for the compose flow tests: windows kept after they close, modal
dialogs answered as staff would, keyboard shortcuts, and the case-conference Reply All."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.core.recipients.replies import ComposeAction
from desktop_app.services.mailbox.source import read_message
from desktop_app.ui.compose.starts import compose_start
from desktop_app.ui.compose.window import ComposeWindow
from tests.ui.conftest import ME, WindowFactory
from tests.ui.test_compose import INBOX

CASE_CONFERENCE = INBOX / "03-case-conference.eml"


@pytest.fixture
def open_compose(open_compose: WindowFactory) -> WindowFactory:
    """Windows kept after they close: the tests look at them, and pytest-qt closes them."""

    def open_window(*args: object, **kwargs: object) -> ComposeWindow:
        window = open_compose(*args, **kwargs)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        return window

    return open_window


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


def case_conference_reply_all(open_compose: WindowFactory, prompts: object = None) -> ComposeWindow:
    detail = read_message(CASE_CONFERENCE.name, CASE_CONFERENCE.read_bytes())
    start = compose_start(ComposeAction.REPLY_ALL, detail, frozenset({ME.key}))
    return open_compose(start, prompts)
