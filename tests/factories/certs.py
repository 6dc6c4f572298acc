"""Test certificate authority: builds real CAs, S/MIME certificates and CRLs for tests.

Every test makes its own certificates with this module; no certificate is checked in.
Keys are cached per size so a test run generates only a handful of RSA keys.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import (
    AuthorityInformationAccessOID,
    ExtendedKeyUsageOID,
    ExtensionOID,
    NameOID,
)

UTC = dt.UTC
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey

_CURVES: dict[str, ec.EllipticCurve] = {
    "p192": ec.SECP192R1(),
    "p256": ec.SECP256R1(),
    "p384": ec.SECP384R1(),
    "p521": ec.SECP521R1(),
    "k256": ec.SECP256K1(),
}


@functools.cache
def private_key(kind: str = "rsa2048", slot: int = 0) -> PrivateKey:
    """A cached private key. ``kind`` is rsaNNNN, p192/p256/p384/p521/k256 or ed25519.

    ``slot`` gives distinct keys of the same kind (for "key changed" cases).
    """
    del slot  # part of the cache key only
    if kind.startswith("rsa"):
        return rsa.generate_private_key(public_exponent=65537, key_size=int(kind[3:]))
    if kind == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    return ec.generate_private_key(_CURVES[kind])


def _name(common_name: str, email: str | None = None) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if email is not None:
        attributes.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
    return x509.Name(attributes)


@dataclass(frozen=True)
class Issued:
    """A certificate with its private key."""

    cert: x509.Certificate
    key: PrivateKey

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)


def _resign_with_legacy_hash(
    cert: x509.Certificate, key: PrivateKey, hash_name: str
) -> x509.Certificate:
    """Re-sign ``cert`` with SHA-1 or MD5, which cryptography's builders refuse to do."""
    assert isinstance(key, rsa.RSAPrivateKey), "legacy hashes are only made for RSA issuers"
    algorithm = {"sha1": ("sha1_rsa", hashes.SHA1()), "md5": ("md5_rsa", hashes.MD5())}[hash_name]
    parsed = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    tbs = parsed["tbs_certificate"]
    tbs["signature"] = {"algorithm": algorithm[0]}
    tbs_der = tbs.dump(force=True)
    signature = key.sign(tbs_der, padding.PKCS1v15(), algorithm[1])
    rebuilt = asn1_x509.Certificate(
        {
            "tbs_certificate": asn1_x509.TbsCertificate.load(tbs_der),
            "signature_algorithm": {"algorithm": algorithm[0]},
            "signature_value": signature,
        }
    )
    return x509.load_der_x509_certificate(rebuilt.dump())


def _sign(builder: x509.CertificateBuilder, key: PrivateKey, hash_name: str) -> x509.Certificate:
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return builder.sign(key, None)
    if hash_name in ("sha1", "md5"):
        return _resign_with_legacy_hash(builder.sign(key, hashes.SHA256()), key, hash_name)
    digest = {"sha256": hashes.SHA256(), "sha384": hashes.SHA384(), "sha512": hashes.SHA512()}
    return builder.sign(key, digest[hash_name])


def _with_revocation_sources(
    builder: x509.CertificateBuilder, crl_urls: Sequence[str], ocsp_urls: Sequence[str]
) -> x509.CertificateBuilder:
    """``builder`` naming CRL distribution points and AIA OCSP responders, if any."""
    if crl_urls:
        points = [
            x509.DistributionPoint([x509.UniformResourceIdentifier(url)], None, None, None)
            for url in crl_urls
        ]
        builder = builder.add_extension(x509.CRLDistributionPoints(points), critical=False)
    if ocsp_urls:
        access = [
            x509.AccessDescription(
                AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(url)
            )
            for url in ocsp_urls
        ]
        builder = builder.add_extension(x509.AuthorityInformationAccess(access), critical=False)
    return builder


