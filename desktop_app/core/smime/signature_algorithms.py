"""Digest and signature algorithms of CMS signatures: identifiers, strength, and checking."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import ClassVar, Final

from asn1crypto import algos, core
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes


class PlainAlgorithmIdentifier(core.Sequence):  # type: ignore[misc]  # asn1crypto is untyped
    """An AlgorithmIdentifier whose parameters are written exactly as given.

    asn1crypto's own classes add NULL parameters to the SHA-2 identifiers; RFC 5754 3 asks
    writers to leave them absent, as OpenSSL does.
    """

    _fields: ClassVar = [
        ("algorithm", core.ObjectIdentifier),
        ("parameters", core.Any, {"optional": True}),
    ]


class OaepSha2Parameters(core.Sequence):  # type: ignore[misc]  # asn1crypto is untyped
    """RSAES-OAEP-params with a SHA-2 hash and MGF1 (the label is always the empty default)."""

    _fields: ClassVar = [
        ("hash_algorithm", PlainAlgorithmIdentifier, {"explicit": 0}),
        ("mask_gen_algorithm", PlainAlgorithmIdentifier, {"explicit": 1}),
    ]


class PssParameters(core.Sequence):  # type: ignore[misc]  # asn1crypto is untyped
    """RSASSA-PSS-params as we write them: hash, MGF1 with that hash, salt length."""

    _fields: ClassVar = [
        ("hash_algorithm", PlainAlgorithmIdentifier, {"explicit": 0}),
        ("mask_gen_algorithm", PlainAlgorithmIdentifier, {"explicit": 1}),
        ("salt_length", core.Integer, {"explicit": 2}),
    ]


class Strength(Enum):
    """How far a hash can be relied on for a signature."""

    GOOD = "good"
    WEAK = "weak"  # collisions found (SHA-1): not accepted as valid, but checked
    BROKEN = "broken"  # MD5: refused before any checking


@dataclass(frozen=True)
class HashSpec:
    """A digest algorithm as CMS and S/MIME name it."""

    label: str  # shown to the user
    micalg: str  # RFC 8551 3.5.3.2 name for multipart/signed
    make: Callable[[], hashes.HashAlgorithm] | None  # None: never computed
    strength: Strength = Strength.GOOD


OID_MD5: Final = "1.2.840.113549.2.5"
OID_SHA1: Final = "1.3.14.3.2.26"
OID_SHA256: Final = "2.16.840.1.101.3.4.2.1"
OID_MGF1: Final = "1.2.840.113549.1.1.8"

HASHES: Final[dict[str, HashSpec]] = {
    OID_MD5: HashSpec("MD5", "md5", None, Strength.BROKEN),
    OID_SHA1: HashSpec("SHA-1", "sha-1", hashes.SHA1, Strength.WEAK),
    "2.16.840.1.101.3.4.2.4": HashSpec("SHA-224", "sha-224", hashes.SHA224),
    OID_SHA256: HashSpec("SHA-256", "sha-256", hashes.SHA256),
    "2.16.840.1.101.3.4.2.2": HashSpec("SHA-384", "sha-384", hashes.SHA384),
    "2.16.840.1.101.3.4.2.3": HashSpec("SHA-512", "sha-512", hashes.SHA512),
    "2.16.840.1.101.3.4.2.8": HashSpec("SHA3-256", "sha3-256", hashes.SHA3_256),
    "2.16.840.1.101.3.4.2.9": HashSpec("SHA3-384", "sha3-384", hashes.SHA3_384),
    "2.16.840.1.101.3.4.2.10": HashSpec("SHA3-512", "sha3-512", hashes.SHA3_512),
}
# The hashes we sign with, by cryptography's name.
SIGNING_HASH_OIDS: Final = {
    "sha256": OID_SHA256,
    "sha384": "2.16.840.1.101.3.4.2.2",
    "sha512": "2.16.840.1.101.3.4.2.3",
}

OID_RSA_ENCRYPTION: Final = "1.2.840.113549.1.1.1"
OID_RSASSA_PSS: Final = "1.2.840.113549.1.1.10"
OID_EC_PUBLIC_KEY: Final = "1.2.840.10045.2.1"
OID_ED25519: Final = "1.3.101.112"
# ecdsa-with-SHA2 identifiers by hash OID, for signing.
ECDSA_BY_HASH: Final = {
    OID_SHA256: "1.2.840.10045.4.3.2",
    "2.16.840.1.101.3.4.2.2": "1.2.840.10045.4.3.3",
    "2.16.840.1.101.3.4.2.3": "1.2.840.10045.4.3.4",
}


class Kind(Enum):
    """The signature primitive."""

    PKCS1 = "RSA"
    PSS = "RSA-PSS"
    ECDSA = "ECDSA"
    ED25519 = "Ed25519"


# Signature algorithm OIDs that name their hash, and those that take it from digestAlgorithm
# (None). OpenSSL writes rsaEncryption; some writers put id-ecPublicKey for ECDSA.
_SCHEMES: Final[dict[str, tuple[Kind, str | None]]] = {
    OID_RSA_ENCRYPTION: (Kind.PKCS1, None),
    "1.2.840.113549.1.1.4": (Kind.PKCS1, OID_MD5),
    "1.2.840.113549.1.1.5": (Kind.PKCS1, OID_SHA1),
    "1.2.840.113549.1.1.14": (Kind.PKCS1, "2.16.840.1.101.3.4.2.4"),
    "1.2.840.113549.1.1.11": (Kind.PKCS1, OID_SHA256),
    "1.2.840.113549.1.1.12": (Kind.PKCS1, "2.16.840.1.101.3.4.2.2"),
    "1.2.840.113549.1.1.13": (Kind.PKCS1, "2.16.840.1.101.3.4.2.3"),
    OID_EC_PUBLIC_KEY: (Kind.ECDSA, None),
    "1.2.840.10045.4.1": (Kind.ECDSA, OID_SHA1),
    "1.2.840.10045.4.3.1": (Kind.ECDSA, "2.16.840.1.101.3.4.2.4"),
    "1.2.840.10045.4.3.2": (Kind.ECDSA, OID_SHA256),
    "1.2.840.10045.4.3.3": (Kind.ECDSA, "2.16.840.1.101.3.4.2.2"),
    "1.2.840.10045.4.3.4": (Kind.ECDSA, "2.16.840.1.101.3.4.2.3"),
}
# RFC 5652 5.3 lets a signer use a trailer other than 0xBC in theory; nobody does.
_PSS_TRAILER = 1


class UnsupportedScheme(Exception):
    """The signature algorithm is unknown or its parameters are; ``algorithm`` names it."""

    def __init__(self, algorithm: str) -> None:
        super().__init__(algorithm)
        self.algorithm = algorithm


class SchemeMismatch(Exception):
    """The signature algorithm contradicts the digest algorithm."""


@dataclass(frozen=True)
class Scheme:
    """A resolved signature scheme: what to check the signature bytes with."""

    kind: Kind
    hash: HashSpec | None  # None for Ed25519, which hashes internally
    mgf_hash: HashSpec | None = None  # PSS only
    salt_length: int = 0  # PSS only

    def hashes(self) -> tuple[HashSpec, ...]:
        return tuple(spec for spec in (self.hash, self.mgf_hash) if spec is not None)


def hash_spec(oid: str) -> HashSpec:
    """The digest algorithm with this dotted OID; UnsupportedScheme if unknown."""
    spec = HASHES.get(oid)
    if spec is None:
        raise UnsupportedScheme(oid)
    return spec


def resolve_scheme(algorithm: algos.SignedDigestAlgorithm, digest_oid: str) -> Scheme:
    """The scheme of a SignerInfo's signatureAlgorithm, given its digestAlgorithm OID.

    Raises:
        UnsupportedScheme: an algorithm or parameter this module does not check.
        SchemeMismatch: the signature algorithm names another hash than digestAlgorithm.
        ValueError, TypeError: the parameters do not parse (the caller reports malformed).
    """
    oid = algorithm["algorithm"].dotted
    if oid == OID_RSASSA_PSS:
        return _pss_scheme(algorithm["parameters"])
    if oid == OID_ED25519:
        return Scheme(Kind.ED25519, None)
    known = _SCHEMES.get(oid)
    if known is None:
        raise UnsupportedScheme(oid)
    kind, named_hash = known
    # OpenSSL hashes the attributes with digestAlgorithm whatever the signature OID says, so a
    # disagreement between the two would make the result depend on the verifier.
    if named_hash is not None and named_hash != digest_oid:
        raise SchemeMismatch
    return Scheme(kind, hash_spec(digest_oid))


def _pss_scheme(parameters: core.Asn1Value) -> Scheme:
    # Absent parameters mean the RFC 4055 defaults (SHA-1, MGF1-SHA-1, salt 20).
    params = algos.RSASSAPSSParams() if isinstance(parameters, core.Void) else parameters
    mgf = params["mask_gen_algorithm"]
    if mgf["algorithm"].dotted != OID_MGF1:
        raise UnsupportedScheme(mgf["algorithm"].dotted)
    if params["trailer_field"].native not in (_PSS_TRAILER, "trailer_field_bc"):
        raise UnsupportedScheme("RSASSA-PSS trailer")
    salt_length = params["salt_length"].native
    if not isinstance(salt_length, int) or not 0 <= salt_length <= 1024:
        raise UnsupportedScheme("RSASSA-PSS salt length")
    return Scheme(
        Kind.PSS,
        hash_spec(params["hash_algorithm"]["algorithm"].dotted),
        hash_spec(mgf["parameters"]["algorithm"].dotted),
        salt_length,
    )


def key_fits(scheme: Scheme, key: CertificatePublicKeyTypes) -> bool:
    """True when the signer's public key is of the kind the scheme needs."""
    if scheme.kind in (Kind.PKCS1, Kind.PSS):
        return isinstance(key, rsa.RSAPublicKey)
    if scheme.kind is Kind.ECDSA:
        return isinstance(key, ec.EllipticCurvePublicKey)
    return isinstance(key, ed25519.Ed25519PublicKey)


