"""What the certificate details dialog shows of a certificate besides its verdict."""

from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from desktop_app.core.pki.certificates import (
    email_addresses,
    fingerprint_sha256,
    shown_issuer,
    shown_subject,
)
from desktop_app.core.pki.parsing import PARSE_ERRORS

_CURVES = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}


@dataclass(frozen=True, slots=True)
class CertificateFacts:
    """What the certificate details dialog shows besides the verdict."""

    fingerprint: str
    subject: str
    subject_text: str
    issuer: str
    serial: str
    not_before: datetime
    not_after: datetime
    addresses: tuple[str, ...]
    key: str


def _key_text(certificate: x509.Certificate) -> str:
    try:
        key = certificate.public_key()
    except PARSE_ERRORS:  # UnsupportedAlgorithm for a key type cryptography does not know
        return "?"
    if isinstance(key, rsa.RSAPublicKey):
        return f"RSA {key.key_size}"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return f"EC {_CURVES.get(key.curve.name, key.curve.name)}"
    return type(key).__name__.removesuffix("PublicKey").lstrip("_")


def common_name(rfc4514: str) -> str:
    """The CN of an RFC 4514 subject ("CN=Lee\\, Dr. Jordan,O=Clinic"), or ""."""
    parts, current, escaped = [], [], False
    for char in rfc4514:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in ",+":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    for part in parts:
        name, _, value = part.partition("=")
        if name.strip().upper() == "CN":
            return value.strip()
    return ""


def certificate_facts(certificate: x509.Certificate) -> CertificateFacts:
    try:
        subject_text = certificate.subject.rfc4514_string()
    except PARSE_ERRORS:
        subject_text = ""
    return CertificateFacts(
        fingerprint=fingerprint_sha256(certificate),
        subject=shown_subject(certificate),
        subject_text=subject_text,
        issuer=shown_issuer(certificate),
        serial=f"{certificate.serial_number:X}",
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        addresses=email_addresses(certificate),
        key=_key_text(certificate),
    )
