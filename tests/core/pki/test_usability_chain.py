"""The encryption verdict's chain rules: the path to an anchor, what an intermediate may
issue, and revocation by CRL."""

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID, ObjectIdentifier

from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.pki.usability import CertCode
from tests.core.pki.encryption_verdicts import (
    ALICE,
    DAY,
    INTER,
    ROOT,
    RSA_INTER,
    RSA_ROOT,
    assert_only,
    verdict,
)
from tests.factories.certs import NOW, TestCA, private_key

# Chain to an anchor


def test_no_anchors_configured() -> None:
    result = verdict(INTER.issue((ALICE,)), trust=TrustContext(intermediates=(INTER.cert,)))
    assert_only(result, CertCode.UNTRUSTED, "No trusted root certificates are set up")


def test_missing_intermediate() -> None:
    result = verdict(INTER.issue((ALICE,)), trust=TrustContext(anchors=(ROOT.cert,)))
    assert_only(result, CertCode.UNTRUSTED, "issued by “Test Intermediate CA”")


def test_chain_to_an_untrusted_root() -> None:
    other = TrustContext(anchors=(RSA_ROOT.cert,), intermediates=(INTER.cert,))
    result = verdict(INTER.issue((ALICE,)), trust=other)
    assert_only(
        result, CertCode.UNTRUSTED, "ends at “Test Intermediate CA”, issued by “Test Root CA”"
    )


def test_root_of_the_same_name_with_another_key() -> None:
    impostor = TestCA(slot=7)  # "Test Root CA" too, another key
    trust = TrustContext(anchors=(impostor.cert,), intermediates=(INTER.cert,))
    assert_only(verdict(INTER.issue((ALICE,)), trust=trust), CertCode.UNTRUSTED, "does not check")


def test_expired_intermediate() -> None:
    old = ROOT.intermediate("Old Intermediate", not_before=NOW - 900 * DAY, not_after=NOW - DAY)
    issued = old.issue((ALICE,), not_before=NOW - 100 * DAY, not_after=NOW + 100 * DAY)
    trust = TrustContext(anchors=(ROOT.cert,), intermediates=(old.cert,))
    result = verdict(issued, trust=trust)
    assert_only(result, CertCode.UNTRUSTED, "“Old Intermediate” in its chain is valid only from")


def test_weak_intermediate_key() -> None:
    weak = ROOT.intermediate("Weak Intermediate", key_kind="rsa1024")
    trust = TrustContext(anchors=(ROOT.cert,), intermediates=(weak.cert,))
    result = verdict(weak.issue((ALICE,)), trust=trust)
    assert_only(result, CertCode.UNTRUSTED, "key that is too weak")


def test_unknown_critical_extension() -> None:
    # Built by hand: the factory has no way to add a critical unknown extension.
    key = private_key("rsa2048")
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([]))
        .issuer_name(INTER.name)
        .public_key(key.public_key())
        .serial_number(424242)
        .not_valid_before(NOW - DAY)
        .not_valid_after(NOW + DAY)
        .add_extension(x509.SubjectAlternativeName([x509.RFC822Name(ALICE)]), critical=False)
        .add_extension(
            x509.UnrecognizedExtension(ObjectIdentifier("1.3.6.1.4.1.55555.1"), b"\x05\x00"),
            critical=True,
        )
        .sign(INTER.key, hashes.SHA256())
    )
    assert_only(verdict(cert), CertCode.UNTRUSTED, "critical extension")


# The verifier's web-PKI CA rules demand clientAuth in a CA's EKU; ours want e-mail.


@pytest.mark.parametrize(
    "eku",
    [(ExtendedKeyUsageOID.EMAIL_PROTECTION,), (ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE,)],
    ids=["email", "any"],
)
def test_intermediate_limited_to_email_is_accepted(eku: tuple[ObjectIdentifier, ...]) -> None:
    smime_ca = ROOT.intermediate(f"S/MIME CA {eku[0].dotted_string}", eku=eku)
    trust = TrustContext(anchors=(ROOT.cert,), intermediates=(smime_ca.cert,))
    assert verdict(smime_ca.issue((ALICE,)), trust=trust).usable


@pytest.mark.parametrize(
    "eku",
    [(ExtendedKeyUsageOID.SERVER_AUTH,), (ExtendedKeyUsageOID.CLIENT_AUTH,)],
    ids=["server", "client"],
)
def test_intermediate_not_for_email_is_refused(eku: tuple[ObjectIdentifier, ...]) -> None:
    tls_ca = ROOT.intermediate(f"TLS CA {eku[0].dotted_string}", eku=eku)
    trust = TrustContext(anchors=(ROOT.cert,), intermediates=(tls_ca.cert,))
    result = verdict(tls_ca.issue((ALICE,)), trust=trust)
    assert_only(result, CertCode.UNTRUSTED, "not allowed to issue e-mail certificates")


# Revocation


def test_revoked_by_its_issuer() -> None:
    issued = INTER.issue((ALICE,))
    trust = TrustContext((ROOT.cert,), (INTER.cert,), (INTER.crl([issued.cert.serial_number]),))
    assert_only(
        verdict(issued, trust=trust), CertCode.REVOKED, "revoked by its issuer on 2026-05-31"
    )


def test_forged_crl_revokes_nothing() -> None:
    issued = INTER.issue((ALICE,))
    forged = INTER.crl([issued.cert.serial_number], signing_key=private_key("p256", slot=99))
    assert verdict(issued, trust=TrustContext((ROOT.cert,), (INTER.cert,), (forged,))).usable


def test_crl_of_another_issuer_revokes_nothing() -> None:
    issued = INTER.issue((ALICE,))
    others = RSA_INTER.crl([issued.cert.serial_number])
    assert verdict(issued, trust=TrustContext((ROOT.cert,), (INTER.cert,), (others,))).usable


def test_revoked_intermediate() -> None:
    revoked_inter = ROOT.intermediate("Revoked Intermediate")
    issued = revoked_inter.issue((ALICE,))
    crl = ROOT.crl([revoked_inter.cert.serial_number])
    trust = TrustContext((ROOT.cert,), (revoked_inter.cert,), (crl,))
    result = verdict(issued, trust=trust)
    assert_only(result, CertCode.REVOKED, "“Revoked Intermediate” in its chain was revoked")
