"""Intermediate CAs are asked about like the certificates they issue, over real HTTP.

Root (the trust anchor, never asked about) -> Sub CA (names where the root publishes its
revocation) -> recipients (name where the Sub CA publishes theirs).
"""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from desktop_app.core.pki.certificates import fingerprint_sha256
from desktop_app.core.pki.revocation import RevocationState
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.pki.usability import evaluate_for_encryption
from desktop_app.core.policy.model import RevocationPolicy
from desktop_app.core.recipients.addresses import parse_mailbox
from desktop_app.core.recipients.status import (
    CertificateEvidence,
    Draft,
    Evidence,
    Lookup,
    StatusCode,
    decide,
)
from desktop_app.services.revocation.checker import RevocationChecker
from desktop_app.services.revocation.crl_cache import CrlCache
from desktop_app.services.revocation.http_fetch import HttpLimits
from tests.factories.certs import NOW, Issued, TestCA
from tests.factories.revocation_server import Fault, RevocationServer, Route

LIMITS = HttpLimits(timeout=0.5, max_crl_bytes=50_000, max_ocsp_bytes=8_000)


def der(crl) -> bytes:
    return crl.public_bytes(serialization.Encoding.DER)


class Chain:
    """A root whose CRL and OCSP live at ``root.crl`` and ``root-ocsp``, a Sub CA naming
    them, and recipients of the Sub CA whose CRL lives at ``sub.crl``."""

    def __init__(self, server: RevocationServer, *, sub_ocsp: bool = False) -> None:
        self.server = server
        self.root = TestCA("Chain Fetch Root", slot=21, crl_urls=[server.url("anchor.crl")])
        self.sub = self.root.intermediate(
            "Chain Fetch Sub CA",
            crl_urls=[] if sub_ocsp else [server.url("root.crl")],
            ocsp_urls=[server.url("root-ocsp")] if sub_ocsp else [],
        )
        self.trust = TrustContext(anchors=(self.root.cert,), intermediates=(self.sub.cert,))
        self.alice = self.issue("alice@clinic.example")
        self.bob = self.issue("bob@clinic.example")
        server.routes["sub.crl"] = Route(crl=der(self.sub.crl()))
        server.routes["root.crl"] = Route(crl=der(self.root.crl()))
        server.routes["anchor.crl"] = Route(crl=der(self.root.crl()))

    def issue(self, address: str) -> Issued:
        return self.sub.issue([address], crl_urls=[self.server.url("sub.crl")])

    def check(self, checker: RevocationChecker, *issued: Issued, now: dt.datetime = NOW):
        answers = checker.check(
            {fingerprint_sha256(i.cert): i.cert for i in issued}, self.trust, now
        )
        return [answers[fingerprint_sha256(i.cert)] for i in issued]


@pytest.fixture
def server() -> Iterator[RevocationServer]:
    with RevocationServer() as running:
        yield running


def test_an_intermediate_revoked_by_the_root_revokes_every_recipient_it_issued(
    server: RevocationServer,
) -> None:
    chain = Chain(server)
    server.routes["root.crl"] = Route(crl=der(chain.root.crl([chain.sub.cert.serial_number])))
    alice, bob = chain.check(RevocationChecker(None, limits=LIMITS), chain.alice, chain.bob)
    assert alice.state is bob.state is RevocationState.REVOKED
    assert alice.authority == "Chain Fetch Sub CA"
    assert server.hits["root.crl"] == 1  # one intermediate, asked about once
    assert server.hits["sub.crl"] == 1
    assert server.hits["anchor.crl"] == 0  # the trust anchor is never asked about


def test_a_good_chain_is_good_until_the_earliest_next_update(server: RevocationServer) -> None:
    chain = Chain(server)
    root_next = NOW + dt.timedelta(days=2)
    server.routes["root.crl"] = Route(crl=der(chain.root.crl(next_update=root_next)))
    (alice,) = chain.check(RevocationChecker(None, limits=LIMITS), chain.alice)
    assert alice.state is RevocationState.GOOD
    assert alice.authority == ""
    assert alice.valid_until == root_next  # the Sub CA's list runs to NOW + 30 days


@pytest.mark.parametrize(
    "route",
    [
        Route(fault=Fault.NOT_FOUND),
        Route(fault=Fault.TIMEOUT, stall=2.0),
        Route(fault=Fault.GARBAGE),
    ],
)
def test_an_intermediate_nobody_can_vouch_for_makes_the_recipient_unknown(
    server: RevocationServer, route: Route
) -> None:
    chain = Chain(server)
    server.routes["root.crl"] = route
    (alice,) = chain.check(RevocationChecker(None, limits=LIMITS), chain.alice)
    assert alice.state is RevocationState.UNKNOWN
    assert "authority certificate “Chain Fetch Sub CA”" in alice.reason


