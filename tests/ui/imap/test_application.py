"""The desktop app with an IMAP/SMTP account: the main window lists the Dovecot inbox and
previews a signed message through the S/MIME reader."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.app.application import Application
from desktop_app.services.accounts.kinds import AccountServices
from desktop_app.services.accounts.model import Account
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.paths import store_path
from desktop_app.services.policy_files import load_policy
from desktop_app.services.secrets import SecretStore
from desktop_app.ui.theme import Theme
from tests.mail_servers.dovecot import DovecotServer, MailUser
from tests.services.imap import messages
from tests.services.imap.conftest import (  # noqa: F401 (fixtures)
    NOW,
    MailPki,
    dovecot,
    imap_account,
    keyring,
    mail_pki,
    mail_user,
    services,
    smtp,
)
from tests.services.keyrings import InMemoryKeyring


@pytest.fixture
def application(
    qapp: QApplication,
    home: Path,
    services: AccountServices,  # noqa: F811 (fixture)
    imap_account: Account,  # noqa: F811 (fixture)
    keyring: InMemoryKeyring,  # noqa: F811 (fixture)
    mail_pki: MailPki,  # noqa: F811 (fixture)
    theme: Theme,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Application]:
    monkeypatch.setattr(
        "desktop_app.services.secrets.system_secret_store", lambda: SecretStore(keyring)
    )
    with CertStore.open(store_path(home)) as store:
        store.add_trust_anchor(mail_pki.root.cert, NOW)
    app = Application(
        qapp,
        access=MailAccess(home, clock=lambda: NOW),
        demo_user=None,
        policy=load_policy(home),
        theme=theme,
    )
    yield app
    if app.window is not None:
        app.window.close()
    app.shutdown()


def test_the_main_window_lists_the_imap_inbox_and_previews_a_signed_message(
    qtbot: QtBot,
    application: Application,
    dovecot: DovecotServer,  # noqa: F811 (fixture)
    mail_user: MailUser,  # noqa: F811 (fixture)
    mail_pki: MailPki,  # noqa: F811 (fixture)
) -> None:
    dovecot.deliver(mail_user, messages.signed(mail_pki.alice, "alice@clinic.example", "Rota"))
    window = application.main_window()
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.messagesLoaded, timeout=10_000) as loaded:
        window.show()
    assert loaded.args == [1]
    qtbot.waitUntil(lambda: window.current_detail is not None, timeout=5_000)
    assert window.preview.subject.text() == "Rota"
    detail = window.current_detail
    assert detail is not None and detail.security is not None
    assert detail.security.signature_valid is True
