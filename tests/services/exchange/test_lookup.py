"""exchange lookup: directory certificates in both attributes, judged with the core rules."""

from __future__ import annotations

from typing import Any

import pytest

from desktop_app.core.pki.certificates import fingerprint_sha256
from desktop_app.core.pki.stored import Source
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.paths import store_path
from tests.ews_server import EwsTestServer
from tests.factories.cert_files import p7b_file
from tests.services.exchange.conftest import AT, LEGACY_ROOT, Cli, Pki

GARBAGE = b"\x30\x82\x01\x00 this is not a certificate"


def imceaex(legacy_dn: str, domain: str) -> str:
    """The IMCEAEX address Exchange writes for ``legacy_dn``."""
    encoded = "".join(
        "_" if char == "/" else char if char.isalnum() or char in "-=." else f"+{ord(char):02X}"
        for char in legacy_dn
    )
    return f"IMCEAEX-{encoded}@{domain}"


@pytest.fixture
def directory(ews: EwsTestServer, pki: Pki) -> EwsTestServer:
    state = ews.state
    state.mailbox(
        "alice@clinic.example",
        "Alice Smith",
        smime=[pki.alice.der],
        legacy_dn=f"{LEGACY_ROOT}/cn=alice",
    )
    state.mailbox(
        "bob@clinic.example", "Bob Jones", exchange=[p7b_file([pki.bob.cert, pki.root.cert])]
    )
    state.mailbox("gary@clinic.example", "Gary Garbage", smime=[GARBAGE], exchange=[pki.carol.der])
    state.mailbox("dave@clinic.example", "Dave Old", smime=[pki.expired.der])
    state.mailbox("nocert@clinic.example", "No Cert")
    state.distribution_list(
        "team@clinic.example",
        ["alice@clinic.example", "sub@clinic.example", "nocert@clinic.example"],
    )
    state.distribution_list("sub@clinic.example", ["bob@clinic.example", "team@clinic.example"])
    state.distribution_list(
        "covered@clinic.example", ["alice@clinic.example", "bob@clinic.example"]
    )
    return ews


def lookup(cli: Cli, *addresses: str) -> list[dict[str, Any]]:
    outcome = cli("exchange", "lookup", *addresses, "--at", AT, "--json")
    assert outcome.code == 0, outcome.err
    results: list[dict[str, Any]] = outcome.json()["results"]
    return results


def test_certificates_in_both_attributes_der_and_pkcs7_are_found_and_judged(
    signed_in: Cli, directory: EwsTestServer, pki: Pki
) -> None:
    alice, bob = lookup(signed_in, "alice@clinic.example", "Bob@Clinic.Example")

    assert alice == {
        "query": "alice@clinic.example",
        "address": "alice@clinic.example",
        "kind": "mailbox",
        "status": "ok",
        "reason": alice["reason"],
        "certificates": [
            {
                "sha256": fingerprint_sha256(pki.alice.cert),
                "attribute": "userSMIMECertificate",
                "status": "ok",
                "reason": alice["certificates"][0]["reason"],
            }
        ],
        "members": [],
    }
    assert bob["address"] == "bob@clinic.example" and bob["status"] == "ok"
    # The bundle's CA is a chain certificate, not one of Bob's.
    assert [(c["sha256"], c["attribute"], c["status"]) for c in bob["certificates"]] == [
        (fingerprint_sha256(pki.bob.cert), "userCertificate", "ok")
    ]


def test_an_expired_directory_certificate_is_not_ok(
    signed_in: Cli, directory: EwsTestServer
) -> None:
    (dave,) = lookup(signed_in, "dave@clinic.example")

    assert dave["kind"] == "mailbox"
    assert dave["status"] == "expired"
    assert dave["certificates"][0]["status"] == "expired"


def test_a_garbage_blob_is_one_unreadable_certificate_and_the_rest_still_counts(
    signed_in: Cli, directory: EwsTestServer, pki: Pki
) -> None:
    (gary,) = lookup(signed_in, "gary@clinic.example")

    unreadable, carol = gary["certificates"]
    assert unreadable["sha256"] is None
    assert unreadable["status"] == "unreadable"
    assert unreadable["attribute"] == "userSMIMECertificate"
    assert unreadable["reason"].startswith(
        "The userSMIMECertificate value published for gary@clinic.example"
    )
    # Carol's certificate is published on Gary's entry: it is not for his address.
    assert carol["sha256"] == fingerprint_sha256(pki.carol.cert)
    assert carol["status"] == "wrong_usage"
    assert gary["status"] == "wrong_usage"


