"""Envelopes built another way than the product builds them, for reading tests.

Everything here is assembled with asn1crypto alone (or re-encoded with asn1crypto's parser),
so the reader is checked against structures it did not write itself: BER as OpenSSL -stream
writes it, legacy 3DES, subjectKeyIdentifier recipient ids, a ukm, authenticated attributes.
"""

from __future__ import annotations

import os

from asn1crypto import algos, cms, core, keys, parser
from cryptography import x509
from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives import padding as sym_padding
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.keywrap import aes_key_wrap

from desktop_app.core.smime.algorithms import ECDH_SCHEMES, GcmParameters
from desktop_app.core.smime.ecdh import derive_kek
from desktop_app.core.smime.recipient_seal import issuer_and_serial


def split(data: bytes) -> list[tuple[int, bytes, bytes]]:
    """Consecutive elements as (identifier octet, contents, whole encoding)."""
    out = []
    while data:
        _, _, _, header, contents, trailer = parser.parse(data)
        size = len(header) + len(contents) + len(trailer)
        out.append((data[0], contents, data[:size]))
        data = data[size:]
    return out


def _indefinite(identifier: int, parts: list[bytes]) -> bytes:
    return bytes((identifier | 0x20, 0x80)) + b"".join(parts) + b"\x00\x00"


def streamed(der: bytes, chunk: int = 1000, *, nested: bool = False) -> bytes:
    """Re-encode a DER envelope the way ``openssl cms -stream`` writes it.

    ContentInfo, [0], (Auth)EnvelopedData and EncryptedContentInfo get indefinite lengths and
    the encrypted content becomes a constructed [0] of ``chunk``-byte OCTET STRINGs;
    ``nested`` groups those segments again in constructed OCTET STRINGs (legal BER too).
    """
    [(ci_id, ci_contents, _)] = split(der)
    (oid, explicit) = split(ci_contents)
    [(inner_id, inner_contents, _)] = split(explicit[1])
    fields = split(inner_contents)
    rebuilt = [whole for _, _, whole in fields]
    # The EncryptedContentInfo is the only SEQUENCE directly after the RecipientInfos SET.
    index = next(i for i, f in enumerate(fields) if f[0] == 0x31) + 1
    _, eci_contents, _ = fields[index]
    eci_oid, eci_alg, (_, content, _) = split(eci_contents)
    segments = [
        core.OctetString(content[i : i + chunk]).dump() for i in range(0, len(content), chunk)
    ]
    if nested:
        segments = [_indefinite(0x04, segments[i : i + 3]) for i in range(0, len(segments), 3)]
    rebuilt[index] = _indefinite(0x30, [eci_oid[2], eci_alg[2], _indefinite(0x80, segments)])
    inner = _indefinite(inner_id, rebuilt)
    return _indefinite(ci_id, [oid[2], _indefinite(0xA0, [inner])])


