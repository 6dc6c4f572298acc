"""The encryption verdict: one test per rule, the priority order, the verifier's quirks."""

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, ExtensionOID, ObjectIdentifier

from desktop_app.core.pki.certificates import email_addresses, is_ca
from desktop_app.core.pki.trust import TrustContext, check_chain
from desktop_app.core.pki.usability import CertCode, evaluate_for_encryption
from tests.core.pki.encryption_verdicts import (
    ALICE,
    DAY,
    INTER,
    ROOT,
    RSA_INTER,
    RSA_ROOT,
    RSA_TRUST,
    TRUST,
    assert_only,
    verdict,
)
from tests.factories.certs import NOW, TestCA

# Usable certificates


@pytest.mark.parametrize("key_kind", ["rsa2048", "p256", "p384", "p521"])
def test_good_certificate_with_intermediate_is_usable(key_kind: str) -> None:
    result = verdict(INTER.issue((ALICE,), key_kind=key_kind))
    assert result.code is CertCode.OK
    assert result.usable
    assert result.problems == ()
    assert ALICE in result.reason


def test_issued_directly_by_the_root() -> None:
    assert verdict(ROOT.issue((ALICE,)), trust=TrustContext(anchors=(ROOT.cert,))).usable


def test_address_comparison_uses_the_address_key() -> None:
    assert verdict(INTER.issue(("Alice@EXAMPLE.org",))).usable


def test_absent_key_usage_and_eku_do_not_restrict() -> None:
    assert verdict(INTER.issue((ALICE,), key_usage=None, eku=None)).usable


@pytest.mark.parametrize(
    "eku",
    [
        (ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE,),
        (ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.EMAIL_PROTECTION),
    ],
    ids=["any", "client-and-email"],
)
def test_eku_allowing_email(eku: tuple[ObjectIdentifier, ...]) -> None:
    assert verdict(INTER.issue((ALICE,), eku=eku)).usable


def test_validity_bounds_are_inclusive() -> None:
    issued = INTER.issue((ALICE,), not_before=NOW - DAY, not_after=NOW + DAY)
    assert verdict(issued, at=NOW - DAY).usable
    assert verdict(issued, at=NOW + DAY).usable


# Address


def test_other_address_is_wrong_usage() -> None:
    result = verdict(INTER.issue(("bob@example.org",)))
    assert_only(result, CertCode.WRONG_USAGE, "issued for bob@example.org, not alice@example.org")


def test_legacy_subject_email_is_the_fallback_without_san_addresses() -> None:
    assert verdict(INTER.issue((), subject_email=ALICE)).usable


def test_legacy_subject_email_is_ignored_when_the_san_has_addresses() -> None:
    issued = INTER.issue(("bob@example.org",), subject_email=ALICE)
    assert verdict(issued).code is CertCode.WRONG_USAGE


def test_no_address_at_all() -> None:
    assert_only(verdict(INTER.issue(())), CertCode.WRONG_USAGE, "names no e-mail address")


# Extensions that do not parse: fail closed


@pytest.mark.parametrize(
    "oid",
    [
        ExtensionOID.KEY_USAGE,
        ExtensionOID.EXTENDED_KEY_USAGE,
        ExtensionOID.SUBJECT_ALTERNATIVE_NAME,
    ],
    ids=["ku", "eku", "san"],
)
def test_unparseable_extension_is_wrong_usage(oid: ObjectIdentifier) -> None:
    issued = INTER.issue((ALICE,), malformed_extension=oid)
    assert_only(verdict(issued), CertCode.WRONG_USAGE, "extensions that cannot be read")


# Key usage and key type


def test_rsa_without_key_encipherment() -> None:
    issued = INTER.issue((ALICE,), key_usage="signing")
    assert_only(verdict(issued), CertCode.WRONG_USAGE, "key encipherment")


def test_ec_without_key_agreement() -> None:
    issued = INTER.issue((ALICE,), key_kind="p256", key_usage="signing")
    assert_only(verdict(issued), CertCode.WRONG_USAGE, "key agreement")


def test_ed25519_cannot_encrypt() -> None:
    issued = INTER.issue((ALICE,), key_kind="ed25519", key_usage=None)
    assert_only(verdict(issued), CertCode.WRONG_USAGE, "Ed25519 key can sign but cannot encrypt")


def test_eku_without_email_protection() -> None:
    issued = INTER.issue((ALICE,), eku=(ExtendedKeyUsageOID.SERVER_AUTH,))
    assert_only(verdict(issued), CertCode.WRONG_USAGE, "not issued for e-mail protection")


# Validity


def test_expired() -> None:
    issued = INTER.issue((ALICE,), not_before=NOW - 400 * DAY, not_after=NOW - 2 * DAY)
    assert_only(verdict(issued), CertCode.EXPIRED, "expired on 2026-05-30")


def test_not_yet_valid() -> None:
    issued = INTER.issue((ALICE,), not_before=NOW + 3 * DAY, not_after=NOW + 400 * DAY)
    assert_only(verdict(issued), CertCode.NOT_YET_VALID, "not valid until 2026-06-04")


def test_expired_and_untrusted_are_told_apart() -> None:
    issued = INTER.issue((ALICE,), not_before=NOW - 400 * DAY, not_after=NOW - 2 * DAY)
    result = verdict(issued, trust=TrustContext(anchors=(RSA_ROOT.cert,)))
    assert result.code is CertCode.EXPIRED
    assert len(result.problems) == 2
    assert "Test Intermediate CA" in result.problems[1]


