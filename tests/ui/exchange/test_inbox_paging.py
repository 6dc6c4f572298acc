"""The main window pages through the Exchange inbox: newest first, more on demand.

Runs the real exchangelib stack over HTTP against the EWS test server.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.core.messages import text
from desktop_app.services.exchange.account import ExchangeSettings
from desktop_app.services.exchange.inbox_source import ExchangeMessageListSource
from desktop_app.services.exchange.session import open_connection
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.mailbox.source import FolderMessageListSource
from desktop_app.services.secrets import SecretStore
from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.theme import Theme
from tests.ews_server import EwsTestServer, StoredItem
from tests.factories.certs import NOW
from tests.services.keyrings import InMemoryKeyring
from tests.work import SentRequest

MESSAGES = 7
PAGE = 3


@pytest.fixture
def inbox(directory: EwsTestServer) -> EwsTestServer:
    """Seven messages, one a minute; the newest is "Message 6"."""
    for number in range(MESSAGES):
        raw = (
            f"From: S{number} <s{number}@clinic.example>\r\nSubject: Message {number}\r\n\r\nHi\r\n"
        )
        directory.state.deliver(
            StoredItem(
                f"item-{number}",
                "inbox",
                raw.encode(),
                subject=f"Message {number}",
                sender=f"s{number}@clinic.example",
                received=NOW + dt.timedelta(minutes=number),
            )
        )
    return directory


@pytest.fixture
def window(
    qtbot: QtBot,
    signed_in_home: Path,
    keyring: InMemoryKeyring,
    runner: BackgroundRunner,
    theme: Theme,
    inbox: EwsTestServer,
) -> Iterator[MainWindow]:
    settings = ExchangeSettings(timeout=1.5, workers=2)
    source = ExchangeMessageListSource(
        lambda: open_connection(
            MailAccess(signed_in_home, secrets=lambda: SecretStore(keyring)), settings
        ),
        "me@clinic.example",
        PAGE,
    )
    shown = MainWindow(
        theme=theme, runner=runner, open_source=lambda: source, compose=lambda *_: None
    )
    qtbot.addWidget(shown)
    shown.resize(1000, 640)
    with qtbot.waitSignal(shown.messagesLoaded, timeout=10_000):
        shown.show()
    yield shown
    source.close()


def subjects(window: MainWindow) -> list[str]:
    return [window.model.summary(row).subject for row in range(window.model.rowCount())]


def find_offsets(server: EwsTestServer) -> list[int]:
    found = (re.search(rb'Offset="(\d+)"', body) for body in server.state.requests_of("FindItem"))
    return [int(match.group(1)) if match else -1 for match in found]


def test_the_newest_page_first_then_more_by_the_keyboard_and_by_scrolling(
    qtbot: QtBot, window: MainWindow, inbox: EwsTestServer, sent_requests: list[SentRequest]
) -> None:
    assert subjects(window) == ["Message 6", "Message 5", "Message 4"]
    bar = window.load_more
    assert bar.isVisible() and bar.button.isVisible()
    assert bar.label.text() == text("inbox.more_waiting", count=3)

    # The button is reached with Tab from the list and pressed with the space bar.
    window.list_view.setFocus()
    qtbot.keyClick(window.list_view, Qt.Key.Key_Tab)
    assert bar.button.hasFocus()
    inbox.state.faults.latency = 0.3  # the page takes a while: the window keeps working
    requests_before = len(sent_requests)
    with qtbot.waitSignal(window.pageLoaded, timeout=10_000) as loaded:
        qtbot.keyClick(bar.button, Qt.Key.Key_Space)
        assert bar.label.text() == text("inbox.loading_more")
        assert window.status_label.text() == text("inbox.loading_more")
        qtbot.keyClick(bar.button, Qt.Key.Key_Space)  # pressed again meanwhile: one request
    inbox.state.faults.latency = 0.0
    assert loaded.args == [3]
    # The window kept working: the page was asked for away from the GUI thread, once.
    paging = sent_requests[requests_before:]
    assert paging and not [request for request in paging if request.on_main_thread]
    assert subjects(window)[3:] == ["Message 3", "Message 2", "Message 1"]
    assert window.current_detail is not None  # the selection and preview stayed
    assert window.current_detail.summary.subject == "Message 6"
    assert window.status_label.text().endswith(": 6 messages")

    # Scrolling to the end of the list asks for the rest.
    window.resize(1000, 300)  # short enough that six messages scroll
    qtbot.waitUntil(lambda: window.list_view.verticalScrollBar().maximum() > 0)
    with qtbot.waitSignal(window.pageLoaded, timeout=10_000) as loaded:
        window.list_view.scrollToBottom()
    assert loaded.args == [1]
    assert subjects(window)[-1] == "Message 0"
    assert not window.more_to_load
    assert bar.label.text() == text("inbox.all_loaded", count=MESSAGES)
    assert not bar.button.isVisible()
    # One FindItem per page, from where the last one ended.
    assert find_offsets(inbox) == [0, 3, 6]


def test_a_failed_page_keeps_what_is_shown_says_why_and_tries_again(
    qtbot: QtBot, window: MainWindow, inbox: EwsTestServer
) -> None:
    inbox.state.faults.add("http503", "FindItem", times=10)
    with qtbot.waitSignal(window.pageLoaded, timeout=15_000):
        window.load_more.button.click()
    bar = window.load_more
    assert subjects(window) == ["Message 6", "Message 5", "Message 4"]
    assert bar.label.text().startswith(text("inbox.load_failed", reason=""))
    assert "Exchange" in bar.label.text()
    assert bar.button.text() == text("inbox.try_again")
    assert bar.property("pageState") == "failed"
    assert window.current_detail is not None

    inbox.state.faults.clear()
    with qtbot.waitSignal(window.pageLoaded, timeout=10_000) as loaded:
        bar.button.click()
    assert loaded.args == [3]
    assert bar.property("pageState") == "more"
    assert len(subjects(window)) == 6


def test_a_mailbox_listed_at_once_shows_no_paging(
    qtbot: QtBot, runner: BackgroundRunner, theme: Theme, tmp_path: Path
) -> None:
    (tmp_path / "a.eml").write_bytes(b"From: a@clinic.example\r\nSubject: A\r\n\r\nA\r\n")
    window = MainWindow(
        theme=theme,
        runner=runner,
        open_source=lambda: FolderMessageListSource(tmp_path, "Folder"),
        compose=lambda *_: None,
    )
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.messagesLoaded, timeout=10_000):
        window.show()
    assert not window.load_more.isVisible()
    assert not window.more_to_load


def screenshot(window: MainWindow, folder: Path, name: str) -> Path:
    """``window`` as a PNG in ``folder``, or in $SHOT_DIR to look at it."""
    path = Path(os.environ.get("SHOT_DIR") or folder) / name
    for _ in range(3):  # the layout requests that a new text posts, and theirs
        QApplication.processEvents()
    assert window.grab().save(str(path))
    return path


def test_screenshots_of_the_load_more_and_failed_states(
    qtbot: QtBot, window: MainWindow, inbox: EwsTestServer, tmp_path: Path
) -> None:
    qtbot.waitUntil(lambda: window.current_detail is not None, timeout=5_000)
    assert screenshot(window, tmp_path, "inbox-load-more.png").stat().st_size > 10_000
    inbox.state.faults.add("http503", "FindItem", times=10)
    with qtbot.waitSignal(window.pageLoaded, timeout=15_000):
        window.load_more.button.click()
    assert screenshot(window, tmp_path, "inbox-load-failed.png").stat().st_size > 10_000
