"""The main window over the demo mailbox, its actions, screenshots and first paint."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage, QKeySequence
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.app.application import Application
from desktop_app.core.messages import text
from desktop_app.core.recipients.status import Field, Overall
from desktop_app.services.demo.build import SECURE_INBOX
from desktop_app.ui.compose.recipient_model import RecipientListModel
from desktop_app.ui.main_window import SHORTCUTS, MainWindow
from desktop_app.ui.status_icons import TokenState
from tests.ui import make_screenshots
from tests.ui.make_screenshots import MOTIVATING_SUBJECT, demo_application, open_reply_all

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def application(qapp: QApplication, demo_copy: Path) -> Iterator[Application]:
    app = demo_application(qapp, demo_copy)
    yield app
    for window in list(app.compose_windows):
        window.discard()
    if app.window is not None:
        app.window.close()
    app.shutdown()


def test_the_main_window_lists_the_demo_inbox_and_previews_a_message(
    qtbot: QtBot, application: Application
) -> None:
    window = application.main_window()
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.messagesLoaded, timeout=10_000) as loaded:
        window.show()
    assert loaded.args == [5 + len(SECURE_INBOX)]
    qtbot.waitUntil(lambda: window.current_detail is not None, timeout=5_000)
    assert window.preview.subject.text() == MOTIVATING_SUBJECT
    assert "dana@partner.example" in window.preview.meta.text()
    assert window.preview.banner_text.text() == text("security.plain")
    assert window.actions_by_name["reply_all"].isEnabled()
    assert {name: a.shortcut().toString() for name, a in window.actions_by_name.items()} == {
        name: QKeySequence(keys).toString() for name, keys in SHORTCUTS.items()
    }


def test_reply_all_from_the_main_window_marks_the_uncovered_recipient(
    qtbot: QtBot, application: Application
) -> None:
    shown(qtbot, application)
    compose = open_reply_all(application)
    assert compose.session.status.overall is Overall.NOT_ENCRYPTED
    to = compose.session.models[Field.TO]
    cc = compose.session.models[Field.CC]
    assert to.index(0).data(RecipientListModel.STATE_ROLE) == TokenState.NOT_COVERED
    assert cc.index(0).data(RecipientListModel.STATE_ROLE) == TokenState.COVERED
    assert compose.sender_box.currentText() == "Alex Morgan <you@clinic.example>"


def test_new_opens_an_empty_compose_window(qtbot: QtBot, application: Application) -> None:
    window = shown(qtbot, application)
    window.actions_by_name["new"].trigger()
    [compose] = application.compose_windows
    assert compose.windowTitle() == text("compose.title_new")
    assert all(model.rowCount() == 0 for model in compose.session.models.values())
    compose.close()
    assert application.compose_windows == []


def test_screenshots_of_the_motivating_case(qtbot: QtBot, tmp_path: Path) -> None:
    main_png, compose_png, gate_png, certificates_png, training_png = make_screenshots.render(
        tmp_path / "shots", tmp_path / "home"
    )
    shots = ((main_png, 1000), (compose_png, 600), (gate_png, 500), (certificates_png, 900))
    for path, width in shots:
        image = QImage(str(path))
        assert not image.isNull() and image.width() >= width
    laptop = QImage(str(training_png))
    assert laptop.width() <= 1366 and laptop.height() <= 768 - 40


def test_measure_startup_prints_the_first_paint(tmp_path: Path) -> None:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "desktop_app", "--demo", "--home", str(tmp_path / "demo")]
    command.append("--measure-startup")
    for _ in range(2):  # the second run finds the demo home built
        done = subprocess.run(
            command, capture_output=True, text=True, env=environment, timeout=60, check=True
        )
    assert re.fullmatch(r"first_paint_ms: \d+\n", done.stdout)
    assert (tmp_path / "demo" / "demo-home.json").exists()


def shown(qtbot: QtBot, application: Application) -> MainWindow:
    """The main window, shown, once its first message is in the preview."""
    window = application.main_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.current_detail is not None, timeout=10_000)
    return window


def select(qtbot: QtBot, window: MainWindow, subject: str) -> None:
    row = next(
        r for r in range(window.model.rowCount()) if window.model.summary(r).subject == subject
    )
    window.list_view.setCurrentIndex(window.model.index(row))
    qtbot.waitUntil(
        lambda: (
            window.current_detail is not None and window.current_detail.summary.subject == subject
        ),
        timeout=5_000,
    )


def test_the_preview_warns_about_a_sender_domain_that_imitates_another(
    qtbot: QtBot, application: Application
) -> None:
    window = shown(qtbot, application)
    select(qtbot, window, "Urgent: updated referral form")
    assert "mixes Cyrillic and Latin" in window.preview.banner_text.text()
    assert window.preview.banner.property("security") == "warning"


def test_the_preview_opens_an_encrypted_message_and_names_its_signer(
    qtbot: QtBot, application: Application
) -> None:
    window = shown(qtbot, application)
    select(qtbot, window, "Lab results for Mrs. Patel")
    assert window.preview.banner_text.text() == (
        "Encrypted (AES-256-CBC) · Signed by Priya Shah, valid"
    )
    assert window.preview.banner.property("security") == "encrypted"
    assert "HbA1c 48 mmol/mol" in window.preview.body.toPlainText()
    select(qtbot, window, "Discharge summary, bed 12")
    assert window.preview.banner_text.text() == (
        "Encrypted (AES-256-GCM) · Signed by Dr. Jordan Lee, valid"
    )
    # A Reply All to two covered colleagues is encrypted, as a new message to them is.
    compose = open_reply_all(application, "Discharge summary, bed 12")
    assert compose.session.status.overall is Overall.ENCRYPTED
    assert compose.session.start.original_encrypted
    assert "> Alex, Priya," in compose.body.toPlainText()


def test_the_preview_says_why_a_tampered_signature_is_not_valid(
    qtbot: QtBot, application: Application
) -> None:
    window = shown(qtbot, application)
    select(qtbot, window, "On-call this weekend")
    banner = window.preview.banner_text.text()
    assert banner.startswith("Not encrypted · Signature NOT valid: The message was changed")
    assert window.preview.banner.property("security") == "warning"
