"""Graph's inbox paging, sealed drafts and directory answers, against the Graph test server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop_app.services.accounts.store import load_account
from desktop_app.services.graph.directory import EntryKind, GraphDirectory
from desktop_app.services.graph.kind import graph_client
from desktop_app.services.graph.mail import GraphMailbox
from desktop_app.services.mailbox_port import DraftNotSealedError
from tests.factories.certs import NOW
from tests.graph_server import GraphTestServer
from tests.graph_server.state import StoredMessage
from tests.services.exchange.conftest import Pki
from tests.services.graph.conftest import ACCOUNT, M365Cli
from tests.services.graph.messages import plain_mail, sealed_with_attachment


def _services(cli: M365Cli):  # type: ignore[no-untyped-def]
    from desktop_app.services.accounts.kinds import AccountServices
    from desktop_app.services.mail_access import MailAccess

    access = MailAccess(cli.home, clock=lambda: cli.now, oauth=cli.oauth)
    return AccountServices(access, sleep=cli.waits.append)


@pytest.fixture
def mailbox(signed_in: M365Cli) -> Iterator[GraphMailbox]:
    account = load_account(signed_in.home, ACCOUNT)
    opened = GraphMailbox(graph_client(account, _services(signed_in)))
    yield opened
    opened.close()


@pytest.fixture
def directory(signed_in: M365Cli) -> Iterator[GraphDirectory]:
    account = load_account(signed_in.home, ACCOUNT)
    client = graph_client(account, _services(signed_in))
    yield GraphDirectory(client)
    client.close()


def test_the_inbox_pages_by_next_link_newest_first(
    mailbox: GraphMailbox, graph: GraphTestServer
) -> None:
    graph.state.inbox += [
        StoredMessage(f"m{n}", plain_mail(f"s{n}@clinic.example", f"Message {n}"), NOW)
        for n in range(5)
    ]
    first = mailbox.list_page(None, 2)
    assert [m.subject for m in first.messages] == ["Message 0", "Message 1"]
    assert first.next_cursor is not None and first.next_cursor.startswith(graph.url)
    second = mailbox.list_page(first.next_cursor, 2)
    third = mailbox.list_page(second.next_cursor, 2)
    assert [m.id for m in (*second.messages, *third.messages)] == ["m2", "m3", "m4"]
    assert third.next_cursor is None
    assert mailbox.fetch_mime("m3") == graph.state.inbox[3].mime


def test_a_next_link_to_another_host_is_not_followed(
    mailbox: GraphMailbox, graph: GraphTestServer
) -> None:
    before = sum(graph.state.requests.values())
    with pytest.raises(Exception, match="another server"):
        mailbox.list_page("https://evil.example/v1.0/me/messages?$skiptoken=1", 2)
    assert sum(graph.state.requests.values()) == before


def test_a_sealed_draft_is_created_from_mime_and_a_plain_one_never_leaves(
    mailbox: GraphMailbox, graph: GraphTestServer, pki: Pki
) -> None:
    sealed = sealed_with_attachment(pki.me, "me@clinic.example", 1000, 7)
    draft_id = mailbox.save_draft(sealed)
    [stored] = graph.state.drafts
    assert stored.id == draft_id and stored.mime == sealed
    before = graph.state.requests["POST /me/messages"]
    with pytest.raises(DraftNotSealedError):
        mailbox.save_draft(plain_mail("me@clinic.example", "Typed text"))
    assert graph.state.requests["POST /me/messages"] == before
    assert len(graph.state.drafts) == 1


def test_directory_tells_mailboxes_lists_and_external_addresses(
    directory: GraphDirectory, graph: GraphTestServer
) -> None:
    graph.state.users["alice@clinic.example"] = "Alice Smith"
    members = [f"m{n}@clinic.example" for n in range(5)]
    graph.state.groups["team@clinic.example"] = ("Team", members)
    graph.state.dynamic_lists["everyone@clinic.example"] = 40
    assert directory.find("alice@clinic.example").kind is EntryKind.MAILBOX
    team = directory.find("team@clinic.example")
    assert team.kind is EntryKind.LIST and [m.address for m in team.members] == members
    assert graph.state.requests["GET /groups/{id}/transitiveMembers"] == 3  # pages of two
    everyone = directory.find("everyone@clinic.example")
    assert everyone.kind is EntryKind.LIST_MEMBERS_UNKNOWN and everyone.members == ()
    assert directory.find("bob@partner.example").kind is EntryKind.EXTERNAL
    tips = directory.mail_tips(["team@clinic.example", "bob@partner.example"])
    assert [(t.total_members, t.external_members) for t in tips] == [(5, 0), (None, None)]
