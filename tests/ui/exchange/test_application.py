"""The application wires Exchange in when an account is set up: inbox, lookups, sign-in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.app.application import Application
from desktop_app.core.recipients.status import Field
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.mailbox.source import read_message
from desktop_app.services.policy_files import load_policy
from desktop_app.services.secrets import SecretStore
from desktop_app.ui.accounts.exchange_dialog import ExchangeAccountDialog
from desktop_app.ui.compose.recipient_model import RecipientListModel
from desktop_app.ui.compose.window import ComposeWindow
from desktop_app.ui.status_icons import TokenState
from desktop_app.ui.theme import Theme
from tests.ews_server import EwsTestServer, StoredItem
from tests.factories.certs import NOW
from tests.services.exchange.conftest import LEGACY_ROOT, PASSWORD, USER, Pki
from tests.services.exchange.test_lookup import imceaex
from tests.services.keyrings import InMemoryKeyring
from tests.ui.conftest import settled


@pytest.fixture
def application(
    qapp: QApplication,
    signed_in_home: Path,
    keyring: InMemoryKeyring,
    theme: Theme,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Application]:
    monkeypatch.setattr(
        "desktop_app.services.secrets.system_secret_store", lambda: SecretStore(keyring)
    )
    app = Application(
        qapp,
        access=MailAccess(signed_in_home, clock=lambda: NOW),
        demo_user=None,
        policy=load_policy(signed_in_home),
        theme=theme,
    )
    yield app
    for window in list(app.compose_windows):
        window.discard()
    if app.window is not None:
        app.window.close()
    app.shutdown()


def test_the_main_window_lists_the_exchange_inbox_and_compose_asks_the_directory(
    qtbot: QtBot, application: Application, directory: EwsTestServer
) -> None:
    raw = b"From: Alice <alice@clinic.example>\r\nSubject: Rota\r\n\r\nSee you.\r\n"
    directory.state.deliver(StoredItem("rota", "inbox", raw, "Rota", "alice@clinic.example", NOW))
    window = application.main_window()
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.messagesLoaded, timeout=10_000) as loaded:
        window.show()
    assert loaded.args == [1]
    qtbot.waitUntil(lambda: window.current_detail is not None, timeout=5_000)
    assert window.preview.subject.text() == "Rota"

    compose = application.compose("new", None)
    assert isinstance(compose, ComposeWindow)
    editor = compose.fields[Field.TO].editor
    qtbot.keyClicks(editor, "alice@clinic.example")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    settled(qtbot, compose)
    index = compose.session.models[Field.TO].index(0)
    assert index.data(RecipientListModel.STATE_ROLE) == TokenState.COVERED
    assert "ResolveNames" in directory.state.operations


def test_the_exchange_account_entry_opens_the_dialog_with_the_account_filled_in(
    qtbot: QtBot, application: Application, directory: EwsTestServer
) -> None:
    window = application.main_window()
    qtbot.addWidget(window)
    window.exchange_action.trigger()
    dialogs = window.findChildren(ExchangeAccountDialog)
    assert len(dialogs) == 1
    dialog = dialogs[0]
    assert dialog.server.text() == directory.url
    assert dialog.password.text() == ""
    dialog.reject()


def test_reply_all_to_x500_addresses_resolves_them_and_leaves_the_user_out(
    qtbot: QtBot, application: Application, directory: EwsTestServer, pki: Pki
) -> None:
    root = LEGACY_ROOT
    directory.state.mailbox(
        "alice@clinic.example", "Alice Hart", smime=[pki.alice.der], legacy_dn=f"{root}/cn=alice"
    )
    directory.state.mailbox(USER, "Me", smime=[pki.me.der], legacy_dn=f"{root}/cn=me")
    alice = imceaex(f"{root}/cn=alice", "clinic.example")
    me = imceaex(f"{root}/cn=me", "clinic.example")
    raw = (
        f"From: Alice Hart <{alice}>\r\nTo: Me <{me}>\r\nCc: bob@clinic.example\r\n"
        "Subject: Results\r\nMessage-ID: <1@clinic.example>\r\n\r\nHello\r\n"
    ).encode()
    assert application.compose("reply_all", read_message("x500", raw)) is None
    qtbot.waitUntil(lambda: len(application.compose_windows) == 1, timeout=10_000)
    (window,) = application.compose_windows
    assert isinstance(window, ComposeWindow)
    settled(qtbot, window)
    to = window.session.models[Field.TO].mailboxes()
    cc = window.session.models[Field.CC].mailboxes()
    assert [m.address for m in to] == ["alice@clinic.example"]
    assert [m.address for m in cc] == ["bob@clinic.example"]  # the user is left out
    assert to[0].display_name == "Alice Hart"
    index = window.session.models[Field.TO].index(0)
    assert index.data(RecipientListModel.STATE_ROLE) == TokenState.COVERED


def test_signing_in_from_the_main_window_switches_to_exchange(
    qtbot: QtBot,
    qapp: QApplication,
    trusted_home: Path,
    directory: EwsTestServer,
    keyring: InMemoryKeyring,
    theme: Theme,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        "desktop_app.services.secrets.system_secret_store", lambda: SecretStore(keyring)
    )
    raw = b"From: Alice <alice@clinic.example>\r\nSubject: Rota\r\n\r\nSee you.\r\n"
    directory.state.deliver(StoredItem("rota", "inbox", raw, "Rota", "alice@clinic.example", NOW))
    app = Application(
        qapp,
        access=MailAccess(trusted_home),
        demo_user=None,
        policy=load_policy(trusted_home),
        theme=theme,
    )
    try:
        window = app.main_window()
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.messagesLoaded, timeout=10_000) as loaded:
            window.show()
        assert loaded.args == [0]  # no account yet: nothing to list
        dialog = app.exchange_account()
        assert isinstance(dialog, ExchangeAccountDialog)
        dialog.email.setText(USER)
        dialog.server.setText(directory.url)
        dialog.auth.setCurrentIndex(dialog.auth.findData("basic"))
        dialog.password.setText(PASSWORD)
        with qtbot.waitSignal(window.messagesLoaded, timeout=10_000) as reloaded:
            dialog.sign_in_button.click()
        assert reloaded.args == [1]
        assert "Exchange inbox" in window.status_label.text()
        compose = app.compose("new", None)
        assert isinstance(compose, ComposeWindow)
        editor = compose.fields[Field.TO].editor
        qtbot.keyClicks(editor, "alice@clinic.example")
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        settled(qtbot, compose)
        index = compose.session.models[Field.TO].index(0)
        assert index.data(RecipientListModel.STATE_ROLE) == TokenState.COVERED
    finally:
        for opened in list(app.compose_windows):
            opened.discard()
        app.shutdown()
