"""IMAP/SMTP account fixtures: real Dovecot, an in-process SMTP server, a PKI, an account."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop_app.services.accounts.kinds import AccountServices
from desktop_app.services.accounts.model import Account, AccountKind, Endpoint, Security, SignIn
from desktop_app.services.accounts.store import save_account
from desktop_app.services.imap.settings import (
    AuthMechanism,
    Credential,
    ImapAccount,
    MailServer,
)
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.oauth.client import OAuthContext
from desktop_app.services.secrets import SecretStore
from tests.factories.certs import Issued, TestCA
from tests.mail_servers import smtp_server
from tests.mail_servers.dovecot import DovecotServer, MailUser, running_dovecot
from tests.mail_servers.smtp_server import SmtpTestServer
from tests.services.keyrings import InMemoryKeyring

NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class MailPki:
    root: TestCA
    me: Issued
    alice: Issued
    bob: Issued
    carol: Issued


@pytest.fixture(scope="session")
def mail_pki() -> MailPki:
    root = TestCA("IMAP Test Root")
    return MailPki(
        root=root,
        me=root.issue(["me@clinic.example"]),
        alice=root.issue(["alice@clinic.example"]),
        bob=root.issue(["bob@clinic.example"]),
        carol=root.issue(["carol@clinic.example"]),
    )


@pytest.fixture(scope="module")
def dovecot() -> Iterator[DovecotServer]:
    with running_dovecot() as server:
        yield server


class RestartableSmtp:
    """The SMTP test server, which a test may stop (SMTP down) and start again."""

    def __init__(self, dovecot: DovecotServer) -> None:
        self._tls = dovecot.tls
        self.server = SmtpTestServer(dovecot.tls.server_context())
        self.running = False

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def state(self):  # type: ignore[no-untyped-def]  # SmtpState
        return self.server.state

    def start(self) -> None:
        if not self.running:
            self.server.__enter__()
            self.running = True

    def restart(self) -> None:
        """Start again on the same port with the same state (a stopped aiosmtpd
        controller cannot start again, so a new server takes its place)."""
        self.stop()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(smtp_server, "_free_port", lambda: self.server.port)
            self.server = SmtpTestServer(self._tls.server_context(), self.server.state)
        self.start()

    def stop(self) -> None:
        if self.running:
            self.server.__exit__(None, None, None)
            self.running = False


@pytest.fixture(scope="module")
def smtp(dovecot: DovecotServer) -> Iterator[RestartableSmtp]:
    server = RestartableSmtp(dovecot)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mail_user(dovecot: DovecotServer, smtp: RestartableSmtp) -> Iterator[MailUser]:
    """A fresh mailbox (and SMTP login); both servers are running again afterwards."""
    user = dovecot.add_user()
    smtp.state.passwords[user.login] = user.password
    yield user
    # Printed only when the test failed (pytest shows a failing test's teardown output).
    print(f"--- dovecot log (tail) ---\n{dovecot.log_text()[-4000:]}")
    if not dovecot.running:
        dovecot.start()
    if not smtp.running:
        smtp.restart()
    smtp.state.delivered.clear()
    smtp.state.faults.clear()


@pytest.fixture
def account(dovecot: DovecotServer, smtp: RestartableSmtp, mail_user: MailUser) -> ImapAccount:
    return ImapAccount(
        email=mail_user.login,
        imap=MailServer(dovecot.host, dovecot.imap_port),
        smtp=MailServer("127.0.0.1", smtp.port),
        username=mail_user.login,
        ca_file=dovecot.tls.ca_file,
        timeout=5.0,
    )


@pytest.fixture
def password(mail_user: MailUser) -> Credential:
    return Credential(AuthMechanism.PASSWORD, mail_user.password)


@pytest.fixture
def keyring() -> InMemoryKeyring:
    return InMemoryKeyring()


@pytest.fixture
def services(home: Path, keyring: InMemoryKeyring) -> AccountServices:
    return AccountServices(
        MailAccess(
            home, clock=lambda: NOW, secrets=lambda: SecretStore(keyring), oauth=OAuthContext()
        )
    )


@pytest.fixture
def imap_account(
    dovecot: DovecotServer,
    smtp: RestartableSmtp,
    mail_user: MailUser,
    services: AccountServices,
) -> Account:
    """The user's account as ``account add`` keeps it (STARTTLS to both servers), with the
    password in the keyring."""
    account = Account(
        name="work",
        kind=AccountKind.IMAP,
        email=mail_user.login,
        sign_in=SignIn.PASSWORD,
        imap=Endpoint(dovecot.host, dovecot.imap_port, Security.STARTTLS),
        smtp=Endpoint("127.0.0.1", smtp.port, Security.STARTTLS),
        ca_file=str(dovecot.tls.ca_file),
    )
    services.access.secrets().set(account.secret_name, mail_user.password)
    save_account(services.access.home, account)
    return account