def check_signature(
    scheme: Scheme, key: CertificatePublicKeyTypes, signature: bytes, data: bytes
) -> None:
    """Check ``signature`` over ``data``; the key must fit the scheme (see ``key_fits``).

    Raises:
        cryptography.exceptions.InvalidSignature: the signature does not check.
        ValueError: the key does not fit, or the scheme has a hash that is never computed.
    """
    if scheme.kind is Kind.ED25519:
        if not isinstance(key, ed25519.Ed25519PublicKey):
            raise ValueError("not an Ed25519 key")
        key.verify(signature, data)
        return
    if scheme.hash is None or scheme.hash.make is None:
        raise ValueError("hash refused")
    algorithm = scheme.hash.make()
    if scheme.kind is Kind.ECDSA:
        if not isinstance(key, ec.EllipticCurvePublicKey):
            raise ValueError("not an EC key")
        key.verify(signature, data, ec.ECDSA(algorithm))
        return
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("not an RSA key")
    if scheme.kind is Kind.PKCS1:
        key.verify(signature, data, padding.PKCS1v15(), algorithm)
        return
    if scheme.mgf_hash is None or scheme.mgf_hash.make is None:
        raise ValueError("hash refused")
    pss = padding.PSS(mgf=padding.MGF1(scheme.mgf_hash.make()), salt_length=scheme.salt_length)
    key.verify(signature, data, pss, algorithm)


def digest_algorithm_identifier(oid: str) -> PlainAlgorithmIdentifier:
    """A digest AlgorithmIdentifier with absent parameters (RFC 5754 2)."""
    return PlainAlgorithmIdentifier({"algorithm": oid})


def pss_parameters(hash_oid: str, salt_length: int) -> PssParameters:
    """RSASSA-PSS-params with MGF1 over the same hash."""
    digest = digest_algorithm_identifier(hash_oid)
    mgf1 = PlainAlgorithmIdentifier({"algorithm": OID_MGF1, "parameters": digest})
    return PssParameters(
        {"hash_algorithm": digest, "mask_gen_algorithm": mgf1, "salt_length": salt_length}
    )
