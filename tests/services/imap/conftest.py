"""IMAP/SMTP account fixtures: real Dovecot, an in-process SMTP server, a PKI, an account."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from desktop_app.services.imap.settings import (
    Credential,
    Endpoint,
    ImapAccount,
    SignIn,
)
from tests.factories.certs import Issued, TestCA
from tests.mail_servers.dovecot import DovecotServer, MailUser, running_dovecot
from tests.mail_servers.smtp_local import SmtpTestServer


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


@pytest.fixture(scope="module")
def smtp(dovecot: DovecotServer) -> Iterator[SmtpTestServer]:
    server = SmtpTestServer(dovecot.tls)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mail_user(dovecot: DovecotServer, smtp: SmtpTestServer) -> Iterator[MailUser]:
    """A fresh mailbox (and SMTP login); both servers are running again afterwards."""
    user = dovecot.add_user()
    smtp.add_user(user.login, user.password, user.token)
    smtp.handler.temporary_failure = False
    yield user
    # Printed only when the test failed (pytest shows a failing test's teardown output).
    print(f"--- dovecot log (tail) ---\n{dovecot.log_text()[-4000:]}")
    if not dovecot.running:
        dovecot.start()
    smtp.stop()
    smtp.start()
    smtp.handler.delivered.clear()
    smtp.handler.temporary_failure = False


@pytest.fixture
def account(dovecot: DovecotServer, smtp: SmtpTestServer, mail_user: MailUser) -> ImapAccount:
    return ImapAccount(
        email=mail_user.login,
        imap=Endpoint(dovecot.host, dovecot.imap_port),
        smtp=Endpoint(smtp.host, smtp.port),
        username=mail_user.login,
        ca_file=dovecot.tls.ca_file,
        timeout=5.0,
    )


@pytest.fixture
def password(mail_user: MailUser) -> Credential:
    return Credential(SignIn.PASSWORD, mail_user.password)
