"""Find the RecipientInfo meant for a certificate and recover the content key from it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from asn1crypto import cms, core, keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidKey
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap

from desktop_app.core.messages import text
from desktop_app.core.smime.algorithms import (
    CURVES,
    ECDH_SCHEMES,
    KEY_SIZE_BY_WRAP,
    OID_EC_PUBLIC_KEY,
)
from desktop_app.core.smime.ecdh import derive_kek
from desktop_app.core.smime.envelope_parse import malformed_input
from desktop_app.core.smime.errors import (
    EnvelopeError,
)

RecipientPrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

_OAEP_HASHES: Final[dict[str, tuple[str, type[hashes.HashAlgorithm]]]] = {
    "sha1": ("SHA-1", hashes.SHA1),
    "sha224": ("SHA-224", hashes.SHA224),
    "sha256": ("SHA-256", hashes.SHA256),
    "sha384": ("SHA-384", hashes.SHA384),
    "sha512": ("SHA-512", hashes.SHA512),
}

# OpenSSL pairs 3DES content with the RFC 3217 3DES key wrap for EC recipients; rare enough
# (3DES and ECDH are a decade apart) that it is named, not implemented.
_UNSUPPORTED_WRAP_LABELS: Final = {"1.2.840.113549.1.9.16.3.6": "the 3DES key wrap"}


@dataclass(frozen=True)
class RecoveredKey:
    """The content key and a description of how it reached us."""

    content_key: bytes
    key_transport: str  # e.g. "RSA-OAEP (SHA-256)"


@dataclass(frozen=True)
class _Identity:
    issuer: asn1_x509.Name
    serial: int
    key_id: bytes


def count_recipients(recipient_infos: cms.RecipientInfos) -> int:
    """How many recipients the envelope is for (each key-agreement recipient counts)."""
    with malformed_input():
        return sum(
            len(ri.chosen["recipient_encrypted_keys"]) if ri.name == "kari" else 1
            for ri in recipient_infos
        )


def recover_content_key(
    recipient_infos: cms.RecipientInfos,
    certificate: x509.Certificate,
    private_key: RecipientPrivateKey,
    key_size: int,
) -> RecoveredKey:
    """Decrypt the content key from the RecipientInfo addressed to ``certificate``.

    Raises:
        EnvelopeError: the key does not fit the certificate, no RecipientInfo names the
            certificate, or none that does yields a ``key_size``-byte key.
    """
    _check_key_pair(certificate, private_key)
    identity = _identity(certificate)
    failure: EnvelopeError | None = None
    with malformed_input():
        candidates = list(_addressed_to(recipient_infos, identity))
    for info, encrypted_key in candidates:
        try:
            with malformed_input():
                if isinstance(info, cms.KeyTransRecipientInfo):
                    recovered = _key_transport(info, private_key, encrypted_key)
                else:
                    recovered = _key_agreement(info, private_key, encrypted_key)
            if len(recovered.content_key) != key_size:
                raise EnvelopeError(text("envelope.decrypt_failed"))
            return recovered
        except EnvelopeError as error:
            failure = error  # a duplicate RecipientInfo further on may still work
    raise failure or EnvelopeError(text("envelope.not_for_you"))


def _addressed_to(
    recipient_infos: cms.RecipientInfos, identity: _Identity
) -> Iterator[tuple[cms.KeyTransRecipientInfo | cms.KeyAgreeRecipientInfo, bytes]]:
    for ri in recipient_infos:
        if ri.name == "ktri":
            if _rid_matches(ri.chosen["rid"], identity):
                yield ri.chosen, ri.chosen["encrypted_key"].native
        elif ri.name == "kari":
            for encrypted in ri.chosen["recipient_encrypted_keys"]:
                if _rid_matches(encrypted["rid"], identity):
                    yield ri.chosen, encrypted["encrypted_key"].native
        # kekri, pwri and ori recipients are never us: we hold a certificate's key.


def _rid_matches(rid: cms.RecipientIdentifier, identity: _Identity) -> bool:
    """Match issuerAndSerialNumber, [0] subjectKeyIdentifier (ktri) or [0] rKeyId (kari)."""
    if rid.name == "issuer_and_serial_number":
        value = rid.chosen
        return bool(
            value["serial_number"].native == identity.serial and value["issuer"] == identity.issuer
        )
    if rid.name == "subject_key_identifier":
        return bool(rid.chosen.native == identity.key_id)
    if rid.name == "r_key_id":
        return bool(rid.chosen["subject_key_identifier"].native == identity.key_id)
    return False


def _identity(certificate: x509.Certificate) -> _Identity:
    with malformed_input():
        parsed = asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
        # Without the extension, senders (OpenSSL among them) use the RFC 5280 method 1 key
        # id: the SHA-1 of the public key bits.
        key_id = parsed.key_identifier or parsed.public_key.sha1
        return _Identity(parsed.issuer, parsed.serial_number, key_id)


def _check_key_pair(certificate: x509.Certificate, private_key: RecipientPrivateKey) -> None:
    public_key = certificate.public_key()
    if isinstance(public_key, rsa.RSAPublicKey):
        if isinstance(private_key, rsa.RSAPrivateKey) and (
            private_key.public_key().public_numbers() == public_key.public_numbers()
        ):
            return
    elif isinstance(public_key, ec.EllipticCurvePublicKey):
        if public_key.curve.name not in CURVES:
            raise EnvelopeError(text("envelope.unsupported_key_type", kind=public_key.curve.name))
        if isinstance(private_key, ec.EllipticCurvePrivateKey) and (
            private_key.public_key().public_numbers() == public_key.public_numbers()
        ):
            return
    else:
        raise EnvelopeError(text("envelope.unsupported_key_type", kind=type(public_key).__name__))
    raise EnvelopeError(text("envelope.key_mismatch"))


def _key_transport(
    info: cms.KeyTransRecipientInfo, private_key: RecipientPrivateKey, encrypted_key: bytes
) -> RecoveredKey:
    algorithm = info["key_encryption_algorithm"]
    name = algorithm["algorithm"].native
    pad: padding.AsymmetricPadding
    if name == "rsaes_pkcs1v15":
        pad, label = padding.PKCS1v15(), "RSA (PKCS #1 v1.5)"
    elif name == "rsaes_oaep":
        pad, label = _oaep(algorithm["parameters"])
    else:
        raise EnvelopeError(text("envelope.unsupported_key_transport", algorithm=name))
    if not isinstance(private_key, rsa.RSAPrivateKey):
        raise EnvelopeError(text("envelope.decrypt_failed"))
    try:
        # Bad PKCS #1 v1.5 padding may yield a random key rather than an error (implicit
        # rejection); the caller's key-length check and the content check catch that.
        content_key = private_key.decrypt(encrypted_key, pad)
    except ValueError as exc:
        raise EnvelopeError(text("envelope.decrypt_failed")) from exc
    return RecoveredKey(content_key, label)


def _oaep(parameters: core.Asn1Value) -> tuple[padding.OAEP, str]:
    """RFC 4055 RSAES-OAEP-params; absent fields mean SHA-1, MGF1-SHA-1 and no label.

    RFC 4055 allows SHA-1 and SHA-224/256/384/512 for the hash and for MGF1, and a label
    given by pSpecified; anything else is refused by naming the parameter.
    """
    if not isinstance(parameters, cms.RSAESOAEPParams):
        # Absent (or NULL) parameters: OpenSSL refuses them, RFC 4055 defaults would apply.
        parameters = cms.RSAESOAEPParams({})
    hash_label, hash_type = _oaep_hash(
        parameters["hash_algorithm"]["algorithm"], "envelope.oaep_hash"
    )
    mask = parameters["mask_gen_algorithm"]
    if mask["algorithm"].native != "mgf1":
        raise _oaep_unsupported("envelope.oaep_mask", mask["algorithm"])
    mask_label, mask_type = _oaep_hash(mask["parameters"]["algorithm"], "envelope.oaep_mask_hash")
    source = parameters["p_source_algorithm"]
    if source["algorithm"].native != "p_specified":
        raise _oaep_unsupported("envelope.oaep_label_source", source["algorithm"])
    label = source["parameters"].native or None
    pad = padding.OAEP(mgf=padding.MGF1(mask_type()), algorithm=hash_type(), label=label)
    details = [hash_label]
    if mask_label != hash_label:
        details.append(f"MGF1 {mask_label}")
    if label:
        details.append("label")
    return pad, f"RSA-OAEP ({', '.join(details)})"


def _oaep_hash(
    algorithm: core.ObjectIdentifier, key: str
) -> tuple[str, type[hashes.HashAlgorithm]]:
    found = _OAEP_HASHES.get(algorithm.native)
    if found is None:
        raise _oaep_unsupported(key, algorithm)
    return found


def _oaep_unsupported(key: str, algorithm: core.ObjectIdentifier) -> EnvelopeError:
    parameter = text(key, algorithm=algorithm.native)
    return EnvelopeError(text("envelope.oaep_unsupported_parameter", parameter=parameter))


def _key_agreement(
    info: cms.KeyAgreeRecipientInfo, private_key: RecipientPrivateKey, encrypted_key: bytes
) -> RecoveredKey:
    """RFC 5753 ephemeral-static ECDH: agree on a key-encryption key, then unwrap."""
    algorithm = info["key_encryption_algorithm"]
    scheme = ECDH_SCHEMES.get(algorithm["algorithm"].dotted)
    if scheme is None:
        raise EnvelopeError(
            text("envelope.unsupported_key_transport", algorithm=algorithm["algorithm"].native)
        )
    wrap_algorithm = cms.KeyEncryptionAlgorithm.load(algorithm["parameters"].dump())
    wrap_name = wrap_algorithm["algorithm"].native
    if wrap_name not in KEY_SIZE_BY_WRAP:
        wrap_label = _UNSUPPORTED_WRAP_LABELS.get(wrap_algorithm["algorithm"].dotted, wrap_name)
        raise EnvelopeError(text("envelope.unsupported_key_transport", algorithm=wrap_label))
    if not isinstance(private_key, ec.EllipticCurvePrivateKey):
        raise EnvelopeError(text("envelope.decrypt_failed"))
    originator = info["originator"]
    if originator.name != "originator_key":
        # Static-static ECDH (originator named by certificate) is not used by mail clients.
        raise EnvelopeError(text("envelope.unsupported_key_transport", algorithm="static ECDH"))
    peer = _originator_key(originator.chosen, private_key.curve)
    ukm = info["ukm"].native if isinstance(info["ukm"], cms.OctetString) else None
    try:
        shared_secret = private_key.exchange(ec.ECDH(), peer)
        kek = derive_kek(shared_secret, scheme.hash_type, wrap_algorithm, ukm)
        content_key = aes_key_unwrap(kek, encrypted_key)
    except (InvalidUnwrap, InvalidKey, ValueError) as exc:
        raise EnvelopeError(text("envelope.decrypt_failed")) from exc
    curve_label = CURVES[private_key.curve.name][0]
    wrap_bits = KEY_SIZE_BY_WRAP[wrap_name] * 8
    return RecoveredKey(
        content_key, f"ECDH {curve_label} ({scheme.label} KDF, AES-{wrap_bits} key wrap)"
    )


def _originator_key(
    public_key_info: keys.PublicKeyInfo, curve: ec.EllipticCurve
) -> ec.EllipticCurvePublicKey:
    """The sender's ephemeral public key, on the recipient's curve."""
    if public_key_info["algorithm"]["algorithm"].dotted != OID_EC_PUBLIC_KEY:
        raise EnvelopeError(text("envelope.decrypt_failed"))
    parameters = public_key_info["algorithm"]["parameters"]
    # RFC 5753 says absent; NULL and the named curve itself are also seen and harmless.
    if isinstance(parameters, keys.ECDomainParameters) and not (
        parameters.name == "implicit_ca"
        or (parameters.name == "named" and parameters.chosen.native == CURVES[curve.name][1])
    ):
        raise EnvelopeError(text("envelope.decrypt_failed"))
    point = public_key_info["public_key"].native
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(curve, point)
    except ValueError as exc:
        raise EnvelopeError(text("envelope.decrypt_failed")) from exc
