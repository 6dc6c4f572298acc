"""The main window's message list source over an account's MailboxSource port (Graph here)."""

from __future__ import annotations

from desktop_app.services.accounts.inbox_source import AccountMessageListSource
from desktop_app.services.accounts.store import load_account
from desktop_app.services.graph.kind import graph_client
from desktop_app.services.graph.mail import GraphMailbox
from desktop_app.services.mailbox.source import Encryption
from tests.factories.certs import NOW
from tests.graph_server import GraphTestServer
from tests.graph_server.state import StoredMessage
from tests.services.exchange.conftest import Pki
from tests.services.graph.conftest import ACCOUNT, M365Cli
from tests.services.graph.messages import encrypted_mail, plain_mail
from tests.services.graph.test_graph_mailbox_and_directory import _services


def test_pages_by_offset_with_one_request_each_and_reads_mime(
    signed_in: M365Cli, graph: GraphTestServer, pki: Pki
) -> None:
    graph.state.inbox += [
        StoredMessage(f"m{n}", plain_mail(f"s{n}@clinic.example", f"Message {n}"), NOW)
        for n in range(4)
    ]
    graph.state.inbox.append(
        StoredMessage("sealed", encrypted_mail(pki.me, "alice@clinic.example", "Sealed"), NOW)
    )
    account = load_account(signed_in.home, ACCOUNT)
    services = _services(signed_in)
    source = AccountMessageListSource(
        lambda: GraphMailbox(graph_client(account, services)), "Inbox", 2
    )
    try:
        assert source.list_page(4).messages == ()  # not listed up to there yet: no request
        assert graph.state.requests["GET /me/mailFolders/inbox/messages"] == 0
        first = source.list_page(0)
        second = source.list_page(2)
        third = source.list_page(4)
        assert [m.subject for m in (*first.messages, *second.messages, *third.messages)] == [
            "Message 0", "Message 1", "Message 2", "Message 3", "Sealed",
        ]  # fmt: skip
        assert (first.more, second.more, third.more) == (True, True, False)
        assert graph.state.requests["GET /me/mailFolders/inbox/messages"] == 3
        assert source.fetch("sealed").summary.encryption is Encryption.SMIME
        assert source.fetch("m1").body_text == "Hello.\n"
    finally:
        source.close()
