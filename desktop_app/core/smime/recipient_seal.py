"""Build one RecipientInfo per recipient: RSA key transport or ECDH key agreement."""

from __future__ import annotations

from dataclasses import dataclass

from asn1crypto import cms, core, keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.keywrap import aes_key_wrap

from desktop_app.core.messages import text
from desktop_app.core.smime.algorithms import (
    CURVES,
    ECDH_SCHEMES,
    OID_ECDH_STD_SHA256,
    WRAP_BY_KEY_SIZE,
    KeyTransport,
)
from desktop_app.core.smime.ecdh import derive_kek
from desktop_app.core.smime.errors import EnvelopeError

# OAEP with SHA-256 and MGF1-SHA-256, the form OpenSSL writes for rsa_oaep_md:sha256 and the
# one RFC 8551 implementations are asked to support. (asn1crypto writes the hash AlgIds with
# NULL parameters where OpenSSL leaves them absent; every reader accepts both.)
_OAEP_PARAMETERS = {
    "hash_algorithm": {"algorithm": "sha256"},
    "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": {"algorithm": "sha256"}},
}
_OAEP_PADDING = padding.OAEP(
    mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None
)


@dataclass(frozen=True)
class EnvelopeRecipient:
    """A certificate to encrypt for; ``transport`` applies to RSA keys only.

    EC recipients always get ECDH ephemeral-static key agreement (RFC 5753) with the
    SHA-256 X9.63 KDF and the AES key wrap that matches the content key size.
    """

    certificate: x509.Certificate
    transport: KeyTransport = KeyTransport.RSA_PKCS1V15


def issuer_and_serial(certificate: x509.Certificate) -> cms.IssuerAndSerialNumber:
    """The certificate's issuer name (as encoded in it) and serial number."""
    tbs = asn1_x509.TbsCertificate.load(certificate.tbs_certificate_bytes)
    return cms.IssuerAndSerialNumber(
        {"issuer": tbs["issuer"], "serial_number": tbs["serial_number"]}
    )


def build_recipient_info(recipient: EnvelopeRecipient, content_key: bytes) -> cms.RecipientInfo:
    """Encrypt ``content_key`` for the recipient and describe how, as a RecipientInfo."""
    public_key = recipient.certificate.public_key()
    if isinstance(public_key, rsa.RSAPublicKey):
        return _key_transport(recipient, public_key, content_key)
    if isinstance(public_key, ec.EllipticCurvePublicKey) and public_key.curve.name in CURVES:
        return _key_agreement(recipient.certificate, public_key, content_key)
    kind = getattr(getattr(public_key, "curve", None), "name", None) or type(public_key).__name__
    raise EnvelopeError(text("envelope.unsupported_key_type", kind=kind))


def _key_transport(
    recipient: EnvelopeRecipient, public_key: rsa.RSAPublicKey, content_key: bytes
) -> cms.RecipientInfo:
    if recipient.transport == KeyTransport.RSA_OAEP:
        encrypted = public_key.encrypt(content_key, _OAEP_PADDING)
        algorithm = cms.KeyEncryptionAlgorithm(
            {"algorithm": "rsaes_oaep", "parameters": _OAEP_PARAMETERS}
        )
    else:
        encrypted = public_key.encrypt(content_key, padding.PKCS1v15())
        algorithm = cms.KeyEncryptionAlgorithm(
            {"algorithm": "rsaes_pkcs1v15", "parameters": core.Null()}
        )
    # issuerAndSerialNumber (v0): the one recipient id that gpgsm also understands.
    info = cms.KeyTransRecipientInfo(
        {
            "version": "v0",
            "rid": cms.RecipientIdentifier(
                name="issuer_and_serial_number", value=issuer_and_serial(recipient.certificate)
            ),
            "key_encryption_algorithm": algorithm,
            "encrypted_key": encrypted,
        }
    )
    return cms.RecipientInfo(name="ktri", value=info)


def _key_agreement(
    certificate: x509.Certificate, public_key: ec.EllipticCurvePublicKey, content_key: bytes
) -> cms.RecipientInfo:
    # A fresh ephemeral key per recipient, as OpenSSL does: recipients share nothing.
    ephemeral = ec.generate_private_key(public_key.curve)
    shared_secret = ephemeral.exchange(ec.ECDH(), public_key)
    # The wrap follows the content key size (AES-128 content, AES-128 wrap), as OpenSSL and
    # the RFC 5008 suites pair them.
    wrap_algorithm = cms.KeyEncryptionAlgorithm({"algorithm": WRAP_BY_KEY_SIZE[len(content_key)]})
    scheme = ECDH_SCHEMES[OID_ECDH_STD_SHA256]
    kek = derive_kek(shared_secret, scheme.hash_type, wrap_algorithm, ukm=None)
    point = ephemeral.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    # RFC 5753: id-ecPublicKey with the parameters absent (the curve is the recipient's).
    originator_key = keys.PublicKeyInfo({"algorithm": {"algorithm": "ec"}, "public_key": point})
    info = cms.KeyAgreeRecipientInfo(
        {
            "version": "v3",
            "originator": cms.OriginatorIdentifierOrKey(
                name="originator_key", value=originator_key
            ),
            "key_encryption_algorithm": cms.KeyEncryptionAlgorithm(
                {"algorithm": OID_ECDH_STD_SHA256, "parameters": wrap_algorithm}
            ),
            "recipient_encrypted_keys": [
                {
                    "rid": cms.KeyAgreementRecipientIdentifier(
                        name="issuer_and_serial_number", value=issuer_and_serial(certificate)
                    ),
                    "encrypted_key": aes_key_wrap(kek, content_key),
                }
            ],
        }
    )
    return cms.RecipientInfo(name="kari", value=info)
