"""rfc822Name name constraints bind every address we match on (RFC 5280 4.2.1.10, RFC 9598)."""

import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from desktop_app.core.pki.name_constraints import violates_mail_constraints
from desktop_app.core.pki.trust import ChainFailure, TrustContext, check_chain
from desktop_app.core.pki.usability import CertCode, evaluate_for_encryption
from tests.factories.certs import NOW, Issued, TestCA
from tests.factories.odd_certs import (
    constrained_intermediate,
    issue_with_san,
    reissued_ca,
    rfc822_entry,
    smtp_utf8_entry,
)

ROOT = TestCA("Constraints Root")
CLINIC_ONLY = constrained_intermediate(ROOT, "Clinic Only CA", permitted=["clinic.example"])
NOT_EVIL = constrained_intermediate(ROOT, "Not Evil CA", excluded=["evil.example"])
TRUST = TrustContext(anchors=(ROOT.cert,), intermediates=(CLINIC_ONLY.cert, NOT_EVIL.cert))


def _by_subject_email(ca: TestCA, address: str) -> Issued:
    """A certificate with no subjectAltName: its only address is the subject emailAddress."""
    return ca.issue([], common_name="Eve", subject_email=address)


def _code(issued: Issued, address: str, trust: TrustContext = TRUST) -> CertCode:
    return evaluate_for_encryption(issued.cert, address, NOW, trust).code


def test_a_forbidden_domain_through_the_subject_email_address_is_not_covered() -> None:
    eve = _by_subject_email(CLINIC_ONLY, "eve@evil.example")
    check = check_chain(eve.cert, TRUST, NOW)
    assert check.failure is ChainFailure.NAME_CONSTRAINTS
    assert _code(eve, "eve@evil.example") is CertCode.UNTRUSTED


def test_a_permitted_domain_through_the_subject_email_address_is_covered() -> None:
    ann = _by_subject_email(CLINIC_ONLY, "ann@clinic.example")
    assert _code(ann, "ann@clinic.example") is CertCode.OK


def test_an_excluded_domain_through_the_subject_email_address_is_not_covered() -> None:
    assert _code(_by_subject_email(NOT_EVIL, "eve@evil.example"), "eve@evil.example") is (
        CertCode.UNTRUSTED
    )
    assert _code(_by_subject_email(NOT_EVIL, "ann@good.example"), "ann@good.example") is (
        CertCode.OK
    )


def test_the_subject_email_address_is_bound_even_beside_a_san_address() -> None:
    # We match on the SAN here, but the CA named a forbidden address too: as OpenSSL, refuse.
    mixed = CLINIC_ONLY.issue(["ann@clinic.example"], subject_email="eve@evil.example")
    assert _code(mixed, "ann@clinic.example") is CertCode.UNTRUSTED


def test_a_forbidden_san_address_is_refused_as_before() -> None:
    assert _code(CLINIC_ONLY.issue(["eve@evil.example"]), "eve@evil.example") is (
        CertCode.UNTRUSTED
    )


def test_an_smtp_utf8_mailbox_is_bound_with_its_domain_as_a_labels() -> None:
    outside = issue_with_san(CLINIC_ONLY, [smtp_utf8_entry("jörg@bücher.example")])
    assert violates_mail_constraints((outside.cert, CLINIC_ONLY.cert))
    assert _code(outside, "jörg@bücher.example") is CertCode.UNTRUSTED
    within = issue_with_san(CLINIC_ONLY, [smtp_utf8_entry("jörg@clinic.example")])
    assert _code(within, "jörg@clinic.example") is CertCode.OK
    idn_only = constrained_intermediate(
        ROOT, "IDN CA", permitted=["xn--bcher-kva.example"], excluded=[]
    )
    inside = issue_with_san(idn_only, [smtp_utf8_entry("jörg@bücher.example")])
    assert not violates_mail_constraints((inside.cert, idn_only.cert))


def test_a_malformed_address_under_a_constraint_is_a_violation() -> None:
    spaced = issue_with_san(CLINIC_ONLY, [rfc822_entry(b"ann@clinic.example ")])
    assert violates_mail_constraints((spaced.cert, CLINIC_ONLY.cert))
    plain = issue_with_san(ROOT, [rfc822_entry(b"ann@clinic.example ")])
    assert not violates_mail_constraints((plain.cert, ROOT.cert))  # no constraint: not judged


@pytest.mark.parametrize(
    ("constraint", "inside", "outside"),
    [
        ("clinic.example", ["a@clinic.example", "a@CLINIC.example"], ["a@lab.clinic.example"]),
        (".clinic.example", ["a@lab.clinic.example"], ["a@clinic.example", "a@xclinic.example"]),
        (
            "ann@clinic.example",
            ["ann@clinic.example"],
            ["Ann@clinic.example", "bob@clinic.example"],
        ),
    ],
)
def test_rfc_5280_forms_of_rfc822_constraints(
    constraint: str, inside: list[str], outside: list[str]
) -> None:
    ca = constrained_intermediate(ROOT, f"CA for {constraint}", permitted=[constraint])
    for address in inside:
        cert = _by_subject_email(ca, address).cert
        assert not violates_mail_constraints((cert, ca.cert)), address
    for address in outside:
        cert = _by_subject_email(ca, address).cert
        assert violates_mail_constraints((cert, ca.cert)), address


def test_a_constraint_on_the_anchor_binds_too() -> None:
    root = reissued_ca(
        TestCA("Constrained Root"),
        None,
        extra=[x509.NameConstraints([x509.RFC822Name("clinic.example")], None)],
    )
    trust = TrustContext(anchors=(root.cert,))
    eve = _by_subject_email(root, "eve@evil.example")
    assert _code(eve, "eve@evil.example", trust) is CertCode.UNTRUSTED


def test_a_malformed_constraint_fails_closed() -> None:
    odd = constrained_intermediate(ROOT, "Odd Constraint CA", permitted=["clinic..example"])
    cert = _by_subject_email(odd, "ann@clinic.example").cert
    assert violates_mail_constraints((cert, odd.cert))


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")
def test_openssl_agrees_on_the_fixture(tmp_path: Path) -> None:
    def write(name: str, cert: x509.Certificate) -> str:
        path = tmp_path / name
        path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return str(path)

    root, sub = write("root.pem", ROOT.cert), write("sub.pem", CLINIC_ONLY.cert)

    def verify(cert: x509.Certificate) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                *("openssl", "verify", "-attime", str(int(NOW.timestamp()))),
                *("-CAfile", root, "-untrusted", sub, write("leaf.pem", cert)),
            ],
            capture_output=True,
            text=True,
            check=False,
        )

    forbidden = verify(_by_subject_email(CLINIC_ONLY, "eve@evil.example").cert)
    assert forbidden.returncode != 0
    assert "permitted subtree violation" in forbidden.stdout + forbidden.stderr
    assert verify(_by_subject_email(CLINIC_ONLY, "ann@clinic.example").cert).returncode == 0
