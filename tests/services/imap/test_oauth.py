"""An IMAP account that signs in with OAuth 2.0: one device-code sign-in at a real msal
authority (the test authority over HTTPS), XOAUTH2 to Dovecot (which checks each token by
introspection) and to SMTP, tokens only in the token cache, never in a file or the log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.services.accounts.delivery import account_outbox, send_account
from desktop_app.services.accounts.kinds import AccountServices, SignInRequest, kind_support
from desktop_app.services.accounts.model import (
    Account,
    AccountKind,
    Endpoint,
    OAuthSettings,
    Security,
    SignIn,
)
from desktop_app.services.logging_setup import configure_logging
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.oauth.client import OAuthContext
from desktop_app.services.paths import log_folder
from desktop_app.services.secrets import SecretStore
from desktop_app.services.transport.port import SentCopy
from tests.ews_server.token_server import TokenTestServer
from tests.mail_servers.dovecot import DovecotServer, MailUser
from tests.services.imap import messages
from tests.services.imap.conftest import NOW, MailPki, RestartableSmtp
from tests.services.imap.sealing import sealed_copies
from tests.services.keyrings import InMemoryKeyring
from tests.services.oauth.fixtures import CLIENT_ID, MemoryStores


@pytest.fixture
def authority(
    dovecot: DovecotServer, mail_user: MailUser, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TokenTestServer]:
    # As for the other OAuth tests: msal's own requests read the CA bundle from here.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(dovecot.tls.ca_file))
    with TokenTestServer(dovecot.tls, mail_user.login, CLIENT_ID) as server:
        yield server


def _valid(authority: TokenTestServer, token: str, scope: str) -> bool:
    state = authority.state
    with state.lock:
        return token in state.valid_access and scope in state.access_scopes.get(token, "")


def test_oauth_sign_in_then_inbox_and_sending_with_xoauth2(
    home: Path,
    tmp_path: Path,
    dovecot: DovecotServer,
    smtp: RestartableSmtp,
    mail_user: MailUser,
    mail_pki: MailPki,
    authority: TokenTestServer,
) -> None:
    configure_logging(log_folder(), verbose=True)
    dovecot.accept_bearer(
        lambda token: mail_user.login if _valid(authority, token, "IMAP.AccessAsUser.All") else None
    )
    smtp.state.tokens = lambda token: _valid(authority, token, "SMTP.Send")
    said: list[str] = []
    keyring = InMemoryKeyring()
    oauth = OAuthContext(persistence=MemoryStores(), verify=str(dovecot.tls.ca_file))
    services = AccountServices(
        MailAccess(home, clock=lambda: NOW, secrets=lambda: SecretStore(keyring), oauth=oauth)
    )
    services.say = said.append
    account = Account(
        name="oauth",
        kind=AccountKind.IMAP,
        email=mail_user.login,
        sign_in=SignIn.OAUTH2,
        oauth=OAuthSettings(authority.authority, CLIENT_ID),
        imap=Endpoint(dovecot.host, dovecot.imaps_port, Security.TLS),
        smtp=Endpoint("127.0.0.1", smtp.port, Security.STARTTLS),
        ca_file=str(dovecot.tls.ca_file),
    )
    kind = kind_support(AccountKind.IMAP)

    detail = kind.add(account, SignInRequest(), services)

    assert "OAuth" in detail
    assert any("code" in line.lower() for line in said)  # the device code was shown
    assert keyring.entries == {}  # no password anywhere
    assert ("XOAUTH2", mail_user.login) in smtp.state.auth_attempts

    dovecot.deliver(mail_user, messages.plain("Hello over OAuth", 1))
    mailbox = kind.open_mailbox(account, services)
    try:
        page = mailbox.list_page(None, 10)
        assert [m.subject for m in page.messages] == ["Hello over OAuth"]
    finally:
        mailbox.close()

    copies = sealed_copies(mail_pki, tmp_path / "store.sqlite")
    outbox = account_outbox(services, account)
    outbox.add_copies(copies, "test", unencrypted_by_choice=False)
    report = send_account(services, account, outbox.pending())
    assert len(report.sent) == 2
    assert {r.sent_copy for r in report.results.values()} == {SentCopy.APPENDED}
    assert [d.data for d in smtp.state.delivered] == copies
    assert len(dovecot.messages(mail_user, "Sent")) == 2

    secrets = authority.state.secrets()
    assert secrets
    for folder in (home, log_folder()):
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                assert not any(secret.encode() in data for secret in secrets), path
    assert not any(secret in line for secret in secrets for line in said)

    # A token the authority no longer honours is refused by Dovecot too.
    with authority.state.lock:
        authority.state.valid_access.clear()
    dovecot.deliver(mail_user, messages.plain("Unseen", 2))
    with pytest.raises(Exception) as refused:
        kind.test(account, services)
    assert "refused" in str(refused.value).lower()
