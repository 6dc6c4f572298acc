"""verify_signature / verify_opaque: the CMS checks (RFC 5652 5.6) on independently built input.

Signatures here come from ``tests.factories.certs.cms_signed_data``, written without the
product's signing code, so the two cannot share a mistake. Certificate judgement (trust,
usage, revocation, From) is in test_signature_signer.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from asn1crypto import core

from desktop_app.core.messages import text
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.smime.signature_errors import SignatureError
from desktop_app.core.smime.signature_sign import sign_detached
from desktop_app.core.smime.signature_verify import (
    SignatureVerdict,
    verify_opaque,
    verify_signature,
)
from tests.factories.certs import NOW, Issued, TestCA
from tests.factories.cms_signed import SignerSpec, cms_signed_data, streamed_signed_data
from tests.factories.key_id_certs import issue_with_key_id

CONTENT = b"Content-Type: text/plain; charset=utf-8\r\n\r\nLaborwerte anbei.\r\nGruss\r\n"
ALICE = "alice@clinic.example"
# Microsoft's encryption-key preference, which NSS and Outlook send and asn1crypto cannot name.
MS_KEY_PREFERENCE = ("1.3.6.1.4.1.311.16.4", core.Null().dump())


@pytest.fixture(scope="module")
def ca() -> TestCA:
    return TestCA("Verify Test Root")


@pytest.fixture(scope="module")
def trust(ca: TestCA) -> TrustContext:
    return TrustContext((ca.cert,))


@pytest.fixture(scope="module")
def alice(ca: TestCA) -> Issued:
    return ca.issue([ALICE], key_kind="rsa2048")


@pytest.fixture(scope="module")
def alice_ec(ca: TestCA) -> Issued:
    return ca.issue([ALICE], key_kind="p256")


@pytest.fixture(scope="module")
def alice_ski(ca: TestCA) -> Issued:
    return issue_with_key_id(ca, [ALICE], key_kind="rsa2048")


def _verify(der: bytes, trust: TrustContext, content: bytes | None = CONTENT) -> SignatureVerdict:
    return verify_signature(der, content, trust=trust, at=NOW, from_address_key=ALICE)


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"signature": "rsa_hash"},
        {"signature": "pss"},
        {"signature": "pss", "pss_salt": 222},  # OpenSSL's default for RSA-2048
        {"signature": "pss", "hash_name": "sha512"},
        {"hash_name": "sha384"},
        {"attributes": False},  # openssl cms -noattr: the signature covers the content
        {"sort_attributes": False},  # received order is what was signed (CMS-NOTES 1)
        {"extra_attributes": (MS_KEY_PREFERENCE,)},
    ],
)
def test_rsa_forms_verify(trust: TrustContext, alice: Issued, options: dict[str, object]) -> None:
    der = cms_signed_data(CONTENT, [SignerSpec(alice, **options)])  # type: ignore[arg-type]
    verdict = _verify(der, trust)
    assert verdict.valid, verdict.reason
    assert verdict.signer == alice.cert
    assert verdict.signer_addresses == (ALICE,)
    assert ALICE in verdict.reason


@pytest.mark.parametrize("signature", ["default", "ec_public_key"])
def test_ecdsa_verifies(trust: TrustContext, alice_ec: Issued, signature: str) -> None:
    der = cms_signed_data(CONTENT, [SignerSpec(alice_ec, signature=signature)])
    assert _verify(der, trust).valid


def test_ed25519_verifies(ca: TestCA, trust: TrustContext) -> None:
    # RFC 8419: pure Ed25519 over the attributes, SHA-512 for the message digest.
    signer = ca.issue([ALICE], key_kind="ed25519")
    assert _verify(cms_signed_data(CONTENT, [SignerSpec(signer)]), trust).valid
    broken = cms_signed_data(CONTENT, [SignerSpec(signer, corrupt_signature=True)])
    assert _verify(broken, trust).reason == text("signature.bad_signature")


def test_subject_key_identifier_sid_verifies(trust: TrustContext, alice_ski: Issued) -> None:
    der = cms_signed_data(CONTENT, [SignerSpec(alice_ski, sid="ski")])
    verdict = _verify(der, trust)
    assert verdict.valid, verdict.reason
    assert verdict.signer == alice_ski.cert


def test_verdict_reports_claims_and_algorithm(trust: TrustContext, alice: Issued) -> None:
    claimed = dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=dt.UTC)  # any claim: shown, not judged
    der = cms_signed_data(CONTENT, [SignerSpec(alice, hash_name="sha512", signing_time=claimed)])
    verdict = _verify(der, trust)
    assert verdict.valid
    assert verdict.signing_time == claimed
    assert verdict.digest_algorithm == "SHA-512"
    assert verdict.capabilities == ()  # none advertised
    assert verdict.content_type == "1.2.840.113549.1.7.1"


def test_tampered_content_fails(trust: TrustContext, alice: Issued) -> None:
    der = cms_signed_data(CONTENT, [SignerSpec(alice)])
    verdict = _verify(der, trust, CONTENT.replace(b"anbei", b"Anbei"))
    assert not verdict.valid
    assert verdict.reason == text("signature.content_changed")
    assert verdict.signer == alice.cert  # still named, so the user sees who claims to sign


def test_tampered_content_without_attributes_fails(trust: TrustContext, alice: Issued) -> None:
    der = cms_signed_data(CONTENT, [SignerSpec(alice, attributes=False)])
    verdict = _verify(der, trust, CONTENT + b"P.S. forged\r\n")
    assert (verdict.valid, verdict.reason) == (False, text("signature.bad_signature"))


@pytest.mark.parametrize("kind", ["rsa", "ec"])
def test_corrupt_signature_fails(
    trust: TrustContext, alice: Issued, alice_ec: Issued, kind: str
) -> None:
    signer = alice if kind == "rsa" else alice_ec
    der = cms_signed_data(CONTENT, [SignerSpec(signer, corrupt_signature=True)])
    assert _verify(der, trust).reason == text("signature.bad_signature")


def test_lf_stored_copy_of_crlf_signed_text_verifies(trust: TrustContext, alice: Issued) -> None:
    # OpenSSL signs canonical CRLF text; a mailbox that keeps LF still holds the same text.
    der = cms_signed_data(CONTENT, [SignerSpec(alice)])
    assert _verify(der, trust, CONTENT.replace(b"\r\n", b"\n")).valid


def test_md5_is_refused(trust: TrustContext, alice: Issued) -> None:
    der = cms_signed_data(CONTENT, [SignerSpec(alice, hash_name="md5")])
    verdict = _verify(der, trust)
    assert not verdict.valid
    assert verdict.reason == text("signature.broken_hash", algorithm="MD5")


@pytest.mark.parametrize("signature", ["default", "pss"])
def test_sha1_is_weak(trust: TrustContext, alice: Issued, signature: str) -> None:
    der = cms_signed_data(CONTENT, [SignerSpec(alice, hash_name="sha1", signature=signature)])
    verdict = _verify(der, trust)
    assert not verdict.valid
    assert verdict.reason == text("signature.weak_hash", algorithm="SHA-1")
    assert verdict.digest_algorithm == "SHA-1"


MISMATCH = text("signature.algorithm_mismatch")


@pytest.mark.parametrize(
    ("kind", "hash_name", "oid", "reason"),
    [
        ("ec", "sha256", "1.2.840.113549.1.1.11", MISMATCH),  # RSA OID, EC key
        ("rsa", "sha256", "1.2.840.10045.4.3.2", MISMATCH),  # ECDSA OID, RSA key
        ("rsa", "sha384", "1.2.840.113549.1.1.11", MISMATCH),  # hashes disagree
        ("rsa", "sha256", "1.2.3.4", text("signature.unsupported_algorithm", algorithm="1.2.3.4")),
    ],
)
def test_algorithm_that_does_not_fit_fails(
    trust: TrustContext,
    alice: Issued,
    alice_ec: Issued,
    kind: str,
    hash_name: str,
    oid: str,
    reason: str,
) -> None:
    signer = alice if kind == "rsa" else alice_ec
    spec = SignerSpec(signer, hash_name=hash_name, signature_oid=oid)
    verdict = _verify(cms_signed_data(CONTENT, [spec]), trust)
    assert (verdict.valid, verdict.reason) == (False, reason)


def test_content_type_attribute_must_match(trust: TrustContext, alice: Issued) -> None:
    der = cms_signed_data(CONTENT, [SignerSpec(alice, content_type="1.2.840.113549.1.7.3")])
    assert _verify(der, trust).reason == text("signature.content_type_mismatch")


def test_repeated_message_digest_fails(trust: TrustContext, alice: Issued) -> None:
    der = cms_signed_data(CONTENT, [SignerSpec(alice, repeat_digest=True)])
    verdict = _verify(der, trust)
    assert not verdict.valid
    assert "message digest" in verdict.reason


def test_signer_found_by_identifier_not_position(
    ca: TestCA, trust: TrustContext, alice: Issued
) -> None:
    unrelated = [ca.issue([f"u{n}@elsewhere.example"]).cert for n in range(3)]
    bag = [unrelated[0], unrelated[1], alice.cert, unrelated[2]]
    verdict = _verify(cms_signed_data(CONTENT, [SignerSpec(alice)], bag), trust)
    assert verdict.valid
    assert verdict.signer == alice.cert


def test_forged_certificate_with_the_same_identifier(trust: TrustContext, alice: Issued) -> None:
    # Another CA of the same name issues a certificate with alice's serial and another key.
    impostor_ca = TestCA("Verify Test Root", slot=7)
    forged = impostor_ca.issue([ALICE], key_kind="rsa2048", slot=5, serial=alice.cert.serial_number)
    real = cms_signed_data(CONTENT, [SignerSpec(alice)], [forged.cert, alice.cert])
    verdict = _verify(real, trust)
    assert verdict.valid, verdict.reason
    assert verdict.signer == alice.cert
    # Signed by the forger: the signature checks, the chain does not.
    fake = cms_signed_data(CONTENT, [SignerSpec(forged)], [forged.cert])
    verdict = _verify(fake, trust)
    assert not verdict.valid
    assert "not trusted" in verdict.reason


def test_signer_certificate_missing(ca: TestCA, trust: TrustContext, alice: Issued) -> None:
    other = ca.issue(["bob@clinic.example"]).cert
    verdict = _verify(cms_signed_data(CONTENT, [SignerSpec(alice)], [other]), trust)
    assert (verdict.valid, verdict.reason, verdict.signer) == (
        False,
        text("signature.signer_cert_missing"),
        None,
    )


def test_several_signers_first_valid_wins(
    trust: TrustContext, alice: Issued, alice_ec: Issued
) -> None:
    broken = SignerSpec(alice, corrupt_signature=True)
    der = cms_signed_data(CONTENT, [broken, SignerSpec(alice_ec)])
    verdict = _verify(der, trust)
    assert verdict.valid
    assert verdict.signer == alice_ec.cert
    both_broken = cms_signed_data(CONTENT, [broken, SignerSpec(alice_ec, corrupt_signature=True)])
    verdict = _verify(both_broken, trust)
    # The set of signers is sorted in DER, so "first" is whichever sorts first.
    assert (verdict.valid, verdict.reason) == (False, text("signature.bad_signature"))
    assert verdict.signer in (alice.cert, alice_ec.cert)


@pytest.mark.parametrize("stream", [False, True])
def test_opaque_signature_returns_its_content(
    trust: TrustContext, alice: Issued, stream: bool
) -> None:
    der = cms_signed_data(CONTENT, [SignerSpec(alice)], encapsulate=True)
    if stream:
        der = streamed_signed_data(der, 7)
        assert der[:2] == b"\x30\x80"
    verdict, content = verify_opaque(der, trust=trust, at=NOW, from_address_key=ALICE)
    assert verdict.valid, verdict.reason
    assert content == CONTENT
    assert _verify(der, trust, None).valid


def test_detached_signature_needs_its_content(trust: TrustContext, alice: Issued) -> None:
    der = cms_signed_data(CONTENT, [SignerSpec(alice)])
    with pytest.raises(SignatureError):
        verify_opaque(der, trust=trust, at=NOW, from_address_key=ALICE)
    with pytest.raises(SignatureError):
        _verify(der, trust, None)


def test_capabilities_only_from_a_valid_signature(trust: TrustContext, alice: Issued) -> None:
    der = sign_detached(CONTENT, alice.cert, alice.key, signing_time=NOW)  # type: ignore[arg-type]
    valid = _verify(der, trust)
    assert valid.capabilities[:4] == ("aes256-gcm", "aes128-gcm", "aes256-cbc", "aes128-cbc")
    tampered = _verify(der, trust, CONTENT + b"x")
    assert tampered.capabilities == ()


def test_naive_time_is_a_programming_error(trust: TrustContext, alice: Issued) -> None:
    der = cms_signed_data(CONTENT, [SignerSpec(alice)])
    with pytest.raises(ValueError, match="timezone"):
        verify_signature(
            der, CONTENT, trust=trust, at=dt.datetime(2026, 6, 1), from_address_key=None
        )
