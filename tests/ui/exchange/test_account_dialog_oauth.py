"""The account dialog signs in with OAuth 2.0: a device code shown, waited for, cancellable."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from desktop_app.services.exchange.account import (
    AccountConfig,
    AuthType,
    ExchangeSettings,
    account_path,
    load_exchange_account,
)
from desktop_app.services.exchange.oauth_sign_in import OAuthFlow
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.oauth.client import OAuthContext
from desktop_app.services.secrets import SecretStore
from desktop_app.ui.accounts.exchange_dialog import ExchangeAccountDialog, sign_in_operation
from desktop_app.ui.background import BackgroundRunner
from tests.ews_server import EwsTestServer
from tests.ews_server.tls import LocalTls
from tests.ews_server.token_server import FormPostBrowser, TokenTestServer
from tests.services.exchange.conftest import USER
from tests.services.keyrings import InMemoryKeyring
from tests.services.oauth.fixtures import CLIENT_ID, MemoryStores, token_cache_text
from tests.work import SentRequest, Sleeps

# Set to a folder to keep the picture for a look (packaging/screenshots keeps one).
KEEP = os.environ.get("SMIME_GUARD_EXCHANGE_SHOTS")


def make_dialog(
    qtbot: QtBot,
    runner: BackgroundRunner,
    home: Path,
    keyring: InMemoryKeyring,
    settings: ExchangeSettings,
    oauth: OAuthContext,
) -> ExchangeAccountDialog:
    access = MailAccess(
        home, secrets=lambda: SecretStore(keyring), exchange_settings=settings, oauth=oauth
    )
    operations = sign_in_operation(access)
    dialog = ExchangeAccountDialog(runner, operations)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


DialogOpener = Callable[[], ExchangeAccountDialog]


@pytest.fixture
def open_dialog(
    qtbot: QtBot,
    runner: BackgroundRunner,
    home: Path,
    keyring: InMemoryKeyring,
    settings: ExchangeSettings,
    oauth_context: OAuthContext,
) -> DialogOpener:
    """Opens the account dialog over the test keyring, settings and OAuth context."""
    return lambda: make_dialog(qtbot, runner, home, keyring, settings, oauth_context)


def fill(dialog: ExchangeAccountDialog, server: EwsTestServer, authority: TokenTestServer) -> None:
    dialog.email.setText(USER)
    dialog.server.setText(server.url)
    dialog.auth.setCurrentIndex(dialog.auth.findData(AuthType.OAUTH2))
    dialog.tenant.setText(authority.authority)
    dialog.client_id.setText(CLIENT_ID)


def wait_for_code(qtbot: QtBot, dialog: ExchangeAccountDialog) -> None:
    dialog.sign_in_button.click()
    assert dialog.busy and not dialog.email.isEnabled()
    qtbot.waitUntil(lambda: dialog.waiting_for_code, timeout=10_000)


def test_oauth_shows_its_own_fields_instead_of_the_password(
    qtbot: QtBot,
    open_dialog: DialogOpener,
) -> None:
    dialog = open_dialog()
    assert dialog.password.isVisible() and not dialog.client_id.isVisible()
    model = dialog.auth.model()
    assert isinstance(model, QStandardItemModel)
    assert model.item(dialog.auth.findData(AuthType.OAUTH2)).isEnabled()

    dialog.auth.setCurrentIndex(dialog.auth.findData(AuthType.OAUTH2))

    assert not dialog.password.isVisible()
    assert dialog.tenant.isVisible() and dialog.client_id.isVisible() and dialog.flow.isVisible()


def test_a_device_code_is_shown_waited_for_and_the_account_kept(
    qtbot: QtBot,
    open_dialog: DialogOpener,
    home: Path,
    keyring: InMemoryKeyring,
    oauth_ews: EwsTestServer,
    authority: TokenTestServer,
    memory_stores: MemoryStores,
    tmp_path: Path,
) -> None:
    authority.state.approve = None  # the user has not entered the code yet
    dialog = open_dialog()
    fill(dialog, oauth_ews, authority)
    wait_for_code(qtbot, dialog)

    (user_code,) = authority.state.user_codes
    assert dialog.code_panel.code.text() == user_code and dialog.code_panel.isVisible()
    assert "/devicelogin" in dialog.code_panel.link.text()
    assert dialog.sign_in_button.isEnabled()  # it stops the wait now
    dialog.resize(520, dialog.sizeHint().height())
    path = tmp_path / "exchange-oauth.png"
    assert dialog.grab().save(str(path))
    if KEEP:
        Path(KEEP).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(KEEP) / path.name)

    seen: list[object] = []
    dialog.signedIn.connect(seen.append)
    with qtbot.waitSignal(dialog.finished, timeout=10_000) as finished:
        authority.state.approve = "approve"  # entered in a browser elsewhere
    assert finished.args == [QDialog.DialogCode.Accepted.value]
    (config,) = seen
    assert isinstance(config, AccountConfig) and config.auth is AuthType.OAUTH2
    assert load_exchange_account(home).oauth == config.oauth
    assert keyring.entries == {}
    assert authority.state.issued_access[0] in token_cache_text(memory_stores)


def test_stopping_the_wait_stores_nothing_and_frees_the_dialog(
    qtbot: QtBot,
    open_dialog: DialogOpener,
    home: Path,
    oauth_ews: EwsTestServer,
    authority: TokenTestServer,
    sleeps: Sleeps,
) -> None:
    authority.state.approve = None
    dialog = open_dialog()
    fill(dialog, oauth_ews, authority)
    wait_for_code(qtbot, dialog)

    polls = authority.state.grants.count("device_code")
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=5_000)

    # Stopped within a second, counted: at most the one poll already under way after the
    # click, and no wait longer than the authority's poll interval (1 s) before it.
    assert authority.state.grants.count("device_code") <= polls + 1
    assert all(seconds <= 1 for _, seconds in sleeps.asked)
    assert "cancelled" in dialog.message.text()
    assert not dialog.code_panel.isVisible() and dialog.sign_in_button.isEnabled()
    assert not account_path(home).exists()
    assert oauth_ews.state.operations == []


def test_closing_the_dialog_stops_the_wait(
    qtbot: QtBot,
    open_dialog: DialogOpener,
    runner: BackgroundRunner,
    home: Path,
    oauth_ews: EwsTestServer,
    authority: TokenTestServer,
) -> None:
    authority.state.approve = None
    dialog = open_dialog()
    fill(dialog, oauth_ews, authority)
    wait_for_code(qtbot, dialog)

    dialog.reject()
    qtbot.waitUntil(lambda: not runner.busy, timeout=5_000)

    assert not account_path(home).exists()


def test_missing_oauth_input_is_told_without_asking_anyone(
    qtbot: QtBot,
    open_dialog: DialogOpener,
    oauth_ews: EwsTestServer,
    authority: TokenTestServer,
) -> None:
    dialog = open_dialog()
    fill(dialog, oauth_ews, authority)
    dialog.client_id.clear()
    dialog.sign_in_button.click()
    assert "application (client) ID" in dialog.message.text() and not dialog.busy
    dialog.client_id.setText(CLIENT_ID)
    dialog.server.setText("http://mail.clinic.example/EWS/Exchange.asmx")
    dialog.sign_in_button.click()
    assert "must start with https://" in dialog.message.text() and not dialog.busy
    assert authority.state.grants == [] and oauth_ews.state.operations == []


def test_an_authority_that_is_not_there_is_told_within_seconds(
    qtbot: QtBot,
    open_dialog: DialogOpener,
    oauth_ews: EwsTestServer,
    authority: TokenTestServer,
    settings: ExchangeSettings,
    sleeps: Sleeps,
    sent_requests: list[SentRequest],
) -> None:
    dialog = open_dialog()
    fill(dialog, oauth_ews, authority)
    authority.stop()
    asked = len(sent_requests)
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)

    # Told within seconds, counted: one request bounded by the configured timeout, from
    # the background, and no waiting before the answer is shown.
    asked_now = sent_requests[asked:]
    assert [request.timeout for request in asked_now] == [settings.timeout]
    assert not asked_now[0].on_main_thread and sleeps.asked == []
    assert "could not be reached" in dialog.message.text()
    assert dialog.message.property("failed") is True


def test_a_browser_sign_in_on_this_computer_keeps_the_account(
    qtbot: QtBot,
    open_dialog: DialogOpener,
    home: Path,
    oauth_ews: EwsTestServer,
    authority: TokenTestServer,
    local_tls: LocalTls,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import webbrowser

    browser = FormPostBrowser(str(local_tls.ca_file))
    monkeypatch.setattr(webbrowser, "open", browser)
    dialog = open_dialog()
    fill(dialog, oauth_ews, authority)
    dialog.flow.setCurrentIndex(dialog.flow.findData(OAuthFlow.BROWSER))

    with qtbot.waitSignal(dialog.finished, timeout=10_000) as finished:
        dialog.sign_in_button.click()
        assert "browser window" in dialog.message.text()

    assert finished.args == [QDialog.DialogCode.Accepted.value]
    assert len(browser.opened) == 1
    assert load_exchange_account(home).auth is AuthType.OAUTH2


def test_waiting_for_a_code_leaves_the_application_worker_free(
    qtbot: QtBot,
    qapp: object,
    home: Path,
    keyring: InMemoryKeyring,
    settings: ExchangeSettings,
    oauth_context: OAuthContext,
    oauth_ews: EwsTestServer,
    authority: TokenTestServer,
    theme: object,
) -> None:
    from desktop_app.app.application import Application
    from desktop_app.core.policy.model import Policy
    from desktop_app.services.policy_files import PolicyLoad

    authority.state.approve = None  # the user has not entered the code yet
    app = Application(
        qapp,  # type: ignore[arg-type]
        access=MailAccess(
            home,
            secrets=lambda: SecretStore(keyring),
            exchange_settings=settings,
            oauth=oauth_context,
        ),
        demo_user=None,
        policy=PolicyLoad(Policy()),
        theme=theme,  # type: ignore[arg-type]
    )
    dialog = app.exchange_account()
    assert isinstance(dialog, ExchangeAccountDialog)
    try:
        fill(dialog, oauth_ews, authority)
        wait_for_code(qtbot, dialog)

        done: list[str] = []
        app.runner.run(lambda: "a lookup, a preview, an autosave", done.append)
        qtbot.waitUntil(lambda: bool(done), timeout=3_000)  # not behind the wait
        assert dialog.waiting_for_code
    finally:
        dialog.stop_sign_in()  # the wait ends within a second
        app.shutdown()
