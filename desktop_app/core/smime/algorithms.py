"""Algorithm choices, their CMS identifiers, and ASN.1 types that asn1crypto lacks."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar, Final

from asn1crypto import cms, core
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

OID_DATA: Final = "1.2.840.113549.1.7.1"
OID_SIGNED_DATA: Final = "1.2.840.113549.1.7.2"
OID_ENVELOPED_DATA: Final = "1.2.840.113549.1.7.3"
OID_AUTH_ENVELOPED_DATA: Final = "1.2.840.113549.1.9.16.1.23"
OID_EC_PUBLIC_KEY: Final = "1.2.840.10045.2.1"
# dhSinglePass-stdDH-sha256kdf-scheme (RFC 5753): what we send to EC recipients.
OID_ECDH_STD_SHA256: Final = "1.3.132.1.11.1"


class ContentCipher(StrEnum):
    """Content encryption for sealing: CBC makes EnvelopedData, GCM AuthEnvelopedData."""

    AES256_CBC = "aes256-cbc"
    AES128_CBC = "aes128-cbc"
    AES256_GCM = "aes256-gcm"
    AES128_GCM = "aes128-gcm"


class KeyTransport(StrEnum):
    """How the content key reaches an RSA recipient; EC recipients always use ECDH."""

    RSA_PKCS1V15 = "rsa-pkcs1v15"
    RSA_OAEP = "rsa-oaep"  # SHA-256 with MGF1-SHA-256, as RFC 8551 recommends


@dataclass(frozen=True)
class CipherSpec:
    """A content-encryption algorithm as it appears in CMS."""

    asn1_name: str  # asn1crypto's name of the algorithm OID
    label: str  # shown to the user, e.g. "AES-256-CBC"
    key_size: int  # bytes
    authenticated: bool  # GCM (AuthEnvelopedData) rather than CBC
    iv_size: int  # CBC IV size; 0 for GCM, whose nonce is in GCMParameters
    weak: bool = False


_SPECS: Final = (
    CipherSpec("aes128_cbc", "AES-128-CBC", 16, False, 16),
    CipherSpec("aes192_cbc", "AES-192-CBC", 24, False, 16),
    CipherSpec("aes256_cbc", "AES-256-CBC", 32, False, 16),
    # Still found in old mail (and OpenSSL's default); readable, never written.
    CipherSpec("tripledes_3key", "3DES-CBC", 24, False, 8, weak=True),
    CipherSpec("aes128_gcm", "AES-128-GCM", 16, True, 0),
    CipherSpec("aes192_gcm", "AES-192-GCM", 24, True, 0),
    CipherSpec("aes256_gcm", "AES-256-GCM", 32, True, 0),
)
CIPHERS_BY_ASN1: Final = {spec.asn1_name: spec for spec in _SPECS}
SEAL_CIPHERS: Final = {
    ContentCipher.AES256_CBC: CIPHERS_BY_ASN1["aes256_cbc"],
    ContentCipher.AES128_CBC: CIPHERS_BY_ASN1["aes128_cbc"],
    ContentCipher.AES256_GCM: CIPHERS_BY_ASN1["aes256_gcm"],
    ContentCipher.AES128_GCM: CIPHERS_BY_ASN1["aes128_gcm"],
}

# RFC 5084 allows 12 to 16 tag bytes; we always write 16, and OpenSSL 3.0 needs ICVlen written.
GCM_TAG_SIZE: Final = 16
GCM_MIN_TAG_SIZE: Final = 12
GCM_NONCE_SIZE: Final = 12

# AES key wrap algorithm per key-encryption-key size (bytes), and back.
WRAP_BY_KEY_SIZE: Final = {16: "aes128_wrap", 24: "aes192_wrap", 32: "aes256_wrap"}
KEY_SIZE_BY_WRAP: Final = {name: size for size, name in WRAP_BY_KEY_SIZE.items()}


@dataclass(frozen=True)
class EcdhScheme:
    """An RFC 5753 / SEC 1 ECDH key-agreement scheme: its KDF hash."""

    label: str
    hash_type: type[hashes.HashAlgorithm]


# asn1crypto does not know these OIDs, so they are compared dotted. The cofactor variants
# compute the same secret as the standard ones on the NIST prime curves (cofactor 1).
ECDH_SCHEMES: Final[dict[str, EcdhScheme]] = {
    "1.3.133.16.840.63.0.2": EcdhScheme("SHA-1", hashes.SHA1),
    "1.3.132.1.11.0": EcdhScheme("SHA-224", hashes.SHA224),
    OID_ECDH_STD_SHA256: EcdhScheme("SHA-256", hashes.SHA256),
    "1.3.132.1.11.2": EcdhScheme("SHA-384", hashes.SHA384),
    "1.3.132.1.11.3": EcdhScheme("SHA-512", hashes.SHA512),
    "1.3.133.16.840.63.0.3": EcdhScheme("SHA-1", hashes.SHA1),
    "1.3.132.1.14.0": EcdhScheme("SHA-224", hashes.SHA224),
    "1.3.132.1.14.1": EcdhScheme("SHA-256", hashes.SHA256),
    "1.3.132.1.14.2": EcdhScheme("SHA-384", hashes.SHA384),
    "1.3.132.1.14.3": EcdhScheme("SHA-512", hashes.SHA512),
}

# Curves an EC recipient may use, by cryptography's curve name, with labels and the
# asn1crypto names of their OIDs (for an originator key that names its curve).
CURVES: Final[dict[str, tuple[str, str, ec.EllipticCurve]]] = {
    "secp256r1": ("P-256", "secp256r1", ec.SECP256R1()),
    "secp384r1": ("P-384", "secp384r1", ec.SECP384R1()),
    "secp521r1": ("P-521", "secp521r1", ec.SECP521R1()),
}


class GcmParameters(core.Sequence):  # type: ignore[misc]  # asn1crypto is untyped
    """RFC 5084 GCMParameters; asn1crypto 1.5 has no declaration for it."""

    _fields: ClassVar = [
        ("aes_nonce", core.OctetString),
        ("aes_icvlen", core.Integer, {"default": 12}),
    ]


class EccCmsSharedInfo(core.Sequence):  # type: ignore[misc]  # asn1crypto is untyped
    """RFC 5753 ECC-CMS-SharedInfo, the X9.63 KDF's shared info."""

    _fields: ClassVar = [
        ("key_info", cms.KeyEncryptionAlgorithm),
        ("entity_u_info", core.OctetString, {"explicit": 0, "optional": True}),
        ("supp_pub_info", core.OctetString, {"explicit": 2}),
    ]
