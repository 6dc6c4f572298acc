"""Microsoft Graph as the compose directory: lists judged by their members through the one
rule, a dynamic list never covered, MailTips warnings, answers kept between edits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop_app.core.pki.stored import Source
from desktop_app.core.recipients.addresses import parse_mailbox
from desktop_app.core.recipients.status import Draft, decide
from desktop_app.services.accounts.store import load_account
from desktop_app.services.certificates.evidence_gatherer import EvidenceGatherer
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.graph.compose_directory import GraphComposeDirectory
from desktop_app.services.graph.directory import GraphDirectory
from desktop_app.services.graph.kind import graph_client
from desktop_app.services.paths import store_path
from tests.factories.certs import NOW
from tests.graph_server import GraphTestServer
from tests.services.exchange.conftest import Pki
from tests.services.graph.conftest import ACCOUNT, M365Cli
from tests.services.graph.test_graph_mailbox_and_directory import _services


@pytest.fixture
def store(signed_in: M365Cli, pki: Pki) -> Iterator[CertStore]:
    with CertStore.open(store_path(signed_in.home)) as opened:
        opened.add_certificate(pki.alice.cert, Source.IMPORTED, NOW)
        opened.add_certificate(pki.bob.cert, Source.HARVESTED, NOW)
        yield opened


@pytest.fixture
def directory(signed_in: M365Cli, graph: GraphTestServer) -> Iterator[GraphComposeDirectory]:
    state = graph.state
    state.users.update({"alice@clinic.example": "Alice", "bob@clinic.example": "Bob"})
    state.users["nocert@clinic.example"] = "No Cert"
    state.groups["covered@clinic.example"] = (
        "Covered",
        ["alice@clinic.example", "bob@clinic.example"],
    )
    state.groups["mixed@clinic.example"] = (
        "Mixed",
        ["alice@clinic.example", "nocert@clinic.example"],
    )
    state.dynamic_lists["everyone@clinic.example"] = 3
    account = load_account(signed_in.home, ACCOUNT)
    services = _services(signed_in)
    made = GraphComposeDirectory(
        lambda: GraphDirectory(graph_client(account, services)), lambda: NOW
    )
    yield made
    made.close()


def _status(store: CertStore, directory: GraphComposeDirectory, address: str):  # type: ignore[no-untyped-def]
    lookup = EvidenceGatherer(store, lambda: NOW, directory)
    evidence = lookup.collect([address])
    return decide(Draft(to=(parse_mailbox(address),)), evidence).recipients[0]


def test_a_list_is_covered_only_when_every_member_is(
    store: CertStore, directory: GraphComposeDirectory
) -> None:
    assert _status(store, directory, "covered@clinic.example").covered
    mixed = _status(store, directory, "mixed@clinic.example")
    assert not mixed.covered and "nocert@clinic.example" in mixed.reason
    assert _status(store, directory, "alice@clinic.example").covered


def test_a_dynamic_list_is_never_covered(
    store: CertStore, directory: GraphComposeDirectory
) -> None:
    everyone = _status(store, directory, "everyone@clinic.example")
    assert not everyone.covered
    assert "members are unknown" in everyone.reason


def test_answers_are_kept_between_edits_and_mailtips_warn(
    store: CertStore, directory: GraphComposeDirectory, graph: GraphTestServer
) -> None:
    directory.lookup(["mixed@clinic.example"])
    asked = sum(graph.state.requests.values())
    directory.lookup(["mixed@clinic.example"])
    assert sum(graph.state.requests.values()) == asked
    draft = Draft(
        to=(parse_mailbox("partner@outside.example"), parse_mailbox("mixed@clinic.example"))
    )
    directory.lookup(["partner@outside.example"])
    notices = directory.send_warnings(draft)
    assert any(n.code == "external_recipient" for n in notices)


def test_sealing_asks_graph_for_lists_too(
    signed_in: M365Cli, store: CertStore, directory: GraphComposeDirectory
) -> None:
    from desktop_app.app.accounts import account_consult, mail_account
    from desktop_app.core.recipients.evidence import gather_evidence
    from desktop_app.services.certificates.draft_evidence import draft_evidence
    from desktop_app.services.mail_access import MailAccess
    from desktop_app.services.secrets import SecretStore
    from desktop_app.services.trust_anchors import certificate_judge

    account = mail_account(signed_in.home)
    assert account is not None
    access = MailAccess(
        signed_in.home,
        clock=lambda: NOW,
        secrets=lambda: SecretStore(signed_in.keyring),
        oauth=signed_in.oauth,
    )
    consult = account_consult(access, account)
    assert consult is not None

    def sealable(address: str) -> bool:
        draft = Draft(to=(parse_mailbox(address),))
        found = draft_evidence(draft, store, NOW, account=consult, configured=None)
        evidence = gather_evidence(found.draft, certificate_judge(store, NOW), found.lookups)
        return decide(found.draft, evidence).recipients[0].covered

    assert sealable("covered@clinic.example")  # each member has a certificate
    assert not sealable("mixed@clinic.example")
    assert not sealable("everyone@clinic.example")  # members unknown