def test_an_intermediate_is_asked_by_ocsp_where_it_names_a_responder(
    server: RevocationServer,
) -> None:
    chain = Chain(server, sub_ocsp=True)

    def answer(request, nonce, *, revoked: bool = False) -> bytes:
        del request
        return chain.root.ocsp_response(chain.sub.cert, nonce=nonce, revoked=revoked)

    server.routes["root-ocsp"] = Route(ocsp=answer)
    (alice,) = chain.check(RevocationChecker(None, limits=LIMITS), chain.alice)
    assert alice.state is RevocationState.GOOD
    server.routes["root-ocsp"] = Route(ocsp=lambda r, n: answer(r, n, revoked=True))
    (alice,) = chain.check(RevocationChecker(None, limits=LIMITS), chain.alice)
    assert alice.state is RevocationState.REVOKED
    assert server.hits["root-ocsp"] == 2


def test_the_intermediate_answer_is_remembered_and_its_list_kept(
    server: RevocationServer, tmp_path: Path
) -> None:
    chain = Chain(server)
    cache = CrlCache(tmp_path / "crl-cache")
    checker = RevocationChecker(cache, limits=LIMITS)
    chain.check(checker, chain.alice)
    carol = chain.issue("carol@clinic.example")
    chain.check(checker, carol)
    assert server.hits["root.crl"] == 1  # remembered by this checker
    (alice,) = chain.check(RevocationChecker(cache, offline=True), chain.alice)
    assert alice.state is RevocationState.GOOD  # both lists kept on disk
    assert server.hits["root.crl"] == 1


def test_a_stored_root_list_settles_the_intermediate_without_a_fetch(
    server: RevocationServer,
) -> None:
    chain = Chain(server)
    stored = TrustContext(
        anchors=chain.trust.anchors,
        intermediates=chain.trust.intermediates,
        crls=(chain.root.crl([chain.sub.cert.serial_number]),),
    )
    checker = RevocationChecker(None, limits=LIMITS)
    answers = checker.check({"alice": chain.alice.cert}, stored, NOW)
    assert answers["alice"].state is RevocationState.REVOKED
    assert server.hits["root.crl"] == 0


@pytest.mark.parametrize(
    ("policy", "code", "warned"),
    [
        (RevocationPolicy.REQUIRE, StatusCode.REVOCATION_UNKNOWN, False),
        (RevocationPolicy.PREFER, StatusCode.OK, True),
    ],
)
def test_the_policy_decides_what_an_unknown_intermediate_means(
    server: RevocationServer, policy: RevocationPolicy, code: StatusCode, warned: bool
) -> None:
    chain = Chain(server)
    server.routes["root.crl"] = Route(fault=Fault.NOT_FOUND)
    (answer,) = chain.check(RevocationChecker(None, limits=LIMITS), chain.alice)
    status = _decided(chain, answer, policy)
    assert status.recipients[0].code is code
    assert ("revocation_unknown" in {n.code for n in status.notices}) is warned
    assert "Chain Fetch Sub CA" in (status.recipients[0].reason + str(status.notices))


def test_a_revoked_intermediate_says_so_in_the_recipient_status(server: RevocationServer) -> None:
    chain = Chain(server)
    server.routes["root.crl"] = Route(crl=der(chain.root.crl([chain.sub.cert.serial_number])))
    (answer,) = chain.check(RevocationChecker(None, limits=LIMITS), chain.alice)
    recipient = _decided(chain, answer, RevocationPolicy.PREFER).recipients[0]
    assert recipient.code is StatusCode.REVOKED
    assert "authority certificate “Chain Fetch Sub CA” in its chain was revoked" in (
        recipient.reason
    )


def _decided(chain: Chain, answer, policy: RevocationPolicy):
    verdict = evaluate_for_encryption(chain.alice.cert, "alice@clinic.example", NOW, chain.trust)
    assert verdict.usable
    evidence = CertificateEvidence(
        fingerprint=fingerprint_sha256(chain.alice.cert),
        spki="spki",
        not_after=chain.alice.cert.not_valid_after_utc,
        source="imported",
        verdict=verdict,
        revocation=answer,
    )
    lookups = {"alice@clinic.example": Lookup(candidates=(evidence,))}
    draft = Draft(to=(parse_mailbox("alice@clinic.example"),))
    return decide(draft, Evidence(lookups=lookups, revocation=policy))
