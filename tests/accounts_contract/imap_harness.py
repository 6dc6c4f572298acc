"""The imap kind under the contract tests: real Dovecot and the SMTP test server (one test
CA for both), and an account added with ``account add --kind imap`` and a password."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop_app.services.accounts.kinds import AccountServices, kind_support
from desktop_app.services.accounts.store import load_account
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.secrets import SecretStore
from tests.ews_server.tls import LocalTls
from tests.mail_servers.dovecot import DovecotServer, MailUser, running_dovecot
from tests.mail_servers.smtp_server import SmtpTestServer
from tests.services.graph.conftest import M365Cli

ACCOUNT = "clinic-imap"
PASSWORD_VARIABLE = "SMIME_GUARD_TEST_IMAP_PASSWORD"


@pytest.fixture(scope="module")
def imap_dovecot(local_tls: LocalTls) -> Iterator[DovecotServer]:
    with running_dovecot(local_tls) as server:
        yield server


class ImapHarness:
    def __init__(
        self, cli: M365Cli, dovecot: DovecotServer, smtp: SmtpTestServer, user: MailUser
    ) -> None:
        self.cli = cli
        self.account = ACCOUNT
        self._dovecot = dovecot
        self._smtp = smtp
        self._user = user

    def add_to_inbox(self, mime: bytes) -> None:
        self._dovecot.deliver(self._user, mime)

    def delivered(self) -> list[tuple[tuple[str, ...], bytes]]:
        return [(d.recipients, d.data) for d in self._smtp.state.delivered]

    def sent_folder(self) -> list[bytes]:
        return [raw for _flags, raw in self._dovecot.messages(self._user, "Sent")]

    def server_drafts(self) -> list[bytes]:
        drafts = self._dovecot.messages(self._user, "Drafts")
        assert all(b"\\Draft" in flags for flags, _raw in drafts)
        return [raw for _flags, raw in drafts]

    def fail_next_send(self) -> None:
        self._smtp.state.faults.append("451 4.3.0 Try again later")

    def save_draft(self, sealed: bytes) -> None:
        cli = self.cli
        access = MailAccess(
            cli.home,
            clock=lambda: cli.now,
            secrets=lambda: SecretStore(cli.keyring),
            oauth=cli.oauth,
        )
        services = AccountServices(access)
        account = load_account(cli.home, ACCOUNT)
        mailbox = kind_support(account.kind).open_mailbox(account, services)
        try:
            mailbox.save_draft(sealed)
        finally:
            mailbox.close()

    def secrets(self) -> list[str]:
        # The password exists, in the keyring only.
        assert self._user.password in self.cli.keyring.entries.values()
        return [self._user.password]


@pytest.fixture
def imap_harness(
    m365_cli: M365Cli,
    imap_dovecot: DovecotServer,
    smtp: SmtpTestServer,
    local_tls: LocalTls,
    monkeypatch: pytest.MonkeyPatch,
) -> ImapHarness:
    user = imap_dovecot.add_user()
    smtp.state.passwords[user.login] = user.password
    monkeypatch.setenv(PASSWORD_VARIABLE, user.password)
    outcome = m365_cli(
        "account", "add", "--kind", "imap", "--name", ACCOUNT, "--email", user.login,
        "--imap", f"127.0.0.1:{imap_dovecot.imaps_port}", "--smtp", smtp.address,
        "--username", user.login, "--password-env", PASSWORD_VARIABLE,
        "--ca-file", str(local_tls.ca_file),
    )  # fmt: skip
    assert outcome.code == 0, outcome.err
    monkeypatch.delenv(PASSWORD_VARIABLE)
    return ImapHarness(m365_cli, imap_dovecot, smtp, user)
