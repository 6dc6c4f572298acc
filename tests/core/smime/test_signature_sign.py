"""sign_detached: the exact SignedData structure, and that it verifies for each key kind."""

from __future__ import annotations

import datetime as dt

import pytest
from asn1crypto import cms
from cryptography.hazmat.primitives import hashes, serialization

from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.smime.capabilities import (
    AES128_CBC,
    AES256_CBC,
    ECDH_SHA256_AES256_WRAP,
    Capability,
)
from desktop_app.core.smime.signature_errors import SignatureError
from desktop_app.core.smime.signature_sign import sign_detached
from desktop_app.core.smime.signature_verify import verify_signature
from tests.factories.certs import NOW, Issued, TestCA, private_key

CONTENT = b"Content-Type: text/plain; charset=utf-8\r\n\r\nBefund anbei.\r\n"
ALICE = "alice@clinic.example"


@pytest.fixture(scope="module")
def ca() -> TestCA:
    return TestCA("Signing Test CA")


@pytest.fixture(scope="module")
def intermediate(ca: TestCA) -> TestCA:
    return ca.intermediate("Signing Test Intermediate")


@pytest.fixture(scope="module")
def rsa_signer(intermediate: TestCA) -> Issued:
    return intermediate.issue([ALICE], key_kind="rsa2048")


@pytest.fixture(scope="module")
def ec_signer(ca: TestCA) -> Issued:
    return ca.issue([ALICE], key_kind="p256")


def _signer_info(der: bytes) -> cms.SignerInfo:
    info = cms.ContentInfo.load(der)
    signer_infos = info["content"]["signer_infos"]
    assert len(signer_infos) == 1
    return signer_infos[0]


def _attributes(info: cms.SignerInfo) -> dict[str, cms.CMSAttribute]:
    return {attribute["type"].dotted: attribute for attribute in info["signed_attrs"]}


def test_structure_is_detached_v1_with_the_rfc_8551_attributes(
    rsa_signer: Issued, intermediate: TestCA
) -> None:
    der = sign_detached(
        CONTENT, rsa_signer.cert, rsa_signer.key, chain=[intermediate.cert], signing_time=NOW
    )
    info = cms.ContentInfo.load(der)
    assert info["content_type"].native == "signed_data"
    signed_data = info["content"]
    assert signed_data["version"].native == "v1"
    assert signed_data["encap_content_info"]["content_type"].native == "data"
    assert signed_data["encap_content_info"]["content"].native is None  # detached
    # RFC 5754: SHA-2 digest identifiers are written without parameters.
    assert signed_data["digest_algorithms"].dump().hex().endswith("300b0609608648016503040201")
    carried = [choice.chosen.dump() for choice in signed_data["certificates"]]
    assert sorted(carried) == sorted(
        [rsa_signer.der, intermediate.cert.public_bytes(serialization.Encoding.DER)]
    )
    signer = signed_data["signer_infos"][0]
    assert signer["version"].native == "v1"
    assert signer["sid"].name == "issuer_and_serial_number"
    assert signer["sid"].chosen["serial_number"].native == rsa_signer.cert.serial_number
    assert signer["signature_algorithm"]["algorithm"].dotted == "1.2.840.113549.1.1.1"
    attributes = _attributes(signer)
    assert attributes["1.2.840.113549.1.9.3"]["values"][0].native == "data"
    assert attributes["1.2.840.113549.1.9.5"]["values"][0].native == NOW
    digest = hashes.Hash(hashes.SHA256())
    digest.update(CONTENT)
    assert attributes["1.2.840.113549.1.9.4"]["values"][0].native == digest.finalize()
    preference = attributes["1.2.840.113549.1.9.16.2.11"]["values"][0]
    assert preference.name == "issuer_and_serial_number"
    assert preference.chosen.untag().dump() == signer["sid"].chosen.dump()
    capabilities = attributes["1.2.840.113549.1.9.15"]["values"][0]
    assert [entry["capability_id"].dotted for entry in capabilities] == [
        "2.16.840.1.101.3.4.1.46",  # AES-256-GCM
        "2.16.840.1.101.3.4.1.6",  # AES-128-GCM
        "2.16.840.1.101.3.4.1.42",  # AES-256-CBC
        "2.16.840.1.101.3.4.1.2",  # AES-128-CBC
        "1.2.840.113549.1.1.7",  # RSAES-OAEP
    ]
    # OAEP with SHA-256 and MGF1-SHA-256, in OpenSSL's form (CMS-NOTES 2).
    assert capabilities[4]["parameters"].dump().hex() == (
        "302ba00d300b0609608648016503040201a11a301806092a864886f70d010108300b0609608648016503040201"
    )


