"""CMS SignedData built field by field with asn1crypto, for signatures the product must
judge but no library writes: odd signer identifiers, attribute orders, algorithm names,
broken digests, and the streamed (indefinite-length) encoding OpenSSL uses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from asn1crypto import core as asn1_core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa

from tests.factories.certs import NOW, Issued
from tests.factories.odd_certs import tlv

_OID_DATA = "1.2.840.113549.1.7.1"


@dataclass(frozen=True)
class SignerSpec:
    """One SignerInfo for ``cms_signed_data``; the defaults are what OpenSSL writes.

    ``signature``: "default" (rsaEncryption for RSA, ecdsa-with-<hash> for EC, Ed25519 for
    Ed25519 keys), "rsa_hash" (sha256WithRSAEncryption and the like), "pss", or
    "ec_public_key" (ECDSA named by id-ecPublicKey, as some writers do).
    ``sid``: "issuer_serial" or "ski" (the certificate must carry a subjectKeyIdentifier).
    ``extra_attributes``: (OID, DER of the single value) pairs added to the signed attributes.
    ``sort_attributes`` False keeps the attributes in the order given instead of DER order.
    """

    issued: Issued
    hash_name: str = "sha256"
    signature: str = "default"
    pss_salt: int | None = None  # None: the hash length
    sid: str = "issuer_serial"
    attributes: bool = True
    signing_time: dt.datetime = NOW
    content_type: str = _OID_DATA
    digest_override: bytes | None = None
    extra_attributes: tuple[tuple[str, bytes], ...] = ()
    repeat_digest: bool = False
    sort_attributes: bool = True
    corrupt_signature: bool = False
    signature_oid: str | None = None  # written in place of the algorithm actually used


def _hash(name: str) -> hashes.HashAlgorithm:
    return {
        "md5": hashes.MD5(),
        "sha1": hashes.SHA1(),
        "sha256": hashes.SHA256(),
        "sha384": hashes.SHA384(),
        "sha512": hashes.SHA512(),
    }[name]


def _signer_info(content: bytes, spec: SignerSpec) -> object:
    from asn1crypto import cms as asn1_cms

    # RFC 8419: Ed25519 signers digest the content with SHA-512.
    hash_name = "sha512" if isinstance(spec.issued.key, ed25519.Ed25519PrivateKey) else None
    hash_name = hash_name or spec.hash_name
    digest = hashes.Hash(_hash(hash_name))
    digest.update(content)
    message_digest = spec.digest_override or digest.finalize()
    tbs = asn1_x509.TbsCertificate.load(spec.issued.cert.tbs_certificate_bytes)
    if spec.sid == "ski":
        ski = spec.issued.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
        sid = asn1_cms.SignerIdentifier(name="subject_key_identifier", value=ski.value.digest)
    else:
        sid = asn1_cms.SignerIdentifier(
            name="issuer_and_serial_number",
            value={"issuer": tbs["issuer"], "serial_number": tbs["serial_number"]},
        )
    signed_attrs = None
    data = content
    if spec.attributes:
        time_der = asn1_cms.Time(name="utc_time", value=spec.signing_time).dump()
        attributes = [
            tlv(0x30, asn1_core.ObjectIdentifier(oid).dump() + tlv(0x31, value))
            for oid, value in (
                ("1.2.840.113549.1.9.3", asn1_core.ObjectIdentifier(spec.content_type).dump()),
                ("1.2.840.113549.1.9.5", time_der),
                ("1.2.840.113549.1.9.4", asn1_core.OctetString(message_digest).dump()),
                *(
                    [("1.2.840.113549.1.9.4", asn1_core.OctetString(b"\0" * 32).dump())]
                    if spec.repeat_digest
                    else []
                ),
                *spec.extra_attributes,
            )
        ]
        if spec.sort_attributes:
            attributes.sort()
        data = tlv(0x31, b"".join(attributes))
        signed_attrs = asn1_cms.CMSAttributes.load(data)
    key = spec.issued.key
    hash_algorithm = _hash(spec.hash_name)
    digest_algorithm: dict[str, object] = {"algorithm": spec.hash_name}
    if isinstance(key, ed25519.Ed25519PrivateKey):
        algorithm: dict[str, object] = {"algorithm": "ed25519"}
        digest_algorithm = {"algorithm": "sha512"}
        signature = key.sign(data)
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        name = "1.2.840.10045.2.1" if spec.signature == "ec_public_key" else None
        algorithm = {"algorithm": name or f"{spec.hash_name}_ecdsa"}
        signature = key.sign(data, ec.ECDSA(hash_algorithm))
    elif spec.signature == "pss":
        salt = spec.pss_salt if spec.pss_salt is not None else hash_algorithm.digest_size
        hash_id = {"algorithm": spec.hash_name}
        params = {
            "hash_algorithm": hash_id,
            "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": hash_id},
            "salt_length": salt,
        }
        algorithm = {"algorithm": "rsassa_pss", "parameters": params}
        pss = padding.PSS(mgf=padding.MGF1(hash_algorithm), salt_length=salt)
        signature = key.sign(data, pss, hash_algorithm)
    else:
        assert isinstance(key, rsa.RSAPrivateKey)
        name = f"{spec.hash_name}_rsa" if spec.signature == "rsa_hash" else "rsassa_pkcs1v15"
        algorithm = {"algorithm": name}
        signature = key.sign(data, padding.PKCS1v15(), hash_algorithm)
    if spec.corrupt_signature:
        signature = signature[:-1] + bytes((signature[-1] ^ 1,))
    if spec.signature_oid is not None:
        algorithm = {"algorithm": spec.signature_oid}
    info: dict[str, object] = {
        "version": "v3" if spec.sid == "ski" else "v1",
        "sid": sid,
        "digest_algorithm": digest_algorithm,
        "signature_algorithm": algorithm,
        "signature": signature,
    }
    if signed_attrs is not None:
        info["signed_attrs"] = signed_attrs
    return asn1_cms.SignerInfo(info)


def cms_signed_data(
    content: bytes,
    signers: Sequence[SignerSpec],
    certificates: Sequence[x509.Certificate] | None = None,
    *,
    encapsulate: bool = False,
    econtent_type: str = _OID_DATA,
) -> bytes:
    """A DER ContentInfo SignedData built independently of the product's signing code.

    ``certificates`` default to the signers' own, in order; ``encapsulate`` puts the content
    inside (opaque) instead of leaving it detached.
    """
    from asn1crypto import cms as asn1_cms

    infos = [_signer_info(content, spec) for spec in signers]
    bag = certificates if certificates is not None else [spec.issued.cert for spec in signers]
    encap: dict[str, object] = {"content_type": econtent_type}
    if encapsulate:
        encap["content"] = content
    signed_data = asn1_cms.SignedData(
        {
            "version": "v3" if any(spec.sid == "ski" for spec in signers) else "v1",
            "digest_algorithms": [info["digest_algorithm"] for info in infos],  # type: ignore[index]
            "encap_content_info": encap,
            "certificates": [
                asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
                for cert in bag
            ],
            "signer_infos": infos,
        }
    )
    info = asn1_cms.ContentInfo({"content_type": "signed_data", "content": signed_data})
    return bytes(info.dump())


def streamed_signed_data(der: bytes, chunk: int = 1000) -> bytes:
    """An opaque SignedData (DER) re-encoded as ``openssl cms -stream`` writes it.

    ContentInfo, [0], SignedData, EncapsulatedContentInfo and eContent get indefinite
    lengths, and the content becomes a constructed OCTET STRING of ``chunk``-byte segments.
    """
    from asn1crypto import parser as asn1_parser

    def elements(data: bytes) -> list[tuple[int, bytes, bytes]]:
        out = []
        while data:
            _, _, _, header, contents, trailer = asn1_parser.parse(data)
            size = len(header) + len(contents) + len(trailer)
            out.append((data[0], contents, data[:size]))
            data = data[size:]
        return out

    def indefinite(identifier: int, pieces: list[bytes]) -> bytes:
        return bytes((identifier | 0x20, 0x80)) + b"".join(pieces) + b"\x00\x00"

    [(_, info, _)] = elements(der)
    oid, (_, explicit, _) = elements(info)
    [(_, signed_data, _)] = elements(explicit)
    fields = elements(signed_data)
    encap_oid, (_, econtent, _) = elements(fields[2][1])
    [(_, content, _)] = elements(econtent)
    segments = [
        asn1_core.OctetString(content[i : i + chunk]).dump() for i in range(0, len(content), chunk)
    ]
    encap = indefinite(0x30, [encap_oid[2], indefinite(0xA0, [indefinite(0x04, segments)])])
    rebuilt = [f[2] for f in fields[:2]] + [encap] + [f[2] for f in fields[3:]]
    return indefinite(0x30, [oid[2], indefinite(0xA0, [indefinite(0x30, rebuilt)])])
