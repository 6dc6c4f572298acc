"""What cryptography raises for certificates, CRLs and names it cannot read, in one place.

cryptography parses lazily: loading DER checks the outer structure only, and names,
extensions and keys are decoded when first read, each with its own exceptions. Every
reader of outside data in ``core.pki`` (and the CMS code, through ``certificate_from_der``)
catches ``PARSE_ERRORS``, so a hostile certificate is one finding, never a crash.
"""

from typing import Final

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm

# By kind, with an input that raises it (tests/core/pki/test_parse_errors.py has one each):
PARSE_ERRORS: Final = (
    # Malformed DER anywhere; a string that does not decode; a bad extension value.
    ValueError,
    # A Name attribute holding a BIT STRING under any OID but x500UniqueIdentifier
    # ("oid must be X500_UNIQUE_IDENTIFIER for BitString type"), raised on reading the name.
    TypeError,
    # A certificate version other than v1, v2 or v3 (raised by the loaders).
    x509.InvalidVersion,
    # The same extension twice (raised on reading ``.extensions``).
    x509.DuplicateExtension,
    # A GeneralName form cryptography does not model (raised on reading ``.extensions``).
    x509.UnsupportedGeneralNameType,
    # A key or signature algorithm cryptography does not know (``public_key()``,
    # ``signature_hash_algorithm``, PKCS#12 ciphers).
    UnsupportedAlgorithm,
)


class UnreadableCertificate(ValueError):
    """A certificate or CRL whose names, serial number or dates cryptography cannot read.

    A ValueError, so that callers which already treat a failed load as "unreadable" need
    no new clause.
    """


def touch_certificate(cert: x509.Certificate) -> x509.Certificate:
    """``cert`` once the parts every caller reads (names, serial, dates) have parsed.

    Extensions and the key are left alone: the verdict judges those, and a certificate
    whose extensions do not parse is still shown and stored, as unusable.

    Raises:
        UnreadableCertificate: those parts do not parse.
    """
    try:
        _ = (cert.subject.rfc4514_string(), cert.issuer.rfc4514_string(), cert.serial_number)
        _ = (cert.not_valid_before_utc, cert.not_valid_after_utc)
    except PARSE_ERRORS as error:
        raise UnreadableCertificate(str(error)) from error
    return cert


def certificate_from_der(der: bytes) -> x509.Certificate:
    """The certificate in ``der``, with its names, serial and dates already read.

    Raises:
        UnreadableCertificate: ``der`` is not a certificate, or those parts do not parse.
    """
    try:
        cert = x509.load_der_x509_certificate(der)
    except PARSE_ERRORS as error:
        raise UnreadableCertificate(str(error)) from error
    return touch_certificate(cert)


def touch_crl(crl: x509.CertificateRevocationList) -> x509.CertificateRevocationList:
    """``crl`` once its issuer, dates, algorithm and every entry have parsed.

    Raises:
        UnreadableCertificate: any of those does not parse.
    """
    try:
        _ = (crl.issuer.rfc4514_string(), crl.last_update_utc, crl.signature_algorithm_oid)
        _ = crl.next_update_utc
        for entry in crl:
            _ = (entry.serial_number, entry.revocation_date_utc)
    except PARSE_ERRORS as error:
        raise UnreadableCertificate(str(error)) from error
    return crl