class TestCA:
    """A CA (root or intermediate) that issues S/MIME certificates and CRLs.

    Args:
        name: common name of the CA.
        issuer: the CA above this one; ``None`` makes a self-signed root.
        key_kind: key of the CA itself (EC P-256 keeps tests fast).
        hash_name: hash the *parent* uses to sign this CA's certificate.
        eku: extendedKeyUsage of the CA certificate; ``None`` omits the extension.
        crl_urls, ocsp_urls: CRL distribution points and AIA OCSP responders the CA
            certificate names (where its issuer publishes its revocation).
    """

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        name: str = "Test Root CA",
        *,
        issuer: TestCA | None = None,
        key_kind: str = "p256",
        slot: int = 0,
        hash_name: str = "sha256",
        not_before: dt.datetime = NOW - dt.timedelta(days=3650),
        not_after: dt.datetime = NOW + dt.timedelta(days=3650),
        eku: Sequence[x509.ObjectIdentifier] | None = None,
        crl_urls: Sequence[str] = (),
        ocsp_urls: Sequence[str] = (),
    ) -> None:
        self.name = _name(name)
        self.key = private_key(key_kind, slot=hash((name, slot)) if issuer else slot)
        self._next_serial = 1000
        builder = (
            x509.CertificateBuilder()
            .subject_name(self.name)
            .issuer_name(issuer.name if issuer else self.name)
            .public_key(self.key.public_key())
            .serial_number(issuer._serial() if issuer else 1)
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()), critical=False
            )
        )
        if issuer is not None:
            builder = builder.add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),  # type: ignore[arg-type]
                critical=False,
            )
        if eku is not None:
            builder = builder.add_extension(x509.ExtendedKeyUsage(list(eku)), critical=False)
        builder = _with_revocation_sources(builder, crl_urls, ocsp_urls)
        self.cert = _sign(builder, issuer.key if issuer else self.key, hash_name)

    def _serial(self) -> int:
        self._next_serial += 1
        return self._next_serial

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def intermediate(self, name: str = "Test Intermediate CA", **kwargs: object) -> TestCA:
        return TestCA(name, issuer=self, **kwargs)  # type: ignore[arg-type]

    def issue(
        self,
        addresses: Sequence[str] = ("alice@example.org",),
        *,
        common_name: str | None = None,
        subject_email: str | None = None,
        key_kind: str = "rsa2048",
        slot: int = 0,
        key_usage: str | None = "default",
        eku: Sequence[x509.ObjectIdentifier] | None = (ExtendedKeyUsageOID.EMAIL_PROTECTION,),
        not_before: dt.datetime = NOW - dt.timedelta(days=30),
        not_after: dt.datetime = NOW + dt.timedelta(days=365),
        hash_name: str = "sha256",
        malformed_extension: x509.ObjectIdentifier | None = None,
        serial: int | None = None,
        crl_urls: Sequence[str] = (),
        ocsp_urls: Sequence[str] = (),
    ) -> Issued:
        """Issue an end-entity certificate.

        ``key_usage``: "default" picks keyEncipherment (RSA) or keyAgreement (EC) plus
        digitalSignature; "signing" gives digitalSignature only; ``None`` omits the extension.
        ``malformed_extension``: put that extension OID with bytes that do not parse in place
        of the normal extension. ``crl_urls``, ``ocsp_urls``: CRL distribution points and
        AIA OCSP responders to name.
        """
        key = private_key(key_kind, slot)
        cn = common_name or (addresses[0] if addresses else "No Address")
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(cn, subject_email))
            .issuer_name(self.name)
            .public_key(key.public_key())
            .serial_number(serial if serial is not None else self._serial())
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),  # type: ignore[arg-type]
                critical=False,
            )
        )
        if addresses and malformed_extension != ExtensionOID.SUBJECT_ALTERNATIVE_NAME:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.RFC822Name(a) for a in addresses]), critical=False
            )
        if key_usage is not None and malformed_extension != ExtensionOID.KEY_USAGE:
            is_rsa = isinstance(key, rsa.RSAPrivateKey)
            builder = builder.add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=is_rsa and key_usage == "default",
                    data_encipherment=False,
                    key_agreement=(not is_rsa) and key_usage == "default",
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
        if eku is not None and malformed_extension != ExtensionOID.EXTENDED_KEY_USAGE:
            builder = builder.add_extension(x509.ExtendedKeyUsage(list(eku)), critical=False)
        builder = _with_revocation_sources(builder, crl_urls, ocsp_urls)
        if malformed_extension is not None:
            builder = builder.add_extension(
                x509.UnrecognizedExtension(malformed_extension, b"\x30\x03\x02\x01"), critical=False
            )
        return Issued(_sign(builder, self.key, hash_name), key)

    def crl(
        self,
        revoked_serials: Sequence[int] = (),
        *,
        last_update: dt.datetime = NOW - dt.timedelta(days=1),
        next_update: dt.datetime = NOW + dt.timedelta(days=30),
        signing_key: PrivateKey | None = None,
    ) -> x509.CertificateRevocationList:
        """A CRL of this CA; ``signing_key`` other than the CA's makes a forged one."""
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.name)
            .last_update(last_update)
            .next_update(next_update)
        )
        for serial in revoked_serials:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder()
                .serial_number(serial)
                .revocation_date(last_update)
                .build()
            )
        return builder.sign(signing_key or self.key, hashes.SHA256())  # type: ignore[arg-type]

    def ocsp_signer(
        self,
        *,
        eku: bool | Sequence[x509.ObjectIdentifier] = True,
        key_kind: str = "p256",
        slot: int = 7,
    ) -> Issued:
        """A delegated OCSP responder certificate of this CA (id-kp-OCSPSigning; no
        extendedKeyUsage when ``eku`` is False, these usages when it is a list)."""
        key = private_key(key_kind, slot)
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(f"{self.name.rfc4514_string()} OCSP responder"))
            .issuer_name(self.name)
            .public_key(key.public_key())
            .serial_number(self._serial())
            .not_valid_before(NOW - dt.timedelta(days=30))
            .not_valid_after(NOW + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        )
        if eku:
            usages = [ExtendedKeyUsageOID.OCSP_SIGNING] if eku is True else list(eku)
            builder = builder.add_extension(x509.ExtendedKeyUsage(usages), critical=False)
        return Issued(builder.sign(self.key, hashes.SHA256()), key)  # type: ignore[arg-type]

    def ocsp_response(
        self,
        certificate: x509.Certificate,
        *,
        revoked: bool = False,
        nonce: bytes | None = None,
        this_update: dt.datetime = NOW - dt.timedelta(hours=1),
        next_update: dt.datetime | None = NOW + dt.timedelta(days=7),
        responder: Issued | None = None,
    ) -> bytes:
        """A DER OCSP response about ``certificate``, signed by this CA or ``responder``
        (whose certificate is included)."""
        status = ocsp.OCSPCertStatus.REVOKED if revoked else ocsp.OCSPCertStatus.GOOD
        builder = ocsp.OCSPResponseBuilder().add_response(
            cert=certificate,
            issuer=self.cert,
            algorithm=hashes.SHA1(),
            cert_status=status,
            this_update=this_update,
            next_update=next_update,
            revocation_time=this_update - dt.timedelta(days=1) if revoked else None,
            revocation_reason=None,
        )
        signer_cert, signer_key = (
            (responder.cert, responder.key) if responder else (self.cert, self.key)
        )
        builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, signer_cert)
        if responder is not None:
            builder = builder.certificates([responder.cert])
        if nonce is not None:
            builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
        response = builder.sign(signer_key, hashes.SHA256())  # type: ignore[arg-type]
        return response.public_bytes(serialization.Encoding.DER)


KEY_USAGE_OID = ExtensionOID.KEY_USAGE