_HASHES = {
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


def _ktri(
    cert: x509.Certificate,
    cek: bytes,
    *,
    ski: bytes | None = None,
    oaep: dict[str, object] | None = None,
) -> cms.RecipientInfo:
    """PKCS #1 v1.5, or OAEP with ``oaep`` as the RSAES-OAEP-params (hash names only)."""
    public_key = cert.public_key()
    assert isinstance(public_key, rsa.RSAPublicKey)
    if oaep is None:
        algorithm: dict[str, object] = {"algorithm": "rsaes_pkcs1v15"}
        encrypted = public_key.encrypt(cek, padding.PKCS1v15())
    else:
        parameters = cms.RSAESOAEPParams(oaep)
        hash_name = parameters["hash_algorithm"]["algorithm"].native
        mask_name = parameters["mask_gen_algorithm"]["parameters"]["algorithm"].native
        label = parameters["p_source_algorithm"]["parameters"].native or None
        pad = padding.OAEP(
            mgf=padding.MGF1(_HASHES[mask_name]()), algorithm=_HASHES[hash_name](), label=label
        )
        algorithm = {"algorithm": "rsaes_oaep", "parameters": parameters}
        encrypted = public_key.encrypt(cek, pad)
    if ski is None:
        rid = cms.RecipientIdentifier(
            name="issuer_and_serial_number", value=issuer_and_serial(cert)
        )
    else:
        rid = cms.RecipientIdentifier(name="subject_key_identifier", value=ski)
    return cms.RecipientInfo(
        name="ktri",
        value={
            "version": "v0" if ski is None else "v2",
            "rid": rid,
            "key_encryption_algorithm": algorithm,
            "encrypted_key": encrypted,
        },
    )


def _kari(
    cert: x509.Certificate,
    cek: bytes,
    *,
    ukm: bytes | None = None,
    ski: bytes | None = None,
    kdf_oid: str = "1.3.132.1.11.1",
    named_curve: bool = False,
) -> cms.RecipientInfo:
    public_key = cert.public_key()
    assert isinstance(public_key, ec.EllipticCurvePublicKey)
    ephemeral = ec.generate_private_key(public_key.curve)
    wrap = cms.KeyEncryptionAlgorithm({"algorithm": "aes256_wrap"})
    kek = derive_kek(
        ephemeral.exchange(ec.ECDH(), public_key), ECDH_SCHEMES[kdf_oid].hash_type, wrap, ukm
    )
    point = ephemeral.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    algorithm: dict[str, object] = {"algorithm": "ec"}
    if named_curve:
        algorithm["parameters"] = keys.ECDomainParameters(name="named", value=public_key.curve.name)
    if ski is None:
        rid = cms.KeyAgreementRecipientIdentifier(
            name="issuer_and_serial_number", value=issuer_and_serial(cert)
        )
    else:
        rid = cms.KeyAgreementRecipientIdentifier(
            name="r_key_id", value={"subject_key_identifier": ski}
        )
    value: dict[str, object] = {
        "version": "v3",
        "originator": cms.OriginatorIdentifierOrKey(
            name="originator_key",
            value=keys.PublicKeyInfo({"algorithm": algorithm, "public_key": point}),
        ),
        "key_encryption_algorithm": {"algorithm": kdf_oid, "parameters": wrap},
        "recipient_encrypted_keys": [{"rid": rid, "encrypted_key": aes_key_wrap(kek, cek)}],
    }
    if ukm is not None:
        value["ukm"] = ukm
    return cms.RecipientInfo(name="kari", value=value)


def recipient_info(cert: x509.Certificate, cek: bytes, **options: object) -> cms.RecipientInfo:
    """A ktri (RSA) or kari (EC) for ``cert``.

    Options: ski; for RSA oaep; for EC ukm, kdf_oid, named_curve.
    """
    if isinstance(cert.public_key(), rsa.RSAPublicKey):
        return _ktri(cert, cek, **options)  # type: ignore[arg-type]
    return _kari(cert, cek, **options)  # type: ignore[arg-type]


def cbc_envelope(
    content: bytes,
    infos: list[cms.RecipientInfo],
    cek: bytes,
    *,
    cipher: str = "aes256_cbc",
    iv: bytes | None = None,
) -> bytes:
    """An EnvelopedData built wholly by asn1crypto (also 3DES: ``tripledes_3key``)."""
    triple_des = cipher == "tripledes_3key"
    block = 8 if triple_des else 16
    iv = os.urandom(block) if iv is None else iv
    padder = sym_padding.PKCS7(block * 8).padder()
    padded = padder.update(content) + padder.finalize()
    algorithm = TripleDES(cek) if triple_des else algorithms.AES(cek)
    encryptor = Cipher(algorithm, modes.CBC(iv)).encryptor()
    encrypted = encryptor.update(padded) + encryptor.finalize()
    all_v0 = all(i.name == "ktri" and i.chosen["version"].native == "v0" for i in infos)
    enveloped = cms.EnvelopedData(
        {
            "version": "v0" if all_v0 else "v2",
            "recipient_infos": infos,
            "encrypted_content_info": {
                "content_type": "data",
                "content_encryption_algorithm": {"algorithm": cipher, "parameters": iv},
                "encrypted_content": encrypted,
            },
        }
    )
    return cms.ContentInfo({"content_type": "enveloped_data", "content": enveloped}).dump()


def gcm_envelope(
    content: bytes,
    infos: list[cms.RecipientInfo],
    cek: bytes,
    *,
    auth_attrs: cms.CMSAttributes | None = None,
    tag_length: int = 16,
    nonce: bytes | None = None,
) -> bytes:
    """An AuthEnvelopedData built wholly by asn1crypto, optionally with authAttrs."""
    nonce = os.urandom(12) if nonce is None else nonce
    encryptor = Cipher(algorithms.AES(cek), modes.GCM(nonce)).encryptor()
    if auth_attrs is not None:
        encryptor.authenticate_additional_data(auth_attrs.dump())
    encrypted = encryptor.update(content) + encryptor.finalize()
    value: dict[str, object] = {
        "version": "v0",
        "recipient_infos": infos,
        "auth_encrypted_content_info": {
            "content_type": "data",
            "content_encryption_algorithm": algos.EncryptionAlgorithm(
                {
                    "algorithm": f"aes{len(cek) * 8}_gcm",
                    "parameters": GcmParameters({"aes_nonce": nonce, "aes_icvlen": tag_length}),
                }
            ),
            "encrypted_content": encrypted,
        },
        "mac": encryptor.tag[:tag_length],
    }
    if auth_attrs is not None:
        value["auth_attrs"] = auth_attrs
    return cms.ContentInfo(
        {"content_type": "authenticated_enveloped_data", "content": cms.AuthEnvelopedData(value)}
    ).dump()