# Key strength


@pytest.mark.parametrize(
    ("key_kind", "fragment"),
    [("rsa1024", "only 1024 bits"), ("p192", "P-192 curve"), ("k256", "secp256k1 curve")],
)
def test_weak_keys(key_kind: str, fragment: str) -> None:
    assert_only(verdict(INTER.issue((ALICE,), key_kind=key_kind)), CertCode.WEAK_KEY, fragment)


# Weak signature hashes


@pytest.mark.parametrize(("hash_name", "shown"), [("sha1", "SHA-1"), ("md5", "MD5")])
def test_leaf_signed_with_weak_hash(hash_name: str, shown: str) -> None:
    issued = RSA_INTER.issue((ALICE,), hash_name=hash_name)
    result = verdict(issued, trust=RSA_TRUST)
    assert_only(result, CertCode.UNTRUSTED, f"certificate is signed with {shown}")


def test_intermediate_signed_with_sha1() -> None:
    weak_inter = RSA_ROOT.intermediate("SHA-1 Intermediate", hash_name="sha1")
    trust = TrustContext(anchors=(RSA_ROOT.cert,), intermediates=(weak_inter.cert,))
    result = verdict(weak_inter.issue((ALICE,)), trust=trust)
    assert_only(
        result, CertCode.UNTRUSTED, "“SHA-1 Intermediate” in its chain is signed with SHA-1"
    )


def test_self_signed_anchor_may_use_sha1() -> None:
    old_root = TestCA("Old SHA-1 Root", key_kind="rsa2048", hash_name="sha1")
    assert verdict(old_root.issue((ALICE,)), trust=TrustContext(anchors=(old_root.cert,))).usable


# Priority of the primary code; every problem is still listed, in priority order


def test_unparseable_beats_revoked() -> None:
    issued = INTER.issue((ALICE,), malformed_extension=ExtensionOID.KEY_USAGE)
    trust = TrustContext((ROOT.cert,), (INTER.cert,), (INTER.crl([issued.cert.serial_number]),))
    result = verdict(issued, trust=trust)
    assert result.code is CertCode.WRONG_USAGE
    assert "cannot be read" in result.reason
    assert "revoked" in result.problems[1]


def test_revoked_beats_expired() -> None:
    issued = INTER.issue((ALICE,), not_after=NOW - 2 * DAY)
    trust = TrustContext((ROOT.cert,), (INTER.cert,), (INTER.crl([issued.cert.serial_number]),))
    result = verdict(issued, trust=trust)
    assert result.code is CertCode.REVOKED
    assert "expired" in result.problems[1]


def test_not_yet_valid_beats_untrusted() -> None:
    issued = INTER.issue((ALICE,), not_before=NOW + DAY, not_after=NOW + 400 * DAY)
    result = verdict(issued, trust=TrustContext(anchors=(ROOT.cert,)))
    assert result.code is CertCode.NOT_YET_VALID
    assert "Test Intermediate CA" in result.problems[1]


def test_untrusted_beats_usage_which_beats_weak_key() -> None:
    issued = INTER.issue(("bob@example.org",), key_kind="rsa1024", key_usage="signing")
    result = verdict(issued, trust=TrustContext(anchors=(RSA_ROOT.cert,)))
    assert result.code is CertCode.UNTRUSTED
    assert len(result.problems) == 4
    assert "Test Intermediate CA" in result.problems[0]
    assert "bob@example.org" in result.problems[1]
    assert "key encipherment" in result.problems[2]
    assert "1024 bits" in result.problems[3]


def test_usage_beats_weak_key() -> None:
    result = verdict(INTER.issue((ALICE,), key_kind="p192", key_usage="signing"))
    assert result.code is CertCode.WRONG_USAGE
    assert result.problems[1].endswith("only P-256, P-384 and P-521 are accepted.")


# Contract


def test_naive_time_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        verdict(INTER.issue((ALICE,)), at=NOW.replace(tzinfo=None))


def test_verified_chain_runs_from_leaf_to_anchor() -> None:
    issued = INTER.issue((ALICE,))
    check = check_chain(issued.cert, TRUST, NOW)
    assert check.trusted
    assert check.chain == (issued.cert, INTER.cert, ROOT.cert)


def test_a_repeated_extension_is_unusable_not_a_crash() -> None:
    # cryptography raises DuplicateExtension, not ValueError, when such extensions are read.
    ca = TestCA("Doubled Root")
    issued = ca.issue(["dup@example.org"], key_kind="p256")
    tbs = asn1_x509.Certificate.load(issued.der)["tbs_certificate"]
    extensions = list(tbs["extensions"])
    tbs["extensions"] = [*extensions, extensions[-1]]
    tbs_der = tbs.dump(force=True)
    signature = ca.key.sign(tbs_der, ec.ECDSA(hashes.SHA256()))  # type: ignore[call-arg, union-attr]
    doubled = x509.load_der_x509_certificate(
        asn1_x509.Certificate(
            {
                "tbs_certificate": asn1_x509.TbsCertificate.load(tbs_der),
                "signature_algorithm": {"algorithm": "sha256_ecdsa"},
                "signature_value": signature,
            }
        ).dump()
    )
    assert email_addresses(doubled) == ()
    assert is_ca(doubled) is False
    verdict = evaluate_for_encryption(doubled, "dup@example.org", NOW, TrustContext((ca.cert,)))
    assert verdict.code is CertCode.WRONG_USAGE
