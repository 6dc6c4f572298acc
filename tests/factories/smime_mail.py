"""S/MIME test messages assembled with asn1crypto, including the obsolete algorithms (3DES,
RC2, SHA-1, short RSA keys) that smime-guard never writes but must recognise.

Nothing here is decrypted or verified by the lint, so envelopes carry random key and
content bytes; signatures are real (over the signed attributes) so the structures are what
a verifier would see.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Sequence

from asn1crypto import algos, cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tests.factories.certs import Issued

CRLF = b"\r\n"

_CIPHER_PARAMETERS = {
    "aes256_cbc": lambda: os.urandom(16),
    "aes128_cbc": lambda: os.urandom(16),
    "tripledes_3key": lambda: os.urandom(8),
    "des": lambda: os.urandom(8),
    "rc2": lambda: {"rc2_parameter_version": 58, "iv": os.urandom(8)},  # 58 = 128-bit key
}
_HASHES = {
    "sha1": hashes.SHA1,
    "sha256": hashes.SHA256,
    "md5": hashes.MD5,
}


def _asn1_cert(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _issuer_and_serial(certificate: x509.Certificate) -> cms.IssuerAndSerialNumber:
    tbs = _asn1_cert(certificate)["tbs_certificate"]
    return cms.IssuerAndSerialNumber(
        {"issuer": tbs["issuer"], "serial_number": tbs["serial_number"]}
    )


def enveloped_der(recipient: x509.Certificate, cipher: str = "aes256_cbc") -> bytes:
    """A ContentInfo holding an EnvelopedData whose content cipher is ``cipher`` (an
    asn1crypto algorithm name: aes256_cbc, tripledes_3key, rc2, des)."""
    recipient_info = cms.RecipientInfo(
        name="ktri",
        value={
            "version": "v0",
            "rid": cms.RecipientIdentifier(
                name="issuer_and_serial_number", value=_issuer_and_serial(recipient)
            ),
            "key_encryption_algorithm": {"algorithm": "rsaes_pkcs1v15"},
            "encrypted_key": os.urandom(256),
        },
    )
    enveloped = cms.EnvelopedData(
        {
            "version": "v0",
            "recipient_infos": [recipient_info],
            "encrypted_content_info": {
                "content_type": "data",
                "content_encryption_algorithm": {
                    "algorithm": cipher,
                    "parameters": _CIPHER_PARAMETERS[cipher](),
                },
                "encrypted_content": os.urandom(64),
            },
        }
    )
    return cms.ContentInfo({"content_type": "enveloped_data", "content": enveloped}).dump()


def signed_der(
    signer: Issued,
    content: bytes,
    *,
    digest: str = "sha256",
    detached: bool = False,
    extra_certificates: Sequence[x509.Certificate] = (),
    pss_without_hash: bool = False,
) -> bytes:
    """A ContentInfo holding a SignedData by ``signer`` (RSA) over ``content``.

    ``pss_without_hash`` labels the signature RSASSA-PSS with empty parameters, which
    means SHA-1 (RFC 4055); the signature bytes are then not checked by anything.
    """
    hash_type = _HASHES[digest]
    assert isinstance(signer.key, rsa.RSAPrivateKey)
    hasher = hashes.Hash(hash_type())
    hasher.update(content)
    signed_attrs = cms.CMSAttributes(
        [
            {"type": "content_type", "values": ["data"]},
            {"type": "message_digest", "values": [hasher.finalize()]},
        ]
    )
    signature = signer.key.sign(signed_attrs.dump(), padding.PKCS1v15(), hash_type())
    if pss_without_hash:
        signature_algorithm = algos.SignedDigestAlgorithm.load(
            bytes.fromhex("300d06092a864886f70d01010a3000")
        )
    else:
        signature_algorithm = algos.SignedDigestAlgorithm({"algorithm": "rsassa_pkcs1v15"})
    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                name="issuer_and_serial_number", value=_issuer_and_serial(signer.cert)
            ),
            "digest_algorithm": {"algorithm": digest},
            "signed_attrs": signed_attrs,
            "signature_algorithm": signature_algorithm,
            "signature": signature,
        }
    )
    encap: dict[str, object] = {"content_type": "data"}
    if not detached:
        encap["content"] = content
    certificates = [_asn1_cert(signer.cert), *(_asn1_cert(c) for c in extra_certificates)]
    signed = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [{"algorithm": digest}],
            "encap_content_info": encap,
            "certificates": certificates,
            "signer_infos": [signer_info],
        }
    )
    return cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump()


def base64_lines(data: bytes) -> bytes:
    """base64 in 76-character CRLF lines."""
    return base64.encodebytes(data).replace(b"\n", CRLF)


def headers(**extra: str) -> bytes:
    """Plain outer headers of a sent message, plus ``extra`` (Bcc="...")."""
    fields = {
        "From": "Praxis <praxis@clinic.example>",
        "To": "Ann <ann@clinic.example>",
        "Subject": "Befund",
        "Date": "Mon, 01 Jun 2026 12:00:00 +0000",
        "Message-ID": "<lint-1@clinic.example>",
        "MIME-Version": "1.0",
        **extra,
    }
    return b"".join(f"{name}: {value}".encode() + CRLF for name, value in fields.items())


def pkcs7_mime_part(
    der: bytes,
    *,
    content_type: str = "application/pkcs7-mime",
    smime_type: str | None = "enveloped-data",
    name: str | None = "smime.p7m",
    encoding: str = "base64",
) -> bytes:
    """The Content-* headers and body of a CMS part (no outer headers)."""
    params = "".join(
        [
            f"; smime-type={smime_type}" if smime_type else "",
            f"; name={name}" if name else "",
        ]
    )
    body = base64_lines(der) if encoding == "base64" else der
    head = (
        f"Content-Type: {content_type}{params}\r\n"
        f"Content-Disposition: attachment; filename={name or 'smime.p7m'}\r\n"
        f"Content-Transfer-Encoding: {encoding}\r\n\r\n"
    )
    return head.encode("ascii") + body


def multipart_signed(
    signed_entity: bytes, signature_der: bytes, *, boundary: str = "sig-boundary-1"
) -> bytes:
    """A multipart/signed body (Content-Type header included) around ``signed_entity``."""
    return b"".join(
        [
            f'Content-Type: multipart/signed; protocol="application/pkcs7-signature"; '
            f'micalg=sha-256; boundary="{boundary}"\r\n\r\n'.encode("ascii"),
            f"--{boundary}\r\n".encode("ascii"),
            signed_entity,
            f"\r\n--{boundary}\r\n".encode("ascii"),
            b"Content-Type: application/pkcs7-signature; name=smime.p7s\r\n"
            b"Content-Disposition: attachment; filename=smime.p7s\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\n",
            base64_lines(signature_der),
            f"--{boundary}--\r\n".encode("ascii"),
        ]
    )


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