def test_signed_attributes_are_in_der_order(rsa_signer: Issued) -> None:
    signer = _signer_info(sign_detached(CONTENT, rsa_signer.cert, rsa_signer.key, signing_time=NOW))
    encoded = [attribute.dump() for attribute in signer["signed_attrs"]]
    assert encoded == sorted(encoded)


@pytest.mark.parametrize(
    ("kind", "rsa_pss", "hash_algorithm", "algorithm_oid"),
    [
        ("rsa", False, hashes.SHA256(), "1.2.840.113549.1.1.1"),
        ("rsa", True, hashes.SHA256(), "1.2.840.113549.1.1.10"),
        ("rsa", False, hashes.SHA512(), "1.2.840.113549.1.1.1"),
        ("ec", False, hashes.SHA256(), "1.2.840.10045.4.3.2"),
        ("ec", False, hashes.SHA384(), "1.2.840.10045.4.3.3"),
    ],
)
def test_each_key_kind_signs_and_verifies(
    ca: TestCA,
    intermediate: TestCA,
    rsa_signer: Issued,
    ec_signer: Issued,
    kind: str,
    rsa_pss: bool,
    hash_algorithm: hashes.HashAlgorithm,
    algorithm_oid: str,
) -> None:
    signer = rsa_signer if kind == "rsa" else ec_signer
    der = sign_detached(
        CONTENT,
        signer.cert,
        signer.key,  # type: ignore[arg-type]
        chain=[intermediate.cert],
        signing_time=NOW,
        hash=hash_algorithm,
        rsa_pss=rsa_pss,
    )
    info = _signer_info(der)
    assert info["signature_algorithm"]["algorithm"].dotted == algorithm_oid
    if rsa_pss:
        params = info["signature_algorithm"]["parameters"]
        assert params["salt_length"].native == 32  # the hash length: gpgsm needs it
        assert params["mask_gen_algorithm"]["parameters"]["algorithm"].native == "sha256"
    verdict = verify_signature(
        der, CONTENT, trust=TrustContext((ca.cert,)), at=NOW, from_address_key=ALICE
    )
    assert verdict.valid, verdict.reason
    assert verdict.signer == signer.cert
    assert verdict.signing_time == NOW


def test_chosen_capabilities_keep_their_order(ec_signer: Issued, ca: TestCA) -> None:
    chosen = (ECDH_SHA256_AES256_WRAP, AES128_CBC, AES256_CBC, Capability("1.2.3.4"))
    der = sign_detached(
        CONTENT, ec_signer.cert, ec_signer.key, signing_time=NOW, capabilities=chosen
    )
    verdict = verify_signature(
        der, CONTENT, trust=TrustContext((ca.cert,)), at=NOW, from_address_key=ALICE
    )
    assert verdict.capabilities == ("1.3.132.1.11.1", "aes128-cbc", "aes256-cbc", "1.2.3.4")


@pytest.mark.parametrize(
    ("moment", "choice"),
    [
        (dt.datetime(2049, 12, 31, 23, 59, 59, tzinfo=dt.UTC), "utc_time"),
        (dt.datetime(2050, 1, 1, tzinfo=dt.UTC), "generalized_time"),
        # Any zone is written as UTC, without fractions of a second.
        (
            dt.datetime(2026, 6, 1, 14, 0, 0, 999, tzinfo=dt.timezone(dt.timedelta(hours=2))),
            "utc_time",
        ),
    ],
)
def test_signing_time_encoding(rsa_signer: Issued, moment: dt.datetime, choice: str) -> None:
    der = sign_detached(CONTENT, rsa_signer.cert, rsa_signer.key, signing_time=moment)
    time = _attributes(_signer_info(der))["1.2.840.113549.1.9.5"]["values"][0]
    assert time.name == choice
    assert time.native == moment.replace(microsecond=0)


def test_key_of_another_certificate_is_refused(rsa_signer: Issued, ca: TestCA) -> None:
    other = ca.issue(["bob@clinic.example"], key_kind="rsa2048", slot=1)
    with pytest.raises(SignatureError):
        sign_detached(CONTENT, rsa_signer.cert, other.key, signing_time=NOW)  # type: ignore[arg-type]


def test_ed25519_key_is_refused(ca: TestCA) -> None:
    issued = ca.issue([ALICE], key_kind="ed25519")
    with pytest.raises(SignatureError):
        sign_detached(CONTENT, issued.cert, issued.key, signing_time=NOW)  # type: ignore[arg-type]


def test_programming_errors_raise_value_error(rsa_signer: Issued) -> None:
    key = private_key("rsa2048")
    with pytest.raises(ValueError, match="timezone"):
        sign_detached(CONTENT, rsa_signer.cert, key, signing_time=dt.datetime(2026, 6, 1))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="sha1"):
        sign_detached(CONTENT, rsa_signer.cert, key, signing_time=NOW, hash=hashes.SHA1())  # type: ignore[arg-type]
