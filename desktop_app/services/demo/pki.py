"""The demo's certificate authority and people, made with ``cryptography`` on first run.

No private key is shipped: every key is generated in the demo home when it is built. Only
the demo user's own (throwaway, clearly labelled) key is kept; the others are dropped.
"""

import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from desktop_app.core.messages import text
from desktop_app.services.demo.errors import DemoError

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

CA_NAME = "smime-guard Demo CA (throwaway)"
ORGANISATION = "smime-guard demo"
VALIDITY = timedelta(days=730)
KEY_LABEL = (
    "DEMO KEY: a throwaway key made for smime-guard's demo mode. It protects nothing;\n"
    "never use it, or anything encrypted to it, for real mail.\n"
)


class CertificateKind(StrEnum):
    """What the demo makes for a person (see resources/demo/people.toml)."""

    IDENTITY = "identity"
    RSA = "rsa"
    EC = "ec"
    EXPIRED = "expired"
    REVOKED = "revoked"
    SIGNING_ONLY = "signing_only"
    OTHER_ADDRESS = "other_address"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class DemoPerson:
    name: str
    address: str
    certificate: CertificateKind
    certificate_address: str | None = None


def read_people(source_text: str) -> tuple[DemoPerson, ...]:
    """The people of ``people.toml``; exactly one has the demo user's identity."""
    try:
        entries = tomllib.loads(source_text).get("person", [])
        people = tuple(
            DemoPerson(
                name=str(entry["name"]),
                address=str(entry["address"]),
                certificate=CertificateKind(entry["certificate"]),
                certificate_address=entry.get("certificate_address"),
            )
            for entry in entries
        )
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as error:
        raise DemoError(text("demo.bad_people", reason=error)) from None
    if sum(person.certificate is CertificateKind.IDENTITY for person in people) != 1:
        raise DemoError(text("demo.bad_people", reason="one identity is needed"))
    return people


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
        ]
    )


def _key_usage(*, signing: bool, encipher: bool, agree: bool, ca: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing,
        content_commitment=False,
        key_encipherment=encipher,
        data_encipherment=False,
        key_agreement=agree,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


class DemoAuthority:
    """A CA valid for ten years from ``now``, issuing S/MIME certificates and a CRL."""

    def __init__(self, now: datetime) -> None:
        self._now = now
        self._key = ec.generate_private_key(ec.SECP256R1())
        self._serial = 0x1000
        public = self._key.public_key()
        self.certificate = (
            x509.CertificateBuilder()
            .subject_name(_name(CA_NAME))
            .issuer_name(_name(CA_NAME))
            .public_key(public)
            .serial_number(self._next_serial())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(signing=True, encipher=False, agree=False, ca=True), True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .sign(self._key, hashes.SHA256())
        )

    def _next_serial(self) -> int:
        self._serial += 1
        return self._serial

    def issue(
        self,
        person: DemoPerson,
        key: PrivateKey,
        *,
        address: str | None = None,
        expired: bool = False,
        signing_only: bool = False,
    ) -> x509.Certificate:
        """An S/MIME certificate for ``person`` (or for ``address`` instead)."""
        is_rsa = isinstance(key, rsa.RSAPrivateKey)
        if expired:
            not_before, not_after = self._now - VALIDITY, self._now - timedelta(days=30)
        else:
            not_before, not_after = self._now - timedelta(days=1), self._now + VALIDITY
        usage = _key_usage(
            signing=True,
            encipher=is_rsa and not signing_only,
            agree=not is_rsa and not signing_only,
        )
        return (
            x509.CertificateBuilder()
            .subject_name(_name(person.name))
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(self._next_serial())
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self._key.public_key()),
                critical=False,
            )
            .add_extension(
                x509.SubjectAlternativeName([x509.RFC822Name(address or person.address)]),
                critical=False,
            )
            .add_extension(usage, critical=True)
            .add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
            )
            .sign(self._key, hashes.SHA256())
        )

    def crl(self, revoked: list[x509.Certificate]) -> x509.CertificateRevocationList:
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.certificate.subject)
            .last_update(self._now - timedelta(hours=1))
            .next_update(self._now + timedelta(days=365))
        )
        for certificate in revoked:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder()
                .serial_number(certificate.serial_number)
                .revocation_date(self._now - timedelta(days=2))
                .build()
            )
        return builder.sign(self._key, hashes.SHA256())


def new_key(kind: CertificateKind) -> PrivateKey:
    """RSA where the demo wants RSA (the user: today's sealing encrypts to RSA), else P-256."""
    if kind in (CertificateKind.IDENTITY, CertificateKind.RSA, CertificateKind.EXPIRED):
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ec.generate_private_key(ec.SECP256R1())


def labelled_key_pem(key: PrivateKey) -> bytes:
    """The demo user's key as unencrypted PKCS#8 PEM, after a label saying what it is."""
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return KEY_LABEL.encode("ascii") + pem


def certificate_pem(*certificates: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates)
