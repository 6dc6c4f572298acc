"""Fetching CRLs and OCSP answers from a real HTTP server on 127.0.0.1, with its faults."""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from desktop_app.core.pki.certificates import fingerprint_sha256
from desktop_app.core.pki.revocation import RevocationState
from desktop_app.core.pki.trust import TrustContext
from desktop_app.services.revocation.checker import RevocationChecker
from desktop_app.services.revocation.crl_cache import CrlCache
from desktop_app.services.revocation.http_fetch import HttpLimits
from tests.factories.certs import NOW, TestCA
from tests.factories.revocation_server import Fault, RevocationServer, Route

ROOT = TestCA("Fetch Root")
OTHER = TestCA("Fetch Other Root", slot=4)
TRUST = TrustContext(anchors=(ROOT.cert,))
# Short limits keep the fault tests quick; the server's stall is longer than the timeout.
LIMITS = HttpLimits(timeout=0.5, max_crl_bytes=50_000, max_ocsp_bytes=8_000)


def der(crl) -> bytes:
    return crl.public_bytes(serialization.Encoding.DER)


@pytest.fixture
def server() -> Iterator[RevocationServer]:
    with RevocationServer() as running:
        yield running


@pytest.fixture
def cache(tmp_path: Path) -> CrlCache:
    return CrlCache(tmp_path / "crl-cache")


def check(checker: RevocationChecker, *issued):
    return checker.check({fingerprint_sha256(i.cert): i.cert for i in issued}, TRUST, NOW)


def one(checker: RevocationChecker, issued, now: dt.datetime = NOW):
    return checker.check({"x": issued.cert}, TRUST, now)["x"]


def test_a_crl_is_fetched_once_for_every_certificate_and_kept_until_next_update(
    server: RevocationServer, cache: CrlCache
) -> None:
    url = server.url("root.crl")
    alice = ROOT.issue(["alice@clinic.example"], crl_urls=[url])
    bob = ROOT.issue(["bob@clinic.example"], crl_urls=[url])
    server.routes["root.crl"] = Route(crl=der(ROOT.crl([bob.cert.serial_number])))
    checker = RevocationChecker(cache, limits=LIMITS)
    answers = check(checker, alice, bob)
    assert answers[fingerprint_sha256(alice.cert)].state is RevocationState.GOOD
    assert answers[fingerprint_sha256(bob.cert)].state is RevocationState.REVOKED
    assert server.hits["root.crl"] == 1
    check(checker, alice, bob)
    assert server.hits["root.crl"] == 1  # remembered: no second fetch
    # kept on disk: another checker (another run of ``check``) fetches nothing, even offline
    assert one(RevocationChecker(cache, offline=True), bob).state is RevocationState.REVOKED
    assert one(RevocationChecker(cache, limits=LIMITS), alice).state is RevocationState.GOOD
    assert server.hits["root.crl"] == 1
    # past nextUpdate the list is fetched again
    one(checker, alice, NOW + dt.timedelta(days=31))
    assert server.hits["root.crl"] == 2


@pytest.mark.parametrize(
    ("route", "says"),
    [
        (Route(fault=Fault.TIMEOUT, stall=2.0), "did not answer in time"),
        (Route(fault=Fault.NOT_FOUND), "HTTP status 404"),
        (Route(fault=Fault.OVERSIZED, size=400_000), "more than 50,000 bytes"),
        (Route(fault=Fault.GARBAGE), "cannot be read"),
        (Route(crl=der(OTHER.crl())), "another authority"),
        (Route(crl=der(ROOT.crl(signing_key=OTHER.key))), "not signed by the certificate's issuer"),
        (
            Route(
                crl=der(
                    ROOT.crl(
                        next_update=NOW - dt.timedelta(hours=1),
                        last_update=NOW - dt.timedelta(days=8),
                    )
                )
            ),
            "out of date",
        ),
    ],
)
def test_a_faulty_crl_source_gives_unknown_with_the_reason(
    server: RevocationServer, cache: CrlCache, route: Route, says: str
) -> None:
    server.routes["bad.crl"] = route
    alice = ROOT.issue(["alice@clinic.example"], crl_urls=[server.url("bad.crl")])
    answer = one(RevocationChecker(cache, limits=LIMITS), alice)
    assert answer.state is RevocationState.UNKNOWN
    assert says in answer.reason
    assert cache.get(server.url("bad.crl")) is None  # nothing unusable is kept


def test_a_failure_is_not_asked_again_at_once(server: RevocationServer) -> None:
    server.routes["down.crl"] = Route(fault=Fault.NOT_FOUND)
    alice = ROOT.issue(["alice@clinic.example"], crl_urls=[server.url("down.crl")])
    checker = RevocationChecker(None, limits=LIMITS)
    one(checker, alice)
    one(checker, alice, NOW + dt.timedelta(seconds=10))
    assert server.hits["down.crl"] == 1
    one(checker, alice, NOW + dt.timedelta(minutes=1))
    assert server.hits["down.crl"] == 2


def responder(ca: TestCA, about, **options):
    """An OCSP responder of ``ca`` that answers about ``about``, echoing the nonce."""

    def answer(request, nonce):
        del request
        return ca.ocsp_response(about.cert, nonce=nonce, **options)

    return answer


def test_ocsp_is_asked_when_no_crl_answers(server: RevocationServer) -> None:
    server.routes["missing.crl"] = Route(fault=Fault.NOT_FOUND)
    subject = ROOT.issue(
        ["alice@clinic.example"],
        crl_urls=[server.url("missing.crl")],
        ocsp_urls=[server.url("ocsp")],
    )
    server.routes["ocsp"] = Route(ocsp=responder(ROOT, subject, responder=ROOT.ocsp_signer()))
    assert one(RevocationChecker(None, limits=LIMITS), subject).state is RevocationState.GOOD
    server.routes["ocsp"] = Route(ocsp=responder(ROOT, subject, revoked=True))
    assert one(RevocationChecker(None, limits=LIMITS), subject).state is RevocationState.REVOKED


@pytest.mark.parametrize(
    ("route", "says"),
    [
        ("wrong signer", "not signed by the issuer or a responder it authorised"),
        ("timeout", "did not answer in time"),
        ("oversized", "more than 8,000 bytes"),
        ("garbage", "cannot be read"),
        ("404", "HTTP status 404"),
    ],
)
def test_a_faulty_ocsp_responder_gives_unknown(
    server: RevocationServer, route: str, says: str
) -> None:
    subject = ROOT.issue(["alice@clinic.example"], ocsp_urls=[server.url("ocsp")])
    routes = {
        "wrong signer": Route(ocsp=responder(ROOT, subject, responder=OTHER.ocsp_signer(slot=12))),
        "timeout": Route(fault=Fault.TIMEOUT, stall=2.0),
        "oversized": Route(fault=Fault.OVERSIZED, size=100_000),
        "garbage": Route(fault=Fault.GARBAGE),
        "404": Route(fault=Fault.NOT_FOUND),
    }
    server.routes["ocsp"] = routes[route]
    answer = one(RevocationChecker(None, limits=LIMITS), subject)
    assert answer.state is RevocationState.UNKNOWN
    assert says in answer.reason


def test_offline_fetches_nothing_and_says_so(server: RevocationServer) -> None:
    server.routes["root.crl"] = Route(crl=der(ROOT.crl()))
    alice = ROOT.issue(["alice@clinic.example"], crl_urls=[server.url("root.crl")])
    answer = one(RevocationChecker(None, offline=True), alice)
    assert answer.state is RevocationState.UNKNOWN
    assert "offline" in answer.reason
    assert server.hits["root.crl"] == 0
