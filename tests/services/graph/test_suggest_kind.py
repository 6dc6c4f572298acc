"""Autodiscover v2 tells a Microsoft 365 mailbox; the rest get IMAP and SMTP defaults."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop_app.services.accounts.model import AccountKind
from desktop_app.services.accounts.suggest import suggest_kind
from tests.ews_server.tls import LocalTls
from tests.graph_server import GraphState, GraphTestServer


@pytest.fixture
def autodiscover(local_tls: LocalTls) -> Iterator[GraphTestServer]:
    state = GraphState("nobody@example.org", m365_domains={"clinic.example"})
    with GraphTestServer(local_tls, state) as server:
        yield server


def _base(server: GraphTestServer) -> str:
    return server.url.removesuffix("/v1.0")


def test_a_microsoft_365_mailbox_is_told_by_autodiscover(
    autodiscover: GraphTestServer, local_tls: LocalTls
) -> None:
    found = suggest_kind(
        "me@clinic.example", base=_base(autodiscover), verify=str(local_tls.ca_file)
    )
    assert found.kind is AccountKind.M365 and found.answered


@pytest.mark.parametrize(
    ("address", "imap", "smtp"),
    [
        ("ann@gmail.com", "imap.gmail.com:993", "smtp.gmail.com:587"),
        ("bob@partner.example", "imap.partner.example:993", "smtp.partner.example:587"),
    ],
)
def test_other_addresses_get_imap_defaults(
    autodiscover: GraphTestServer, local_tls: LocalTls, address: str, imap: str, smtp: str
) -> None:
    found = suggest_kind(address, base=_base(autodiscover), verify=str(local_tls.ca_file))
    assert (found.kind, found.imap, found.smtp, found.answered) == (
        AccountKind.IMAP, imap, smtp, True,
    )  # fmt: skip


def test_no_answer_is_only_a_guess(local_tls: LocalTls) -> None:
    found = suggest_kind("me@clinic.example", base="https://127.0.0.1:1", timeout=2)
    assert found.kind is AccountKind.IMAP and not found.answered
