"""Files that carry test certificates: .p12 (with or without a key), .p7b, .p7s."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from typing import ClassVar

from asn1crypto import algos as asn1_algos
from asn1crypto import core as asn1_core
from asn1crypto import pkcs12 as asn1_pkcs12
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12

from tests.factories.certs import Issued


def pkcs12_file(
    issued: Issued,
    chain: Sequence[x509.Certificate] = (),
    *,
    password: bytes | None = None,
    legacy: bool = False,
    name: bytes = b"test",
) -> bytes:
    """A .p12 of ``issued`` (key and certificate) and ``chain``, under the friendly ``name``.

    ``password=None`` writes no encryption at all; ``legacy`` uses 3DES and a SHA-1 MAC
    (what gpgsm and old Windows read) instead of PBES2/AES, with few key-derivation
    rounds (throwaway test keys).
    """
    if password is None:
        encryption: serialization.KeySerializationEncryption = serialization.NoEncryption()
    elif legacy:
        encryption = (
            serialization.PrivateFormat.PKCS12.encryption_builder()
            .kdf_rounds(2048)
            .key_cert_algorithm(pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC)
            .hmac_hash(hashes.SHA1())
            .build(password)
        )
    else:
        encryption = serialization.BestAvailableEncryption(password)
    return pkcs12.serialize_key_and_certificates(
        name, issued.key, issued.cert, list(chain) or None, encryption
    )


def _pkcs12_kdf(password: bytes, salt: bytes, iterations: int, purpose: int, size: int) -> bytes:
    """RFC 7292 appendix B key derivation with SHA-256 (cryptography does not expose it)."""
    u, v = 32, 64
    secret = password.decode("ascii").encode("utf-16-be") + b"\x00\x00" if password else b""

    def stretch(data: bytes) -> bytes:  # repeat to a whole number of v-byte blocks
        size = v * -(-len(data) // v)
        return (data * (size // len(data) + 1))[:size] if data else b""

    block = stretch(salt) + stretch(secret)
    out = b""
    while len(out) < size:
        digest = bytes([purpose]) * v + block
        for _ in range(iterations):
            h = hashes.Hash(hashes.SHA256())
            h.update(digest)
            digest = h.finalize()
        out += digest
        addend = int.from_bytes((digest * (v // u + 1))[:v]) + 1
        block = b"".join(
            ((int.from_bytes(block[i : i + v]) + addend) % (1 << (8 * v))).to_bytes(v)
            for i in range(0, len(block), v)
        )
    return out[:size]


class _Pbmac1Params(asn1_core.Sequence):  # type: ignore[misc]
    """RFC 9579 PBMAC1-params, which asn1crypto lacks."""

    _fields: ClassVar = [
        ("key_derivation_func", asn1_algos.KdfAlgorithm),
        ("message_auth_scheme", asn1_algos.HmacAlgorithm),
    ]


def pkcs12_certificates_file(
    certs: Sequence[x509.Certificate],
    *,
    password: bytes = b"",
    pbmac1: bool = False,
    iterations: int = 2048,
) -> bytes:
    """A certificates-only .p12 (no key, nothing encrypted) with a password MAC.

    cryptography writes neither an empty password (Windows exports use one) nor an
    RFC 9579 PBMAC1 MAC (OpenSSL 3.4+ can), so the PFX is put together here.
    """
    bags = asn1_pkcs12.SafeContents(
        [
            {
                "bag_id": "cert_bag",
                "bag_value": {
                    "cert_id": "x509",
                    "cert_value": asn1_x509.Certificate.load(
                        cert.public_bytes(serialization.Encoding.DER)
                    ),
                },
            }
            for cert in certs
        ]
    )
    safe = asn1_pkcs12.AuthenticatedSafe([{"content_type": "data", "content": bags.dump()}])
    content = safe.dump()
    salt = b"\x01" * 8
    if pbmac1:
        key = hashlib.pbkdf2_hmac("sha256", password, salt, iterations, 32)
        kdf = {
            "algorithm": "pbkdf2",
            "parameters": {
                "salt": asn1_algos.Pbkdf2Salt(name="specified", value=salt),
                "iteration_count": iterations,
                "key_length": 32,
                "prf": {"algorithm": "sha256"},
            },
        }
        params = _Pbmac1Params(
            {"key_derivation_func": kdf, "message_auth_scheme": {"algorithm": "sha256"}}
        )
        algorithm = {"algorithm": "1.2.840.113549.1.5.14", "parameters": params}
        mac_iterations = 1  # RFC 9579: the count in the parameters is the one used
    else:
        key = _pkcs12_kdf(password, salt, iterations, purpose=3, size=32)
        algorithm = {"algorithm": "sha256"}
        mac_iterations = iterations
    pfx: bytes = asn1_pkcs12.Pfx(
        {
            "version": "v3",
            "auth_safe": {"content_type": "data", "content": content},
            "mac_data": {
                "mac": {
                    "digest_algorithm": algorithm,
                    "digest": hmac.new(key, content, "sha256").digest(),
                },
                "mac_salt": salt,
                "iterations": mac_iterations,
            },
        }
    ).dump()
    return pfx


def p7b_file(certs: Sequence[x509.Certificate], *, pem: bool = False) -> bytes:
    """A certs-only PKCS#7 bundle (.p7b), DER or PEM."""
    encoding = serialization.Encoding.PEM if pem else serialization.Encoding.DER
    return pkcs7.serialize_certificates(list(certs), encoding)


def signed_message(issued: Issued, chain: Sequence[x509.Certificate] = ()) -> bytes:
    """A detached S/MIME signature (smime.p7s, DER) by ``issued``, carrying ``chain`` too."""
    builder = pkcs7.PKCS7SignatureBuilder().set_data(b"Hello.\r\n")
    builder = builder.add_signer(issued.cert, issued.key, hashes.SHA256())  # type: ignore[arg-type]
    for cert in chain:
        builder = builder.add_certificate(cert)
    return builder.sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature])
