"""The m365 kind under the contract tests: the Graph and SMTP test servers, the test
authority, and an account added with a device-code sign-in."""

from __future__ import annotations

import secrets

import pytest

from desktop_app.services.accounts.kinds import kind_support
from desktop_app.services.accounts.store import load_account
from tests.ews_server.token_server import TokenTestServer
from tests.factories.certs import NOW
from tests.graph_server import GraphTestServer
from tests.graph_server.state import Fault, StoredMessage
from tests.mail_servers.smtp_server import SmtpTestServer
from tests.services.graph.conftest import ACCOUNT, M365Cli
from tests.services.graph.test_graph_mailbox_and_directory import _services
from tests.services.oauth.fixtures import MemoryStores, token_cache_text


class M365Harness:
    def __init__(
        self,
        cli: M365Cli,
        authority: TokenTestServer,
        graph: GraphTestServer,
        smtp: SmtpTestServer,
        stores: MemoryStores,
    ) -> None:
        self.cli = cli
        self.account = ACCOUNT
        self._authority = authority
        self._graph = graph
        self._smtp = smtp
        self._stores = stores

    def add_to_inbox(self, mime: bytes) -> None:
        self._graph.state.inbox.insert(0, StoredMessage("m-" + secrets.token_hex(4), mime, NOW))

    def delivered(self) -> list[tuple[tuple[str, ...], bytes]]:
        by_graph = [(m.recipients, m.mime) for m in self._graph.state.sent]
        by_smtp = [(d.recipients, d.data) for d in self._smtp.state.delivered]
        return by_graph + by_smtp

    def sent_folder(self) -> list[bytes]:
        return [m.mime for m in self._graph.state.sent]  # sendMail keeps the copy

    def server_drafts(self) -> list[bytes]:
        return [m.mime for m in self._graph.state.drafts]

    def fail_next_send(self) -> None:
        self._graph.state.faults += [Fault("503", "/me/sendMail")] * 4

    def save_draft(self, sealed: bytes) -> None:
        account = load_account(self.cli.home, ACCOUNT)
        mailbox = kind_support(account.kind).open_mailbox(account, _services(self.cli))
        try:
            mailbox.save_draft(sealed)
        finally:
            mailbox.close()

    def secrets(self) -> list[str]:
        assert token_cache_text(self._stores)  # the tokens exist, in the token cache only
        return self._authority.state.secrets()


@pytest.fixture
def m365_harness(
    signed_in: M365Cli,
    authority: TokenTestServer,
    graph: GraphTestServer,
    smtp: SmtpTestServer,
    memory_stores: MemoryStores,
) -> M365Harness:
    return M365Harness(signed_in, authority, graph, smtp, memory_stores)
