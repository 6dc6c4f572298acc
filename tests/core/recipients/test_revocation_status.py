"""The one rule and revocation: require, prefer, off; revoked answers; the warning."""

import datetime as dt

import pytest

from desktop_app.core.pki.revocation import RevocationAnswer, RevocationState, unknown
from desktop_app.core.pki.usability import CertCode, CertVerdict
from desktop_app.core.policy.model import RevocationPolicy
from desktop_app.core.recipients.addresses import parse_address_list
from desktop_app.core.recipients.status import (
    CertificateEvidence,
    Draft,
    Evidence,
    Lookup,
    Overall,
    StatusCode,
    decide,
)

AT = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
GOOD = RevocationAnswer(RevocationState.GOOD, "revocation list from http://crl/")
REVOKED = RevocationAnswer(RevocationState.REVOKED, "OCSP responder at http://o/", AT)
UNKNOWN = unknown("http://crl/ did not answer in time.")


def candidate(revocation: RevocationAnswer | None, *, fingerprint: str = "aa", days: int = 100):
    return CertificateEvidence(
        fingerprint=fingerprint,
        spki=f"k-{fingerprint}",
        not_after=AT + dt.timedelta(days=days),
        source="imported",
        verdict=CertVerdict(CertCode.OK, "ok", ()),
        revocation=revocation,
    )


def judged(policy: RevocationPolicy, *candidates: CertificateEvidence):
    evidence = Evidence(lookups={"a@x.org": Lookup(candidates)}, revocation=policy)
    return decide(Draft(to=parse_address_list("a@x.org")), evidence)


@pytest.mark.parametrize("answer", [UNKNOWN, None])
def test_unknown_revocation_under_require_is_not_covered_and_says_why(answer) -> None:
    status = judged(RevocationPolicy.REQUIRE, candidate(answer))
    assert status.overall is Overall.NOT_ENCRYPTED
    assert status.recipients[0].code is StatusCode.REVOCATION_UNKNOWN
    reason = status.recipients[0].reason
    assert "a@x.org" in reason
    assert ("did not answer in time" if answer else "not checked") in reason


def test_unknown_revocation_under_prefer_is_covered_with_a_warning() -> None:
    status = judged(RevocationPolicy.PREFER, candidate(UNKNOWN))
    assert status.overall is Overall.ENCRYPTED
    notices = [(n.code, n.address) for n in status.notices]
    assert notices == [("revocation_unknown", "a@x.org")]
    assert "did not answer in time" in status.notices[0].message


def test_off_neither_warns_nor_refuses() -> None:
    status = judged(RevocationPolicy.OFF, candidate(UNKNOWN))
    assert status.overall is Overall.ENCRYPTED
    assert status.notices == ()


@pytest.mark.parametrize("policy", list(RevocationPolicy))
def test_a_known_good_answer_is_covered_without_warning(policy: RevocationPolicy) -> None:
    status = judged(policy, candidate(GOOD))
    assert status.overall is Overall.ENCRYPTED
    assert status.notices == ()


@pytest.mark.parametrize("policy", list(RevocationPolicy))
def test_a_revoked_answer_is_final_under_every_policy(policy: RevocationPolicy) -> None:
    status = judged(policy, candidate(REVOKED))
    assert status.recipients[0].code is StatusCode.REVOKED
    assert "2026-06-01" in status.recipients[0].reason
    assert "OCSP responder" in status.recipients[0].reason


def test_a_revoked_certificate_loses_to_another_usable_one() -> None:
    revoked_newer = candidate(REVOKED, fingerprint="aa", days=700)
    older_good = candidate(GOOD, fingerprint="bb", days=100)
    status = judged(RevocationPolicy.PREFER, revoked_newer, older_good)
    assert status.overall is Overall.ENCRYPTED
    assert status.recipients[0].certificate == older_good


def test_list_members_with_unknown_revocation_are_warned_about_each() -> None:
    members = parse_address_list("m1@x.org, m2@x.org")
    evidence = Evidence(
        lookups={
            "list@x.org": Lookup(members=members),
            "m1@x.org": Lookup((candidate(GOOD),)),
            "m2@x.org": Lookup((candidate(UNKNOWN, fingerprint="cc"),)),
        },
        revocation=RevocationPolicy.PREFER,
    )
    status = decide(Draft(to=parse_address_list("list@x.org")), evidence)
    assert status.overall is Overall.ENCRYPTED
    assert [(n.code, n.address) for n in status.notices] == [("revocation_unknown", "m2@x.org")]
    strict = decide(
        Draft(to=parse_address_list("list@x.org")),
        Evidence(lookups=evidence.lookups, revocation=RevocationPolicy.REQUIRE),
    )
    assert strict.recipients[0].code is StatusCode.REVOCATION_UNKNOWN
