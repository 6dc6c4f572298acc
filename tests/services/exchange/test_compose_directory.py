"""The compose window's Exchange directory: answers, lists, the cache, and failures."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pytest

from desktop_app.core.pki.certificates import fingerprint_sha256
from desktop_app.core.recipients.addresses import parse_mailbox
from desktop_app.core.recipients.status import Draft, decide
from desktop_app.services.certificates.consult import Consulted
from desktop_app.services.certificates.evidence_gatherer import EvidenceGatherer
from desktop_app.services.certificates.source import FindingKind, SourceFinding
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.exchange.account import ExchangeSettings
from desktop_app.services.exchange.compose_directory import ExchangeDirectory, exchange_directory
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.paths import store_path
from desktop_app.services.secrets import SecretStore
from tests.ews_server import EwsTestServer
from tests.factories.certs import NOW
from tests.services.exchange.conftest import USER, Cli, Pki


@pytest.fixture
def directory(ews: EwsTestServer, pki: Pki) -> EwsTestServer:
    state = ews.state
    state.mailbox(USER, "Me", smime=[pki.me.der])
    state.mailbox("alice@clinic.example", "Alice", smime=[pki.alice.der])
    state.mailbox("nocert@clinic.example", "No Cert")
    state.distribution_list(
        "mixed@clinic.example", ["alice@clinic.example", "nocert@clinic.example"]
    )
    return ews


@pytest.fixture
def store(signed_in: Cli) -> Iterator[CertStore]:
    with CertStore.open(store_path(signed_in.home)) as opened:
        yield opened


def make(cli: Cli, store: CertStore, settings: ExchangeSettings) -> ExchangeDirectory:
    access = MailAccess(cli.home, clock=lambda: NOW, secrets=lambda: SecretStore(cli.keyring))
    return exchange_directory(access, store, settings)


def said(found: Mapping[str, SourceFinding]) -> Consulted:
    consulted = Consulted()
    for key, finding in found.items():
        consulted.add(key, finding)
    return consulted


def test_answers_carry_certificates_and_list_members(
    signed_in: Cli, directory: EwsTestServer, store: CertStore, settings: ExchangeSettings, pki: Pki
) -> None:
    exchange = make(signed_in, store, settings)
    try:
        answers = said(exchange.lookup(["alice@clinic.example", "mixed@clinic.example"]))
    finally:
        exchange.close()
    alice = answers.certificates["alice@clinic.example"]
    assert [fingerprint_sha256(p.certificate) for p in alice] == [
        fingerprint_sha256(pki.alice.cert)
    ]
    (found,) = answers.findings["alice@clinic.example"]
    assert found.kind is FindingKind.PERSON and found.complete and found.failure is None
    (listed,) = answers.findings["mixed@clinic.example"]
    assert listed.members == ("alice@clinic.example", "nocert@clinic.example")
    assert "nocert@clinic.example" in answers.findings
    assert "nocert@clinic.example" not in answers.certificates


def test_a_new_directory_object_answers_from_the_cache_file_without_the_server(
    signed_in: Cli, directory: EwsTestServer, store: CertStore, settings: ExchangeSettings
) -> None:
    first = make(signed_in, store, settings)
    first.lookup(["alice@clinic.example", "mixed@clinic.example"])
    first.close()
    asked = len(directory.state.operations)
    directory.state.faults.add("http500", times=100)
    again = make(signed_in, store, settings)
    answers = said(again.lookup(["alice@clinic.example", "mixed@clinic.example"]))
    again.close()
    assert len(directory.state.operations) == asked, "served from the cache file"
    assert answers.certificates["alice@clinic.example"]
    assert answers.findings["mixed@clinic.example"][0].kind is FindingKind.LIST


def test_a_list_cut_at_the_member_cap_is_never_covered(
    signed_in: Cli, directory: EwsTestServer, store: CertStore, pki: Pki
) -> None:
    capped = ExchangeSettings(timeout=1.5, workers=4, member_cap=1)
    lookup = EvidenceGatherer(store, lambda: NOW, make(signed_in, store, capped))
    draft_key = "mixed@clinic.example"
    evidence = lookup.collect([draft_key])
    said = evidence.lookups[draft_key]
    assert said.failure is not None and "more than 1" in said.failure

    status = decide(Draft(to=(parse_mailbox(draft_key),)), evidence)
    assert not status.recipients[0].covered


def test_mail_tips_warnings_are_kept_for_a_while(
    signed_in: Cli, directory: EwsTestServer, store: CertStore, settings: ExchangeSettings
) -> None:
    exchange = make(signed_in, store, settings)
    draft = Draft(to=(parse_mailbox("typo@clinic.example"),))
    try:
        first = exchange.send_warnings(draft)
        asked = directory.state.operations.count("GetMailTips")
        second = exchange.send_warnings(draft)
    finally:
        exchange.close()
    assert [n.code for n in first] == ["invalid_recipient"] == [n.code for n in second]
    assert directory.state.operations.count("GetMailTips") == asked == 1


def test_x500_addresses_resolve_with_their_certificates_in_one_round_trip(
    signed_in: Cli, directory: EwsTestServer, store: CertStore, settings: ExchangeSettings
) -> None:
    from desktop_app.core.recipients.legacy_dn import legacy_dn_key
    from tests.services.exchange.conftest import LEGACY_ROOT

    alice_dn, gone_dn = f"{LEGACY_ROOT}/cn=alice", f"{LEGACY_ROOT}/cn=gone"
    directory.state.entries["alice@clinic.example"].legacy_dn = alice_dn
    exchange = make(signed_in, store, settings)
    lookup = EvidenceGatherer(store, lambda: NOW, exchange)
    try:
        resolved = lookup.resolve_legacy_dns([alice_dn.upper(), gone_dn])
        assert {key: m.address for key, m in resolved.items()} == {
            legacy_dn_key(alice_dn): "alice@clinic.example"
        }
        assert resolved[legacy_dn_key(alice_dn)].display_name == "Alice"
        asked = len(directory.state.operations)
        # Asked again (another window), and Alice's certificates: all from memory.
        assert lookup.resolve_legacy_dns([alice_dn, gone_dn]).keys() == resolved.keys()
        alice = parse_mailbox("alice@clinic.example")
        evidence = lookup.collect([alice.key])
        assert directory.state.operations[asked:] == []
        assert decide(Draft(to=(alice,)), evidence).recipients[0].covered
    finally:
        exchange.close()


def test_x500_addresses_are_not_resolved_when_the_server_is_down_nor_remembered(
    signed_in: Cli, directory: EwsTestServer, store: CertStore, settings: ExchangeSettings
) -> None:
    from tests.services.exchange.conftest import LEGACY_ROOT

    alice_dn = f"{LEGACY_ROOT}/cn=alice"
    directory.state.entries["alice@clinic.example"].legacy_dn = alice_dn
    exchange = make(signed_in, store, settings)
    try:
        directory.state.faults.add("http500", "ResolveNames", times=10)
        assert exchange.resolve_legacy_dns([alice_dn]) == {}
        directory.state.faults.clear()
        assert exchange.resolve_legacy_dns([alice_dn]).popitem()[1].address == (
            "alice@clinic.example"
        )
    finally:
        exchange.close()