def test_an_address_the_directory_does_not_know_is_external(
    signed_in: Cli, directory: EwsTestServer
) -> None:
    (stranger,) = lookup(signed_in, "stranger@elsewhere.example")

    assert stranger["kind"] == "external"
    assert stranger["address"] == "stranger@elsewhere.example"
    assert stranger["status"] == "no_certificate"
    assert stranger["certificates"] == []


def test_an_imceaex_address_is_resolved_through_its_legacy_dn(
    signed_in: Cli, directory: EwsTestServer, pki: Pki
) -> None:
    address = imceaex(f"{LEGACY_ROOT}/cn=alice", "clinic.example")

    (alice,) = lookup(signed_in, address)

    assert alice["query"] == address
    assert alice["address"] == "alice@clinic.example"
    assert alice["kind"] == "mailbox"
    assert alice["status"] == "ok"
    requests = b"".join(directory.state.requests)
    assert f"{LEGACY_ROOT}/cn=alice".encode() in requests
    assert b"IMCEAEX" not in requests  # never the raw form: ResolveNames does not match it


def test_an_unknown_imceaex_address_is_unresolved(signed_in: Cli, directory: EwsTestServer) -> None:
    (nobody,) = lookup(signed_in, imceaex(f"{LEGACY_ROOT}/cn=nobody", "clinic.example"))

    assert nobody["kind"] == "unresolved"
    assert nobody["address"] is None
    assert nobody["status"] == "unresolved"


def test_a_list_with_one_uncovered_member_is_not_ok_and_names_it(
    signed_in: Cli, directory: EwsTestServer
) -> None:
    (team,) = lookup(signed_in, "team@clinic.example")

    assert team["kind"] == "list"
    assert team["status"] == "no_certificate"
    assert "nocert@clinic.example" in team["reason"]
    assert "alice@clinic.example" not in team["reason"]
    members = [(m["address"], m["status"]) for m in team["members"]]
    # Flattened through the nested list, in list order; the cycle back to team is cut.
    assert members == [
        ("alice@clinic.example", "ok"),
        ("bob@clinic.example", "ok"),
        ("nocert@clinic.example", "no_certificate"),
    ]
    expansions = [op for op in directory.state.operations if op == "ExpandDL"]
    assert len(expansions) == 2


def test_a_list_whose_members_are_all_covered_is_ok(
    signed_in: Cli, directory: EwsTestServer
) -> None:
    (covered,) = lookup(signed_in, "covered@clinic.example")

    assert covered["status"] == "ok"
    assert len(covered["members"]) == 2


def test_a_list_beyond_the_member_cap_is_never_ok(signed_in: Cli, directory: EwsTestServer) -> None:
    members = [f"user{n}@clinic.example" for n in range(60)]
    for member in members:
        directory.state.mailbox(member)
    directory.state.distribution_list("everyone@clinic.example", members)

    (everyone,) = lookup(signed_in, "everyone@clinic.example")

    assert everyone["status"] == "unresolved"
    assert "more than 50 members" in everyone["reason"]


def test_found_certificates_are_kept_in_the_store_as_directory_certificates(
    signed_in: Cli, directory: EwsTestServer, pki: Pki
) -> None:
    lookup(signed_in, "alice@clinic.example", "bob@clinic.example")

    with CertStore.open(store_path(signed_in.home)) as store:
        stored = {c.fingerprint: c.source for c in store.list_certificates()}
    assert stored[fingerprint_sha256(pki.alice.cert)] is Source.DIRECTORY
    assert stored[fingerprint_sha256(pki.bob.cert)] is Source.DIRECTORY


def test_a_lookup_without_an_account_is_refused(cli: Cli) -> None:
    outcome = cli("exchange", "lookup", "alice@clinic.example")

    assert outcome.code == 2
    assert "No Exchange account is set up" in outcome.err


def test_a_bad_address_is_refused(signed_in: Cli, directory: EwsTestServer) -> None:
    outcome = signed_in("exchange", "lookup", "not an address")

    assert outcome.code == 2
    assert outcome.out == ""
