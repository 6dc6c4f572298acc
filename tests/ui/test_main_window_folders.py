"""The main window's folders, message-list icons and first-run page, on real windows."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop_app.app.application import Application
from desktop_app.core.identity import identity_of
from desktop_app.core.messages import text
from desktop_app.core.pki.stored import Source
from desktop_app.core.recipients.status import Field
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.identity_store import save_identity
from desktop_app.services.mailbox.folders import SentSecurity
from desktop_app.services.outbox.queue import OutboxQueue
from desktop_app.services.paths import store_path
from desktop_app.services.secrets import SecretStore
from desktop_app.ui.compose.window import ComposeWindow
from desktop_app.ui.folder_models import RECORD_ROLE, Folder
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.theme import Theme
from tests.factories.certs import NOW, TestCA
from tests.services.keyrings import InMemoryKeyring
from tests.ui.conftest import own_application, settled
from tests.ui.main_window_helpers import demo, same_icon, shown_and_checked

CA = TestCA("Folders Root")
ME = CA.issue(["me@clinic.example"])
ALICE = CA.issue(["alice@clinic.example"])
__all__ = ["demo"]  # the fixture, used by name


def test_the_menus_follow_desktop_conventions_with_standard_shortcuts(
    qtbot: QtBot, demo: Application
) -> None:
    window = shown_and_checked(qtbot, demo)
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == [text(k) for k in ("menu.file", "menu.message", "menu.tools", "menu.help")]
    keys = {
        action.text(): action.shortcut().toString()
        for menu in window.menuBar().actions()
        for action in menu.menu().actions()
        if not action.isSeparator()
    }
    assert keys[text("menu.new")] == "Ctrl+N"
    assert keys[text("menu.save_draft")] == "Ctrl+S"
    assert keys[text("menu.quit")] == "Ctrl+Q"
    assert keys[text("menu.reply")] == "Ctrl+R"
    assert keys[text("menu.reply_all")] == "Ctrl+Shift+R"
    assert keys[text("menu.forward")] == "Ctrl+L"
    assert keys[text("menu.shortcuts")] == "F1"
    for key in ("menu.certificates", "menu.training", "menu.about", "menu.log_folder"):
        assert text(key) in keys
    about = window.show_about()
    qtbot.addWidget(about)
    from PySide6 import __version__ as pyside
    from PySide6.QtCore import qVersion

    assert f"Qt {qVersion()}" in about.text() and f"PySide6 {pyside}" in about.text()  # type: ignore[attr-defined]
    shortcuts = window.show_shortcuts()
    qtbot.addWidget(shortcuts)
    table = shortcuts.table  # type: ignore[attr-defined]
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows["Quit"] == "Ctrl+Q" and rows["Reply All"] == "Ctrl+Shift+R"


def test_the_sent_view_lists_the_sealed_copy_with_its_security(
    qtbot: QtBot, qtmodeltester: ModelTester, qapp: QApplication, tmp_path: Path, theme: Theme
) -> None:
    home = tmp_path / "home"
    with CertStore.open(store_path(home)) as store:
        store.add_trust_anchor(CA.cert, NOW)
        store.add_certificate(ALICE.cert, Source.IMPORTED, NOW)
    keyring = InMemoryKeyring()
    save_identity(home, identity_of(ME.cert, ME.key, (), source="test"), SecretStore(keyring))
    app = own_application(qapp, home, keyring, theme)
    try:
        window = app.window
        assert window is not None
        qtbot.addWidget(window)
        window.show()
        compose = app.compose("new", None)
        assert isinstance(compose, ComposeWindow)
        compose.session.models[Field.TO].add_text("alice@clinic.example")
        compose.subject.setText("Potassium")
        compose.body.setPlainText("Fine.\n")
        settled(qtbot, compose)
        compose.session.set_encrypt(True)
        with qtbot.waitSignal(compose.sent, timeout=10_000):
            compose.send_button.click()
        with qtbot.waitSignal(window.folders.sent.listed, timeout=5_000):
            window.show_folder(Folder.SENT)
        model = window.folders.sent.model
        [record] = [model.index(row).data(RECORD_ROLE) for row in range(model.rowCount())]
        assert record.security is SentSecurity.ENCRYPTED and record.signed is True
        assert record.recipients == ("alice@clinic.example",)
        index = model.index(0)
        assert same_icon(index.data(Qt.ItemDataRole.DecorationRole), theme.icon("lock-closed"))
        word = text("folders.sent_encrypted_signed")
        assert index.data(Qt.ItemDataRole.AccessibleTextRole).startswith(word)
        assert "alice@clinic.example" in index.data(Qt.ItemDataRole.DisplayRole)
        assert (
            window.folder_model.index(window.folder_model.row_of(Folder.SENT))
            .data()
            .endswith("(1)")
        )
        qtmodeltester.check(model)
    finally:
        app.shutdown()


SEALED = (
    b"From: me@clinic.example\r\nTo: alice@clinic.example\r\nSubject: Waiting\r\n"
    b"MIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data;"
    b' name="smime.p7m"\r\nContent-Transfer-Encoding: base64\r\n\r\nMIIB\r\n'
)


def test_the_outbox_view_says_what_waits_and_its_last_error(
    qtbot: QtBot, qtmodeltester: ModelTester, qapp: QApplication, tmp_path: Path, theme: Theme
) -> None:
    home = tmp_path / "home"
    outbox = OutboxQueue(home, lambda: NOW)
    [item] = outbox.add_copies([SEALED], "test", unencrypted_by_choice=False)
    outbox.failed(item, "Exchange did not answer.", None)
    app = own_application(qapp, home, InMemoryKeyring(), theme)
    try:
        window = app.window
        assert window is not None
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.folders.outbox.listed, timeout=5_000):
            window.show_folder(Folder.OUTBOX)
        model = window.folders.outbox.model
        shown = model.index(0).data(Qt.ItemDataRole.DisplayRole)
        assert "Waiting" in shown and "Exchange did not answer." in shown
        assert text("folders.sent_encrypted") in model.index(0).data(
            Qt.ItemDataRole.AccessibleTextRole
        )
        qtmodeltester.check(model)
    finally:
        app.shutdown()


def test_a_new_home_opens_on_the_welcome_page_with_each_step_to_do(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path, theme: Theme
) -> None:
    (tmp_path / "new-home").mkdir()
    app = own_application(qapp, tmp_path / "new-home", InMemoryKeyring(), theme)
    try:
        window = app.window
        assert window is not None
        qtbot.addWidget(window)
        with qtbot.waitSignals([window.messagesLoaded, window.firstPainted], timeout=5_000):
            window.show()
        assert window.welcome_shown
        to_do = text("welcome.to_do")
        for name in ("identity", "account", "training"):
            label = window.welcome.step_labels[name]
            assert label.accessibleName().endswith(to_do) and label.isVisible()
            assert window.welcome.step_buttons[name].isVisible()
        assert window.welcome.step_buttons["demo"].isVisible()
        window.show_folder(Folder.SENT)
        assert not window.welcome_shown
        window.menu_actions["welcome"].trigger()  # Help > Getting started
        assert window.welcome_shown
        (tmp_path / "new-home" / "training-progress.json").write_text("{}", encoding="utf-8")
        window.refresh_welcome()
        assert (
            window.welcome.step_labels["training"].accessibleName().endswith(text("welcome.done"))
        )
    finally:
        app.shutdown()


def test_the_demo_never_shows_the_welcome_page(qtbot: QtBot, demo: Application) -> None:
    window = shown_and_checked(qtbot, demo)
    assert not window.welcome_shown
    assert "welcome" not in window.menu_actions


def test_extras_default_to_an_inbox_only_window(qtbot: QtBot, runner: object, theme: Theme) -> None:
    from desktop_app.services.mailbox.source import EmptyMessageListSource
    from desktop_app.ui.main_window import WindowExtras

    window = MainWindow(
        theme=theme,
        runner=runner,  # type: ignore[arg-type]
        open_source=EmptyMessageListSource,
        compose=lambda action, detail: None,
        extras=dataclasses.replace(WindowExtras(), first_run=False),
    )
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.folders.drafts.listed, timeout=5_000):
        window.show_folder(Folder.DRAFTS)
    assert window.folders.drafts.note.text() == text("folders.no_drafts_store")


def test_the_drafts_view_lists_a_saved_draft_and_reopens_it_in_compose(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    qapp: QApplication,
    tmp_path: Path,
    theme: Theme,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from desktop_app.ui.compose import autosave

    monkeypatch.setattr(autosave, "AUTOSAVE_DELAY_MS", 50)
    home = tmp_path / "home"
    with CertStore.open(store_path(home)) as store:
        store.add_trust_anchor(CA.cert, NOW)
        store.add_certificate(ALICE.cert, Source.IMPORTED, NOW)
    keyring = InMemoryKeyring()
    save_identity(home, identity_of(ME.cert, ME.key, (), source="test"), SecretStore(keyring))
    app = own_application(qapp, home, keyring, theme)
    try:
        window = app.window
        assert window is not None
        qtbot.addWidget(window)
        compose = app.compose("new", None)
        assert isinstance(compose, ComposeWindow)
        compose.session.models[Field.TO].add_text("alice@clinic.example")
        with qtbot.waitSignal(compose.autosave.saved, timeout=5_000):
            compose.subject.setText("Potassium results")
        with qtbot.waitSignal(window.folders.drafts.listed, timeout=5_000):
            window.show_folder(Folder.DRAFTS)
        model = window.folders.drafts.model
        assert model.rowCount() == 1
        shown = model.index(0).data(Qt.ItemDataRole.DisplayRole)
        assert "Potassium results" in shown and "alice@clinic.example" in shown
        qtmodeltester.check(model)
        before = len(app.compose_windows)
        window.folders.drafts.list_view.setCurrentIndex(model.index(0))
        assert window.folders.drafts.button is not None
        window.folders.drafts.button.click()  # Open draft
        assert len(app.compose_windows) == before + 1
        reopened = app.compose_windows[-1]
        assert isinstance(reopened, ComposeWindow)
        assert reopened.subject.text() == "Potassium results"
        settled(qtbot, reopened)
        to = reopened.session.models[Field.TO]
        assert to.rowCount() == 1
    finally:
        for open_window in list(app.compose_windows):
            open_window.discard()  # typed in: closing would ask about the draft
        app.shutdown()


def test_the_demo_is_started_as_this_program_with_demo() -> None:
    import sys

    from desktop_app.app.folders import demo_command

    program, arguments = demo_command()
    assert program == sys.executable and arguments[-1] == "--demo"


def test_without_a_certificate_the_drafts_view_says_why_there_are_none(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path, theme: Theme
) -> None:
    (tmp_path / "home").mkdir()
    app = own_application(qapp, tmp_path / "home", InMemoryKeyring(), theme)
    try:
        window = app.window
        assert window is not None
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.folders.drafts.listed, timeout=5_000):
            window.show_folder(Folder.DRAFTS)
        if app.draft_store() is None:
            assert window.folders.drafts.note.text() == text("folders.no_drafts_store")
        else:  # drafts kept unencrypted by the user's choice can be listed
            assert window.folders.drafts.model.rowCount() == 0
    finally:
        app.shutdown()
