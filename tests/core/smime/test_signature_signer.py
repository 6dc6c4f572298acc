"""Whether the signer's certificate can vouch for a signature: chain, dates, usage, From."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID, ExtensionOID

from desktop_app.core.messages import text
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.smime.signature_verify import SignatureVerdict, verify_signature
from tests.factories.certs import NOW, Issued, TestCA, private_key
from tests.factories.cms_signed import SignerSpec, cms_signed_data

CONTENT = b"Content-Type: text/plain\r\n\r\nRezept folgt.\r\n"
ALICE = "alice@clinic.example"


@pytest.fixture(scope="module")
def root() -> TestCA:
    return TestCA("Signer Test Root")


@pytest.fixture(scope="module")
def intermediate(root: TestCA) -> TestCA:
    return root.intermediate("Signer Test Intermediate")


@pytest.fixture(scope="module")
def alice(intermediate: TestCA) -> Issued:
    return intermediate.issue([ALICE])


def _verdict(
    signer: Issued,
    trust: TrustContext,
    *,
    bag: list[x509.Certificate] | None = None,
    at: dt.datetime = NOW,
    sender: str | None = ALICE,
) -> SignatureVerdict:
    der = cms_signed_data(CONTENT, [SignerSpec(signer)], bag)
    return verify_signature(der, CONTENT, trust=trust, at=at, from_address_key=sender)


def test_chain_through_a_carried_intermediate(
    root: TestCA, intermediate: TestCA, alice: Issued
) -> None:
    trust = TrustContext((root.cert,))
    verdict = _verdict(alice, trust, bag=[alice.cert, intermediate.cert])
    assert verdict.valid, verdict.reason


def test_chain_through_a_known_intermediate(
    root: TestCA, intermediate: TestCA, alice: Issued
) -> None:
    assert _verdict(alice, TrustContext((root.cert,), (intermediate.cert,))).valid


def test_missing_intermediate_is_untrusted(root: TestCA, alice: Issued) -> None:
    verdict = _verdict(alice, TrustContext((root.cert,)))
    assert not verdict.valid
    assert "not trusted" in verdict.reason
    assert "Signer Test Intermediate" in verdict.reason


def test_foreign_root_and_no_anchors_are_untrusted(intermediate: TestCA, alice: Issued) -> None:
    foreign = TrustContext((TestCA("Someone Else's Root").cert,), (intermediate.cert,))
    assert "not trusted" in _verdict(alice, foreign).reason
    assert "No trusted root" in _verdict(alice, TrustContext()).reason


@pytest.mark.parametrize(
    ("at", "fragment"),
    [
        (NOW + dt.timedelta(days=400), "expired on"),
        (NOW - dt.timedelta(days=40), "not valid until"),
    ],
)
def test_signer_outside_its_validity(
    root: TestCA, intermediate: TestCA, alice: Issued, at: dt.datetime, fragment: str
) -> None:
    verdict = _verdict(alice, TrustContext((root.cert,), (intermediate.cert,)), at=at)
    assert not verdict.valid
    assert fragment in verdict.reason


def test_revoked_signer_and_authority(root: TestCA, intermediate: TestCA, alice: Issued) -> None:
    revoked_signer = TrustContext(
        (root.cert,), (intermediate.cert,), (intermediate.crl([alice.cert.serial_number]),)
    )
    assert "revoked" in _verdict(alice, revoked_signer).reason
    revoked_authority = TrustContext(
        (root.cert,), (intermediate.cert,), (root.crl([intermediate.cert.serial_number]),)
    )
    verdict = _verdict(alice, revoked_authority)
    assert "Signer Test Intermediate" in verdict.reason
    assert "revoked" in verdict.reason
    forged_list = intermediate.crl([alice.cert.serial_number], signing_key=private_key("p256", 9))
    forged = TrustContext((root.cert,), (intermediate.cert,), (forged_list,))
    assert _verdict(alice, forged).valid  # a list the issuer did not sign revokes nothing


def test_sha1_signed_authority_is_refused() -> None:
    rsa_root = TestCA("Legacy RSA Root", key_kind="rsa2048")
    weak = rsa_root.intermediate("SHA-1 Intermediate", hash_name="sha1")
    signer = weak.issue([ALICE])
    verdict = _verdict(signer, TrustContext((rsa_root.cert,), (weak.cert,)))
    assert not verdict.valid
    assert "SHA-1" in verdict.reason


def _encipher_only(ca: TestCA) -> Issued:
    key = private_key("rsa2048", 3)
    usage = x509.KeyUsage(
        digital_signature=False,
        content_commitment=False,
        key_encipherment=True,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([]))
        .issuer_name(ca.name)
        .public_key(key.public_key())  # type: ignore[arg-type]
        .serial_number(777)
        .not_valid_before(NOW - dt.timedelta(days=1))
        .not_valid_after(NOW + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.RFC822Name(ALICE)]), critical=False)
        .add_extension(usage, critical=True)
        .sign(ca.key, hashes.SHA256())  # type: ignore[arg-type]
    )
    return Issued(cert, key)


def test_key_usage_must_allow_signing(root: TestCA) -> None:
    verdict = _verdict(_encipher_only(root), TrustContext((root.cert,)))
    assert (verdict.valid, verdict.reason) == (False, text("signature.signer_key_usage"))


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ({"eku": (ExtendedKeyUsageOID.SERVER_AUTH,)}, text("signature.signer_not_for_email")),
        ({"eku": (ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE,)}, None),
        ({"eku": None}, None),
        ({"key_usage": None}, None),
        ({"key_usage": "signing"}, None),
        ({"malformed_extension": ExtensionOID.KEY_USAGE}, text("signature.signer_malformed")),
    ],
)
def test_usage_extensions(root: TestCA, options: dict[str, object], reason: str | None) -> None:
    signer = root.issue([ALICE], slot=4, **options)  # type: ignore[arg-type]
    verdict = _verdict(signer, TrustContext((root.cert,)))
    assert verdict.valid is (reason is None), verdict.reason
    if reason is not None:
        assert verdict.reason == reason


def test_weak_rsa_signer(root: TestCA) -> None:
    signer = root.issue([ALICE], key_kind="rsa1024")
    verdict = _verdict(signer, TrustContext((root.cert,)))
    assert verdict.reason == text("signature.signer_weak_rsa", bits=1024)


def test_signer_must_be_the_sender(root: TestCA, intermediate: TestCA, alice: Issued) -> None:
    trust = TrustContext((root.cert,), (intermediate.cert,))
    verdict = _verdict(alice, trust, sender="chef@clinic.example")
    assert not verdict.valid
    assert ALICE in verdict.reason
    assert "chef@clinic.example" in verdict.reason
    assert verdict.signer == alice.cert  # shown, so the user sees who really signed
    assert _verdict(alice, trust, sender=None).valid  # no From to compare: not checked


def test_signer_without_address_cannot_vouch_for_the_sender(root: TestCA) -> None:
    nameless = root.issue([], common_name="Nameless Signer")
    verdict = _verdict(nameless, TrustContext((root.cert,)))
    assert not verdict.valid
    assert "names no e-mail address" in verdict.reason


def test_legacy_subject_email_address_is_accepted(root: TestCA) -> None:
    legacy = root.issue([], common_name="Alice", subject_email=ALICE)
    assert _verdict(legacy, TrustContext((root.cert,))).valid
