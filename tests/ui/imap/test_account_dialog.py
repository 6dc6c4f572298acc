"""The mail account dialog with the IMAP kind: servers, user name and password entered,
then a real sign-in to Dovecot and the SMTP server in the background adds the account;
a refused password says so and keeps nothing."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.services.accounts.adding import add_account
from desktop_app.services.accounts.kinds import AccountServices, SignInRequest
from desktop_app.services.accounts.model import Account, AccountKind
from desktop_app.services.accounts.store import list_accounts
from desktop_app.services.accounts.suggest import suggest_kind
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.oauth.client import OAuthContext
from desktop_app.services.secrets import SecretStore
from desktop_app.ui.accounts.account_dialog import MailAccountDialog
from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.theme import Theme
from tests.mail_servers.dovecot import DovecotServer, MailUser
from tests.services.imap.conftest import (  # noqa: F401 (fixtures)
    NOW,
    RestartableSmtp,
    dovecot,
    keyring,
    mail_user,
    smtp,
)
from tests.services.keyrings import InMemoryKeyring


@pytest.fixture
def dialog(
    qtbot: QtBot,
    runner: BackgroundRunner,
    theme: Theme,
    home: Path,
    dovecot: DovecotServer,  # noqa: F811 (fixture)
    keyring: InMemoryKeyring,  # noqa: F811 (fixture)
) -> MailAccountDialog:
    def add(account: Account, request: SignInRequest, started) -> str:  # type: ignore[no-untyped-def]
        # The test CA stands in for the system's trust (the dialog has no CA field).
        fields = {name: getattr(account, name) for name in account.__slots__}
        account = Account(**{**fields, "ca_file": str(dovecot.tls.ca_file)})
        services = AccountServices(
            MailAccess(
                home, clock=lambda: NOW, secrets=lambda: SecretStore(keyring), oauth=OAuthContext()
            )
        )
        services.device_flow_started = started
        return add_account(account, request, services)

    # No Autodiscover here: the suggestion is not asked for.
    suggest = functools.partial(suggest_kind, base="https://127.0.0.1:9", verify=False)
    shown = MailAccountDialog(runner, suggest, add)
    qtbot.addWidget(shown)
    shown.show()
    return shown


def _fill(
    dialog: MailAccountDialog,
    dovecot: DovecotServer,  # noqa: F811 (fixture)
    smtp: RestartableSmtp,  # noqa: F811 (fixture)
    user: MailUser,
    password: str,
) -> None:
    dialog.choose_kind(AccountKind.IMAP)
    dialog.email.setText(user.login)
    dialog.imap.setText(f"127.0.0.1:{dovecot.imaps_port}")  # implicit TLS, as 993
    dialog.smtp.setText(f"127.0.0.1:{smtp.port}")
    dialog.username.setText(user.login)
    dialog.password.setText(password)


def test_an_imap_account_is_added_from_the_dialog(
    qtbot: QtBot,
    dialog: MailAccountDialog,
    dovecot: DovecotServer,  # noqa: F811 (fixture)
    smtp: RestartableSmtp,  # noqa: F811 (fixture)
    mail_user: MailUser,  # noqa: F811 (fixture)
    keyring: InMemoryKeyring,  # noqa: F811 (fixture)
    home: Path,
    tmp_path: Path,
) -> None:
    _fill(dialog, dovecot, smtp, mail_user, mail_user.password)
    with qtbot.waitSignal(dialog.accountAdded, timeout=15_000):
        dialog.sign_in_button.click()
    [stored] = list_accounts(home)
    assert (stored.kind, stored.email) == (AccountKind.IMAP, mail_user.login)
    assert list(keyring.entries.values()) == [mail_user.password]
    assert mail_user.password not in dialog.message.text()
    dialog.resize(560, dialog.sizeHint().height())
    assert dialog.grab().save(str(tmp_path / "mail-account-imap.png"))


def test_a_refused_password_is_said_and_nothing_is_kept(
    qtbot: QtBot,
    dialog: MailAccountDialog,
    dovecot: DovecotServer,  # noqa: F811 (fixture)
    smtp: RestartableSmtp,  # noqa: F811 (fixture)
    mail_user: MailUser,  # noqa: F811 (fixture)
    keyring: InMemoryKeyring,  # noqa: F811 (fixture)
    home: Path,
) -> None:
    _fill(dialog, dovecot, smtp, mail_user, "wrong-password-5")
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: "refused the sign-in" in dialog.message.text(), timeout=15_000)
    assert "wrong-password-5" not in dialog.message.text()
    assert list_accounts(home) == () and keyring.entries == {}
