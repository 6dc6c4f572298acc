"""The mail account dialog: Autodiscover v2 suggests the kind, then a real sign-in (msal
against the test authority, Graph over HTTPS) adds the account in the background."""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop_app.services.accounts.adding import add_account
from desktop_app.services.accounts.kinds import AccountServices, SignInRequest
from desktop_app.services.accounts.model import Account, AccountKind
from desktop_app.services.accounts.store import list_accounts
from desktop_app.services.accounts.suggest import suggest_kind
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.oauth.client import DeviceFlow, OAuthContext
from desktop_app.services.secrets import SecretStore
from desktop_app.ui.accounts.account_dialog import MailAccountDialog
from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.theme import Theme
from tests.ews_server.tls import LocalTls
from tests.ews_server.token_server import TokenTestServer
from tests.factories.certs import NOW
from tests.graph_server import GraphTestServer
from tests.services.graph.conftest import (  # noqa: F401 (fixtures)
    CLIENT_ID,
    authority,
    graph,
    local_tls,
    memory_stores,
    oauth_context,
)
from tests.services.keyrings import InMemoryKeyring

# Set to a folder to keep the pictures for a look (packaging/screenshots holds copies).
KEEP = os.environ.get("SMIME_GUARD_ACCOUNT_SHOTS")


def _save(widget: QWidget, path: Path) -> None:
    assert widget.grab().save(str(path))
    if KEEP:
        shutil.copy(path, Path(KEEP) / path.name)


@pytest.fixture
def dialog(
    qtbot: QtBot,
    runner: BackgroundRunner,
    theme: Theme,
    graph: GraphTestServer,  # noqa: F811
    local_tls: LocalTls,  # noqa: F811
    oauth_context: OAuthContext,  # noqa: F811
    home: Path,
) -> MailAccountDialog:
    graph.state.m365_domains.add("clinic.example")
    base = graph.url.removesuffix("/v1.0")
    suggest = functools.partial(suggest_kind, base=base, verify=str(local_tls.ca_file))
    keyring = InMemoryKeyring()

    def add(account: Account, request: SignInRequest, started) -> str:  # type: ignore[no-untyped-def]
        # The Graph server and CA of the test stand in for graph.microsoft.com.
        account = Account(
            **{**_fields(account), "graph_url": graph.url, "ca_file": str(local_tls.ca_file)}
        )
        services = AccountServices(
            MailAccess(
                home, clock=lambda: NOW, secrets=lambda: SecretStore(keyring), oauth=oauth_context
            )
        )
        services.device_flow_started = started
        return add_account(account, request, services)

    shown = MailAccountDialog(runner, suggest, add)
    qtbot.addWidget(shown)
    shown.show()
    return shown


def _fields(account: Account) -> dict[str, object]:
    return {name: getattr(account, name) for name in account.__slots__}


def test_autodiscover_suggests_microsoft_365_and_sign_in_adds_the_account(
    qtbot: QtBot,
    dialog: MailAccountDialog,
    authority: TokenTestServer,  # noqa: F811 (fixture)
    home: Path,
    tmp_path: Path,
) -> None:
    dialog.choose_kind(AccountKind.IMAP)
    dialog.email.setText("me@clinic.example")
    dialog.ask_suggestion()
    assert dialog.chosen_kind is AccountKind.IMAP
    qtbot.waitUntil(lambda: "Microsoft 365 mailbox" in dialog.suggestion.text(), timeout=5000)
    assert dialog.chosen_kind is AccountKind.M365
    assert not dialog.imap.isVisible() and dialog.client_id.isVisible()
    dialog.client_id.setText(CLIENT_ID)
    dialog.tenant.setText(authority.authority)
    with qtbot.waitSignal(dialog.accountAdded, timeout=15_000):
        dialog.sign_in_button.click()
    [stored] = list_accounts(home)
    assert (stored.kind, stored.email) == (AccountKind.M365, "me@clinic.example")
    assert "Account m365 added" in dialog.message.text()
    dialog.resize(560, dialog.sizeHint().height())
    _save(dialog, tmp_path / "mail-account-m365.png")


def test_other_addresses_get_imap_servers_filled_in(
    qtbot: QtBot, dialog: MailAccountDialog
) -> None:
    dialog.email.setText("ann@partner.example")
    dialog.ask_suggestion()
    qtbot.waitUntil(lambda: "not a Microsoft 365 mailbox" in dialog.suggestion.text(), timeout=5000)
    assert dialog.chosen_kind is AccountKind.IMAP
    assert (dialog.imap.text(), dialog.smtp.text()) == (
        "imap.partner.example:993", "smtp.partner.example:587",
    )  # fmt: skip
    assert dialog.password.isVisible() and not dialog.client_id.isVisible()


def test_a_device_code_is_shown_while_the_authority_waits(
    qtbot: QtBot,
    dialog: MailAccountDialog,
    authority: TokenTestServer,  # noqa: F811 (fixture)
    home: Path,
    tmp_path: Path,
) -> None:
    authority.state.approve = None  # the user has not entered the code yet
    dialog.email.setText("me@clinic.example")
    dialog.choose_kind(AccountKind.M365)
    dialog.client_id.setText(CLIENT_ID)
    dialog.tenant.setText(authority.authority)
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: dialog.code_panel.isVisible(), timeout=10_000)
    assert dialog.code_panel.code.text() == authority.state.user_codes[-1]
    _save(dialog, tmp_path / "mail-account-device-code.png")
    authority.state.approve = "approve"
    qtbot.waitUntil(lambda: bool(list_accounts(home)), timeout=10_000)
    assert isinstance(dialog._flow, DeviceFlow | None)
