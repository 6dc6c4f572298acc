"""The Exchange account dialog signs in in the background and stores nothing on failure."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from desktop_app.services.exchange.account import (
    AccountConfig,
    AuthType,
    ExchangeSettings,
    account_path,
    load_exchange_account,
)
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.secrets import SERVICE_NAME, SecretStore, checked_secret_store
from desktop_app.ui.accounts.exchange_dialog import ExchangeAccountDialog, sign_in_operation
from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.main_window import EXCHANGE_ACCOUNT, MainWindow
from desktop_app.ui.theme import Theme
from tests.ews_server import EwsTestServer
from tests.services.exchange.conftest import PASSWORD, USER
from tests.services.keyrings import InMemoryKeyring, LockedKeyring, PlaintextKeyring
from tests.work import SentRequest, Sleeps


def make_dialog(
    qtbot: QtBot,
    runner: BackgroundRunner,
    home: Path,
    keyring: InMemoryKeyring,
    settings: ExchangeSettings,
    *,
    trusted: bool = False,
) -> ExchangeAccountDialog:
    def open_secrets() -> SecretStore:
        return checked_secret_store(keyring) if trusted else SecretStore(keyring)

    dialog = ExchangeAccountDialog(
        runner,
        sign_in_operation(MailAccess(home, secrets=open_secrets, exchange_settings=settings)),
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def fill(dialog: ExchangeAccountDialog, server: str, password: str = PASSWORD) -> None:
    dialog.email.setText(USER)
    dialog.server.setText(server)
    dialog.auth.setCurrentIndex(dialog.auth.findData(AuthType.BASIC))
    dialog.password.setText(password)


def finish(qtbot: QtBot, dialog: ExchangeAccountDialog) -> None:
    dialog.sign_in_button.click()
    assert dialog.busy and dialog.progress.isVisible() and not dialog.sign_in_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)


def told_within_seconds(sleeps: Sleeps, sent: list[SentRequest], timeout: float) -> bool:
    """Counted, not timed: one request, bounded by the configured timeout, sent away from
    the GUI thread, and no waiting (back-off, retry) before the answer is shown."""
    return (
        sleeps.asked == []
        and [request.timeout for request in sent] == [timeout]
        and not sent[0].on_main_thread
    )


def test_signing_in_stores_the_account_and_the_password_only_in_the_keyring(
    qtbot: QtBot,
    runner: BackgroundRunner,
    home: Path,
    ews: EwsTestServer,
    keyring: InMemoryKeyring,
    settings: ExchangeSettings,
) -> None:
    dialog = make_dialog(qtbot, runner, home, keyring, settings)
    fill(dialog, ews.url)
    seen: list[tuple[object, str]] = []
    dialog.signedIn.connect(lambda config: seen.append((config, dialog.password.text())))
    with qtbot.waitSignal(dialog.finished, timeout=10_000) as finished:
        dialog.sign_in_button.click()
    assert finished.args == [QDialog.DialogCode.Accepted.value]
    ((config, password_left),) = seen
    assert isinstance(config, AccountConfig) and password_left == ""
    assert load_exchange_account(home).ews_url == ews.url
    assert keyring.entries == {(SERVICE_NAME, f"exchange:{USER}"): PASSWORD}
    assert PASSWORD not in account_path(home).read_text()


def test_a_wrong_password_is_told_within_seconds_and_nothing_is_stored(
    qtbot: QtBot,
    runner: BackgroundRunner,
    home: Path,
    ews: EwsTestServer,
    keyring: InMemoryKeyring,
    settings: ExchangeSettings,
    sleeps: Sleeps,
    sent_requests: list[SentRequest],
) -> None:
    dialog = make_dialog(qtbot, runner, home, keyring, settings)
    fill(dialog, ews.url, password="wrong")
    finish(qtbot, dialog)
    assert told_within_seconds(sleeps, sent_requests, settings.timeout)
    assert ews.state.operations == ["401"]  # one try: a 401 is not throttling
    assert "did not accept the user name or password" in dialog.message.text()
    assert dialog.message.property("failed") is True
    assert dialog.isVisible() and dialog.sign_in_button.isEnabled()
    assert not account_path(home).exists() and keyring.entries == {}


def test_an_unreachable_server_is_told_and_nothing_is_stored(
    qtbot: QtBot,
    runner: BackgroundRunner,
    home: Path,
    ews: EwsTestServer,
    keyring: InMemoryKeyring,
    settings: ExchangeSettings,
    sleeps: Sleeps,
    sent_requests: list[SentRequest],
) -> None:
    url = ews.url
    ews.stop()
    dialog = make_dialog(qtbot, runner, home, keyring, settings)
    fill(dialog, url)
    finish(qtbot, dialog)
    assert told_within_seconds(sleeps, sent_requests, settings.timeout)
    assert "could not be reached" in dialog.message.text()
    assert not account_path(home).exists() and keyring.entries == {}


def test_without_a_system_keyring_nothing_is_stored_and_the_server_is_not_asked(
    qtbot: QtBot,
    runner: BackgroundRunner,
    home: Path,
    ews: EwsTestServer,
    settings: ExchangeSettings,
) -> None:
    plaintext = PlaintextKeyring()
    dialog = make_dialog(qtbot, runner, home, plaintext, settings, trusted=True)
    fill(dialog, ews.url)
    finish(qtbot, dialog)
    assert "keyring" in dialog.message.text().lower()
    assert ews.state.operations == []
    assert not account_path(home).exists() and plaintext.entries == {}

    locked = LockedKeyring()
    dialog = make_dialog(qtbot, runner, home, locked, settings)
    fill(dialog, ews.url)
    finish(qtbot, dialog)
    assert "keyring" in dialog.message.text().lower()
    assert not account_path(home).exists()


def test_missing_fields_are_told_without_asking_the_server(
    qtbot: QtBot,
    runner: BackgroundRunner,
    home: Path,
    ews: EwsTestServer,
    keyring: InMemoryKeyring,
    settings: ExchangeSettings,
) -> None:
    dialog = make_dialog(qtbot, runner, home, keyring, settings)
    dialog.sign_in_button.click()
    assert "e-mail address" in dialog.message.text() and not dialog.busy
    fill(dialog, "not a url")
    dialog.sign_in_button.click()
    assert "is not an EWS URL" in dialog.message.text()
    dialog.autodiscover.setChecked(True)
    assert not dialog.server.isEnabled()
    assert ews.state.operations == []


def test_oauth_is_offered_only_with_the_sign_in_operations(
    qtbot: QtBot, runner: BackgroundRunner, settings: ExchangeSettings
) -> None:
    def password_only(config: AccountConfig, password: str, autodiscover: bool) -> AccountConfig:
        return config

    dialog = ExchangeAccountDialog(runner, password_only)
    qtbot.addWidget(dialog)
    model = dialog.auth.model()
    assert isinstance(model, QStandardItemModel)
    oauth = model.item(dialog.auth.findData(AuthType.OAUTH2))
    assert "OAuth 2.0" in oauth.text() and not oauth.isEnabled()


def test_the_main_window_offers_the_exchange_account(
    qtbot: QtBot, runner: BackgroundRunner, theme: Theme
) -> None:
    from desktop_app.services.mailbox.source import EmptyMessageListSource

    opened: list[bool] = []
    window = MainWindow(
        theme=theme,
        runner=runner,
        open_source=EmptyMessageListSource,
        compose=lambda action, detail: None,
        exchange_account=lambda: opened.append(True),
    )
    qtbot.addWidget(window)
    assert window.exchange_action.text() == EXCHANGE_ACCOUNT
    window.exchange_action.trigger()
    assert opened == [True]


def test_a_password_sign_in_cannot_be_left_behind_by_cancel(
    qtbot: QtBot,
    runner: BackgroundRunner,
    trusted_home: Path,
    ews: EwsTestServer,
    keyring: InMemoryKeyring,
    settings: ExchangeSettings,
) -> None:
    dialog = make_dialog(qtbot, runner, trusted_home, keyring, settings)
    fill(dialog, ews.url)
    seen: list[object] = []
    dialog.signedIn.connect(seen.append)

    dialog.sign_in_button.click()
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert dialog.busy and cancel is not None and not cancel.isEnabled()
    dialog.reject()  # Escape: ignored while the server is being asked
    assert dialog.isVisible()

    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)  # the app is told what was stored
    assert account_path(trusted_home).is_file()
