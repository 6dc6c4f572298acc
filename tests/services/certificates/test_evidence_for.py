"""The one translator: what directories say becomes the one rule's evidence, never a status."""

from __future__ import annotations

from desktop_app.core.pki.stored import Source
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.recipients.addresses import parse_mailbox
from desktop_app.core.recipients.status import Draft, Evidence, StatusCode, decide
from desktop_app.services.certificates.consult import Consulted, answered, evidence_for
from desktop_app.services.certificates.source import FindingKind, PublishedValue, SourceFinding
from tests.factories.certs import NOW, TestCA

CA = TestCA("Translator CA")
ANN = CA.issue(["ann@clinic.example"])
BEN = CA.issue(["ben@clinic.example"])
TRUST = TrustContext(anchors=(CA.cert,))
GAL = Source.DIRECTORY.value


def person(certificate_der: bytes, *, source: str = GAL) -> SourceFinding:
    return SourceFinding(
        FindingKind.PERSON, source, (PublishedValue("userCertificate", certificate_der),)
    )


def status_of(consulted: Consulted, *addresses: str):  # type: ignore[no-untyped-def]
    evidence = Evidence(lookups=evidence_for(consulted, NOW, TRUST))
    return decide(Draft(to=tuple(parse_mailbox(a) for a in addresses)), evidence).recipients


def test_a_list_is_covered_by_its_members_certificates_flattened() -> None:
    consulted = Consulted()
    team = SourceFinding(
        FindingKind.LIST,
        GAL,
        members=("ann@clinic.example", "ben@clinic.example"),
        member_findings={
            "ann@clinic.example": person(ANN.der),
            "ben@clinic.example": person(BEN.der),
        },
    )
    consulted.add("team@clinic.example", team)

    (listed,) = status_of(consulted, "team@clinic.example")

    assert listed.code is StatusCode.OK
    assert [m.mailbox.address for m in listed.members] == [
        "ann@clinic.example",
        "ben@clinic.example",
    ]
    assert answered(consulted) == {
        "team@clinic.example",
        "ann@clinic.example",
        "ben@clinic.example",
    }


def test_a_list_whose_members_are_unknown_is_never_covered() -> None:
    consulted = Consulted()
    why = "The members of everyone@clinic.example are unknown."
    dynamic = SourceFinding(FindingKind.LIST, "graph", incomplete=why, complete=False)
    consulted.add("everyone@clinic.example", dynamic)

    (everyone,) = status_of(consulted, "everyone@clinic.example")

    assert everyone.code is StatusCode.UNRESOLVED and why in everyone.reason
    assert answered(consulted) == frozenset()


def test_still_checking_is_evidence_the_rule_words() -> None:
    consulted = Consulted()
    consulted.add("ann@clinic.example", SourceFinding(FindingKind.PENDING, GAL))

    lookup = evidence_for(consulted, NOW, TRUST)["ann@clinic.example"]
    (ann,) = status_of(consulted, "ann@clinic.example")

    assert lookup.pending and not lookup.candidates
    assert ann.code is StatusCode.UNRESOLVED and "Still looking up" in ann.reason


def test_the_first_directory_that_publishes_a_certificate_names_it() -> None:
    consulted = Consulted()
    consulted.add("ann@clinic.example", person(ANN.der, source="ldap:corp"))
    consulted.add("ann@clinic.example", person(ANN.der))

    (ann,) = status_of(consulted, "ann@clinic.example")

    assert ann.code is StatusCode.OK
    assert ann.certificate is not None and ann.certificate.source == "ldap:corp"


def test_a_directory_that_could_not_be_asked_says_why_unless_another_knows_the_address() -> None:
    down = SourceFinding(FindingKind.UNREACHABLE, "ldap:corp", failure="the server is down")
    alone, known = Consulted(), Consulted()
    alone.add("ann@clinic.example", down)
    known.add("ann@clinic.example", down)
    known.add("ann@clinic.example", person(ANN.der))

    (failed,) = status_of(alone, "ann@clinic.example")
    (covered,) = status_of(known, "ann@clinic.example")

    assert failed.code is StatusCode.UNRESOLVED and "the server is down" in failed.reason
    assert covered.code is StatusCode.OK
