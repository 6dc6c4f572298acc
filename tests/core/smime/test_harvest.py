"""harvest_candidate: only the signer's certificate, only from a valid signature by the sender."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.messages import text
from desktop_app.core.pki.certificates import fingerprint_sha256
from desktop_app.core.pki.stored import Source
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.smime.algorithms import ContentCipher, KeyTransport
from desktop_app.core.smime.harvest import (
    harvest_candidate,
)
from desktop_app.core.smime.signature_sign import sign_detached
from desktop_app.core.smime.signature_verify import SignatureVerdict, verify_signature
from desktop_app.services.certstore.store import CertStore
from tests.factories.certs import NOW, Issued, TestCA
from tests.factories.cms_signed import SignerSpec, cms_signed_data

CONTENT = b"Content-Type: text/plain\r\n\r\nTermin am Montag.\r\n"
ALICE = "alice@clinic.example"
BOB = "bob@clinic.example"


@pytest.fixture(scope="module")
def root() -> TestCA:
    return TestCA("Harvest Test Root")


@pytest.fixture(scope="module")
def intermediate(root: TestCA) -> TestCA:
    return root.intermediate("Harvest Test Intermediate")


@pytest.fixture(scope="module")
def trust(root: TestCA) -> TrustContext:
    return TrustContext((root.cert,))


@pytest.fixture(scope="module")
def alice(intermediate: TestCA) -> Issued:
    return intermediate.issue([ALICE])


@pytest.fixture(scope="module")
def bob(intermediate: TestCA) -> Issued:
    return intermediate.issue([BOB], slot=1)


def _verdict(
    der: bytes, trust: TrustContext, content: bytes = CONTENT, sender: str | None = ALICE
) -> SignatureVerdict:
    return verify_signature(der, content, trust=trust, at=NOW, from_address_key=sender)


def test_only_the_signers_certificate_is_learnt(
    trust: TrustContext, alice: Issued, bob: Issued, intermediate: TestCA
) -> None:
    # The message also carries bob's certificate and the intermediate: neither is offered.
    der = sign_detached(
        CONTENT,
        alice.cert,
        alice.key,  # type: ignore[arg-type]
        chain=[intermediate.cert, bob.cert],
        signing_time=NOW,
    )
    decision = harvest_candidate(_verdict(der, trust), ALICE, at=NOW)
    assert decision.harvested
    assert decision.certificate == alice.cert
    assert decision.capabilities == (
        ContentCipher.AES256_GCM,
        ContentCipher.AES128_GCM,
        ContentCipher.AES256_CBC,
        ContentCipher.AES128_CBC,
        KeyTransport.RSA_OAEP,
    )
    assert ALICE in decision.reason


def test_signer_certificate_listed_after_others(
    trust: TrustContext, alice: Issued, bob: Issued, intermediate: TestCA
) -> None:
    der = cms_signed_data(CONTENT, [SignerSpec(alice)], [bob.cert, intermediate.cert, alice.cert])
    assert harvest_candidate(_verdict(der, trust), ALICE, at=NOW).certificate == alice.cert


def test_tampered_message_teaches_nothing(
    trust: TrustContext, alice: Issued, intermediate: TestCA
) -> None:
    der = cms_signed_data(CONTENT, [SignerSpec(alice)], [alice.cert, intermediate.cert])
    decision = harvest_candidate(_verdict(der, trust, CONTENT + b"forged"), ALICE, at=NOW)
    assert (decision.certificate, decision.capabilities) == (None, ())
    assert text("signature.content_changed") in decision.reason


def test_signature_by_someone_else_teaches_nothing(
    trust: TrustContext, bob: Issued, intermediate: TestCA
) -> None:
    # Bob signs a message whose From says alice: bob's certificate must not become alice's.
    der = cms_signed_data(CONTENT, [SignerSpec(bob)], [bob.cert, intermediate.cert])
    checked_with_from = harvest_candidate(_verdict(der, trust), ALICE, at=NOW)
    assert checked_with_from.certificate is None
    assert BOB in checked_with_from.reason
    # Even a verdict made without the From check is caught here.
    checked_without_from = harvest_candidate(_verdict(der, trust, sender=None), ALICE, at=NOW)
    assert checked_without_from.certificate is None
    assert "not for the sender" in checked_without_from.reason


def test_untrusted_signer_teaches_nothing(alice: Issued, intermediate: TestCA) -> None:
    der = cms_signed_data(CONTENT, [SignerSpec(alice)], [alice.cert, intermediate.cert])
    untrusted = TrustContext((TestCA("Unrelated Root").cert,))
    decision = harvest_candidate(_verdict(der, untrusted), ALICE, at=NOW)
    assert decision.certificate is None
    assert "not trusted" in decision.reason


def test_outer_signature_around_encryption_teaches_nothing(
    trust: TrustContext, alice: Issued, intermediate: TestCA
) -> None:
    der = cms_signed_data(CONTENT, [SignerSpec(alice)], [alice.cert, intermediate.cert])
    verdict = _verdict(der, trust)
    assert verdict.valid
    decision = harvest_candidate(verdict, ALICE, signs_encrypted=True, at=NOW)
    assert (decision.certificate, decision.reason) == (None, text("harvest.signed_ciphertext"))
    enveloped = "1.2.840.113549.1.7.3"
    opaque_envelope = cms_signed_data(
        CONTENT,
        [SignerSpec(alice, content_type=enveloped)],
        [alice.cert, intermediate.cert],
        econtent_type=enveloped,
    )
    verdict = _verdict(opaque_envelope, trust)
    assert verdict.valid, verdict.reason
    assert harvest_candidate(verdict, ALICE, at=NOW).reason == text("harvest.signed_ciphertext")


def test_valid_verdict_without_signer_teaches_nothing() -> None:
    verdict = SignatureVerdict(True, "", None, (), None, (), "SHA-256")
    assert harvest_candidate(verdict, ALICE, at=NOW).reason == text("harvest.no_signer")


def test_decision_can_be_stored(
    tmp_path: Path, trust: TrustContext, alice: Issued, intermediate: TestCA
) -> None:
    der = cms_signed_data(CONTENT, [SignerSpec(alice)], [alice.cert, intermediate.cert])
    decision = harvest_candidate(_verdict(der, trust), ALICE, at=NOW)
    assert decision.certificate is not None
    with CertStore.open(tmp_path / "store.sqlite") as store:
        assert store.add_certificate(decision.certificate, Source.HARVESTED, NOW)
        [candidate] = store.candidates([ALICE])[ALICE]
        assert candidate.fingerprint == fingerprint_sha256(alice.cert)
        assert candidate.source is Source.HARVESTED
