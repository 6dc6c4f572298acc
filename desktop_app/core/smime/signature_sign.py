"""Make a detached CMS SignedData (RFC 5652 5, RFC 8551 2.5) over a MIME entity.

cryptography's PKCS7SignatureBuilder cannot write SMIMECapabilities of our choosing or the
encryption key preference, so the structure is built with asn1crypto and only the signature
itself is made with cryptography's primitives.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Final

from asn1crypto import algos, cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from desktop_app.core.messages import text
from desktop_app.core.smime.capabilities import (
    DEFAULT_CAPABILITIES,
    Capability,
    capabilities_attribute,
)
from desktop_app.core.smime.signature_algorithms import (
    ECDSA_BY_HASH,
    SIGNING_HASH_OIDS,
    digest_algorithm_identifier,
    pss_parameters,
)
from desktop_app.core.smime.signature_errors import (
    SignatureError,
)

SigningKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

SHA256: Final = hashes.SHA256()
# RFC 5652 11.3: UTCTime for 1950 to 2049, GeneralizedTime outside.
_UTC_TIME_YEARS: Final = range(1950, 2050)


def sign_detached(
    content: bytes,
    signer: x509.Certificate,
    key: SigningKey,
    *,
    chain: Sequence[x509.Certificate] = (),
    signing_time: datetime,
    capabilities: Sequence[Capability] = DEFAULT_CAPABILITIES,
    hash: hashes.HashAlgorithm = SHA256,
    rsa_pss: bool = False,
) -> bytes:
    """A DER ContentInfo holding a SignedData over ``content``, without the content itself.

    One SignerInfo (version 1, issuerAndSerialNumber) with the signed attributes contentType,
    signingTime, messageDigest, SMIMECapabilities (``capabilities`` in order) and
    sMIMEEncryptionKeyPreference naming ``signer``; the certificates are ``signer`` and then
    ``chain``. RSA keys sign with PKCS #1 v1.5, or RSASSA-PSS (salt = hash length, MGF1 with
    the same hash) when ``rsa_pss``; EC keys sign with ECDSA. ``content`` is signed exactly as
    given: the caller supplies the canonical (CRLF) MIME entity.

    Raises:
        SignatureError: ``key`` is not the certificate's key, or is of an unsupported kind.
        ValueError: ``signing_time`` is naive, or ``hash`` is not SHA-256/384/512.
    """
    return sign_detached_digest(
        content_digest(content, hash),
        signer,
        key,
        chain=chain,
        signing_time=signing_time,
        capabilities=capabilities,
        hash=hash,
        rsa_pss=rsa_pss,
    )


def content_digest(
    content: bytes | bytearray | memoryview | Iterable[bytes | memoryview],
    hash: hashes.HashAlgorithm,
) -> bytes:
    """The ``hash`` of ``content``: bytes, or the chunks of a stream in order."""
    digest = hashes.Hash(hash)
    if isinstance(content, bytes | bytearray | memoryview):
        digest.update(content)
    else:
        for chunk in content:
            digest.update(chunk)
    return digest.finalize()


def sign_detached_digest(
    digest: bytes,
    signer: x509.Certificate,
    key: SigningKey,
    *,
    chain: Sequence[x509.Certificate] = (),
    signing_time: datetime,
    capabilities: Sequence[Capability] = DEFAULT_CAPABILITIES,
    hash: hashes.HashAlgorithm = SHA256,
    rsa_pss: bool = False,
) -> bytes:
    """Like ``sign_detached``, given the content's ``hash`` digest rather than the content:
    a large content is digested as it is made, and only the digest is signed.

    Raises:
        SignatureError, ValueError: as ``sign_detached``; also ValueError when ``digest``
            is not of the hash's size.
    """
    if signing_time.utcoffset() is None:
        raise ValueError("sign_detached needs a timezone-aware signing time")
    hash_oid = SIGNING_HASH_OIDS.get(hash.name)
    if hash_oid is None:
        raise ValueError(f"signing with {hash.name} is not supported")
    if len(digest) != hash.digest_size:
        raise ValueError(f"a {hash.name} digest has {hash.digest_size} bytes, not {len(digest)}")
    _check_key(signer, key)
    identifier = _issuer_and_serial(signer)
    attributes = cms.CMSAttributes(
        [
            {"type": "content_type", "values": ["data"]},
            {"type": "signing_time", "values": [_time(signing_time)]},
            {"type": "message_digest", "values": [digest]},
            capabilities_attribute(tuple(capabilities)),
            {
                "type": "encrypt_key_pref",
                "values": [
                    cms.SMIMEEncryptionKeyPreference(
                        name="issuer_and_serial_number", value=identifier
                    )
                ],
            },
        ]
    )
    # RFC 5652 5.4: the signature covers the DER of the attributes with the SET OF tag.
    signed_bytes = attributes.dump()
    signature, algorithm = _sign(key, hash, hash_oid, signed_bytes, rsa_pss)
    digest_algorithm = algos.DigestAlgorithm.load(digest_algorithm_identifier(hash_oid).dump())
    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(name="issuer_and_serial_number", value=identifier),
            "digest_algorithm": digest_algorithm,
            "signed_attrs": attributes,
            "signature_algorithm": algorithm,
            "signature": signature,
        }
    )
    signed_data = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [digest_algorithm],
            "encap_content_info": {"content_type": "data"},
            "certificates": _certificate_set((signer, *chain)),
            "signer_infos": [signer_info],
        }
    )
    info = cms.ContentInfo({"content_type": "signed_data", "content": signed_data})
    return bytes(info.dump())


def _check_key(signer: x509.Certificate, key: SigningKey) -> None:
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise SignatureError(text("signature.unsupported_signing_key"))
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    ours = key.public_key().public_bytes(serialization.Encoding.DER, spki)
    try:
        theirs = signer.public_key().public_bytes(serialization.Encoding.DER, spki)
    except (ValueError, UnsupportedAlgorithm) as exc:  # a key cryptography cannot load
        raise SignatureError(text("signature.unsupported_signing_key")) from exc
    if ours != theirs:
        raise SignatureError(text("signature.key_mismatch"))


def _issuer_and_serial(certificate: x509.Certificate) -> cms.IssuerAndSerialNumber:
    # The issuer name as encoded in the certificate: verifiers compare it with the
    # certificate they find, and a re-encoded name might not compare equal everywhere.
    tbs = asn1_x509.TbsCertificate.load(certificate.tbs_certificate_bytes)
    return cms.IssuerAndSerialNumber(
        {"issuer": tbs["issuer"], "serial_number": tbs["serial_number"]}
    )


def _time(moment: datetime) -> cms.Time:
    moment = moment.astimezone(UTC).replace(microsecond=0)
    kind = "utc_time" if moment.year in _UTC_TIME_YEARS else "generalized_time"
    return cms.Time(name=kind, value=moment)


def _sign(
    key: SigningKey,
    hash: hashes.HashAlgorithm,
    hash_oid: str,
    data: bytes,
    rsa_pss: bool,
) -> tuple[bytes, algos.SignedDigestAlgorithm]:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        algorithm = algos.SignedDigestAlgorithm({"algorithm": ECDSA_BY_HASH[hash_oid]})
        return key.sign(data, ec.ECDSA(hash)), algorithm
    if not rsa_pss:
        # rsaEncryption (hash from digestAlgorithm), as OpenSSL writes; every peer reads it.
        algorithm = algos.SignedDigestAlgorithm({"algorithm": "rsassa_pkcs1v15"})
        return key.sign(data, padding.PKCS1v15(), hash), algorithm
    # Salt = hash length: gpgsm refuses any other (CMS-NOTES 1), and RFC 8702 does the same.
    salt = hash.digest_size
    parameters = algos.RSASSAPSSParams.load(pss_parameters(hash_oid, salt).dump())
    algorithm = algos.SignedDigestAlgorithm({"algorithm": "rsassa_pss", "parameters": parameters})
    pss = padding.PSS(mgf=padding.MGF1(hash), salt_length=salt)
    return key.sign(data, pss, hash), algorithm


def _certificate_set(certificates: Sequence[x509.Certificate]) -> cms.CertificateSet:
    ders = dict.fromkeys(c.public_bytes(serialization.Encoding.DER) for c in certificates)
    return cms.CertificateSet(
        [
            cms.CertificateChoices(name="certificate", value=asn1_x509.Certificate.load(der))
            for der in ders
        ]
    )
