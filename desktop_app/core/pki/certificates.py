"""Reading certificates and the facts about them that the rest of the program keys on."""

import binascii
import re
from typing import ClassVar

from asn1crypto import algos as asn1_algos
from asn1crypto import cms as asn1_cms
from asn1crypto import core as asn1_core
from asn1crypto import pem as asn1_pem
from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.core.pki.cert_addresses import email_addresses
from desktop_app.core.pki.parsing import (
    PARSE_ERRORS,
    UnreadableCertificate,
    touch_certificate,
    touch_crl,
)

__all__ = [
    "CertificateError",
    "display_name",
    "email_addresses",
    "fingerprint_sha256",
    "is_ca",
    "load_certificates",
    "load_crl",
    "shown_issuer",
    "shown_subject",
    "spki_sha256",
]


class CertificateError(UserFacingError):
    """A certificate or CRL source that cannot be read; the message names the source."""


# Password work a PKCS#12 file may ask for, summed over its MAC, encrypted safes and
# shrouded keys. The counts are read from the file, so a damaged or hostile one could
# otherwise stall the caller for hours; 600,000 rounds (today's PBKDF2 advice) for each
# of the three still fits, at about 0.25 s per million rounds here.
MAX_PKCS12_ROUNDS = 2_000_000

_CERTIFICATE_BLOCKS = frozenset({"CERTIFICATE", "X509 CERTIFICATE"})
_PKCS7_BLOCKS = frozenset({"PKCS7", "CMS"})
_CRL_BLOCKS = frozenset({"X509 CRL"})
_CERTIFICATELESS_CMS = frozenset(
    {"data", "digested_data", "encrypted_data", "enveloped_data", "authenticated_data"}
    | {"authenticated_enveloped_data", "compressed_data"}
)
_PEM_MARKER = b"-----BEGIN "
_BARE_BASE64 = re.compile(rb"[A-Za-z0-9+/=\s]+")
_PBMAC1 = "1.2.840.113549.1.5.14"  # RFC 9579: the real round count sits in its parameters
_MAX_SAFE_NESTING = 4


class _Pbmac1Params(asn1_core.Sequence):  # type: ignore[misc]
    # asn1crypto lacks RFC 9579 PBMAC1-params; only the KDF is needed here.
    _fields: ClassVar = [
        ("key_derivation_func", asn1_algos.KdfAlgorithm),
        ("message_auth_scheme", asn1_algos.HmacAlgorithm),
    ]


def load_certificates(
    data: bytes, *, source_name: str, password: bytes | None = None
) -> tuple[x509.Certificate, ...]:
    """Every certificate in ``data``, in file order without repeats.

    Reads PEM (CERTIFICATE and PKCS7 blocks; other blocks and text are skipped), DER, a
    PKCS#7 / CMS SignedData (a .p7b bundle or an S/MIME signature) in DER, PEM or bare
    base64, and PKCS#12 (certificates only; without ``password``, no password and the
    empty password are tried).

    Raises:
        CertificateError: for anything else; no other exception escapes for any bytes.
    """
    if not data.strip():
        raise CertificateError(text("cert.empty", source=source_name))
    if _PEM_MARKER in data:
        certificates = _from_pem(data, source_name)
    else:
        certificates = _from_binary(data, source_name, password, allow_base64=True)
    if not certificates:
        raise CertificateError(text("cert.none", source=source_name))
    return tuple(dict.fromkeys(certificates))


def load_crl(data: bytes, *, source_name: str) -> x509.CertificateRevocationList:
    """The CRL in ``data`` (DER, or the first X509 CRL block of a PEM file).

    Raises:
        CertificateError: when it cannot be read; no other exception escapes.
    """
    unreadable = CertificateError(text("crl.unreadable", source=source_name))
    der = data
    if _PEM_MARKER in data:
        blocks = [block for name, block in _pem_blocks(data, unreadable) if name in _CRL_BLOCKS]
        if not blocks:
            raise unreadable
        der = blocks[0]
    try:
        # Parsed lazily: touch now what evaluation reads, so a damaged list fails here.
        return touch_crl(x509.load_der_x509_crl(der))
    except PARSE_ERRORS as error:
        raise unreadable from error


def _pem_blocks(data: bytes, failure: CertificateError) -> list[tuple[str, bytes]]:
    try:
        return [(name, der) for name, _headers, der in asn1_pem.unarmor(data, multiple=True)]
    except Exception as error:  # asn1crypto raises assorted types for damaged armour
        raise failure from error


def _from_pem(data: bytes, source: str) -> list[x509.Certificate]:
    unreadable = CertificateError(text("cert.unreadable", source=source))
    certificates: list[x509.Certificate] = []
    recognised = False
    for name, der in _pem_blocks(data, unreadable):
        if name in _CERTIFICATE_BLOCKS:
            recognised = True
            certificates.append(_certificate(der, source, len(certificates) + 1))
        elif name in _PKCS7_BLOCKS:
            recognised = True
            ders = _signed_data_certificates(der)
            if ders is None:
                raise unreadable
            certificates.extend(_certificates(ders, source, len(certificates)))
    if not recognised:
        raise unreadable
    return certificates


def _from_binary(
    data: bytes, source: str, password: bytes | None, *, allow_base64: bool
) -> list[x509.Certificate]:
    try:
        single = x509.load_der_x509_certificate(data)
    except PARSE_ERRORS:
        pass
    else:
        return [_checked(single, source, 1)]
    ders = _signed_data_certificates(data)
    if ders is not None:
        return _certificates(ders, source, 0)
    pfx = _pfx(data)
    if pfx is not None:
        return _pkcs12_certificates(data, pfx, source, password)
    # Some .p7c and .cer files are base64 without PEM armour.
    if allow_base64 and _BARE_BASE64.fullmatch(data):
        try:
            decoded = binascii.a2b_base64(data)
        except ValueError:  # binascii.Error
            decoded = b""
        if decoded:
            return _from_binary(decoded, source, password, allow_base64=False)
    raise CertificateError(text("cert.unreadable", source=source))


def _certificates(ders: list[bytes], source: str, numbered_from: int) -> list[x509.Certificate]:
    return [_certificate(der, source, numbered_from + n) for n, der in enumerate(ders, 1)]


def _certificate(der: bytes, source: str, number: int) -> x509.Certificate:
    try:
        certificate = x509.load_der_x509_certificate(der)
    except PARSE_ERRORS as error:
        raise CertificateError(text("cert.damaged", source=source, number=number)) from error
    return _checked(certificate, source, number)


def _checked(certificate: x509.Certificate, source: str, number: int) -> x509.Certificate:
    """``certificate`` once the parts every caller reads have parsed.

    cryptography parses lazily. Names, key and dates must work for the store and the
    verdict, so a certificate whose parts fail is refused here. Extensions are left
    alone: a certificate whose extensions do not parse is still stored, and judged
    unusable later.
    """
    try:
        touch_certificate(certificate)
    except UnreadableCertificate as error:
        raise CertificateError(text("cert.damaged", source=source, number=number)) from error
    try:
        certificate.public_key()
    except PARSE_ERRORS as error:
        raise CertificateError(
            text("cert.unsupported_key", source=source, number=number)
        ) from error
    return certificate


def _signed_data_certificates(data: bytes) -> list[bytes] | None:
    """DER of each certificate in a CMS SignedData; ``None`` when ``data`` is not one.

    asn1crypto, not cryptography's PKCS#7 loader: that one warns on BER, which OpenSSL
    writes (unsorted SETs, indefinite lengths), and says it may refuse BER one day.
    """
    try:
        info = asn1_cms.ContentInfo.load(data, strict=True)
        kind = info["content_type"].native
        if kind != "signed_data":
            # An encrypted message and the like: CMS indeed, but without certificates.
            return [] if kind in _CERTIFICATELESS_CMS else None
        certificates = info["content"]["certificates"]
        if isinstance(certificates, asn1_core.Void):
            return []
        return [choice.chosen.dump() for choice in certificates if choice.name == "certificate"]
    except Exception:  # asn1crypto raises assorted types for malformed input
        return None


def _pfx(data: bytes) -> asn1_pkcs12.Pfx | None:
    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        if pfx["version"].native != "v3" or pfx["auth_safe"]["content_type"].native != "data":
            return None
        return pfx
    except Exception:  # asn1crypto raises assorted types for malformed input
        return None


def _pkcs12_certificates(
    data: bytes, pfx: asn1_pkcs12.Pfx, source: str, password: bytes | None
) -> list[x509.Certificate]:
    unreadable = CertificateError(text("cert.unreadable", source=source))
    try:
        rounds, protected = _pkcs12_work(pfx)
    except Exception as error:  # unknown KDF or damaged structure: cost unknown, refuse
        raise unreadable from error
    if rounds > MAX_PKCS12_ROUNDS:
        raise CertificateError(text("cert.pkcs12_too_costly", source=source, rounds=rounds))
    for attempt in (password,) if password is not None else (None, b""):
        try:
            loaded = pkcs12.load_pkcs12(data, attempt)
        except ValueError:
            continue  # wrong password and damaged data look the same from here
        except PARSE_ERRORS as error:
            raise unreadable from error
        found = [loaded.cert.certificate] if loaded.cert is not None else []
        found.extend(extra.certificate for extra in loaded.additional_certs)
        return [_checked(cert, source, number) for number, cert in enumerate(found, 1)]
    if not protected:
        raise unreadable
    key = "cert.password_needed" if password is None else "cert.password_wrong"
    raise CertificateError(text(key, source=source))


def _pkcs12_work(pfx: asn1_pkcs12.Pfx) -> tuple[int, bool]:
    """Total KDF rounds one password attempt costs, and whether a password is involved."""
    rounds = 0
    protected = False
    mac_data = pfx["mac_data"]
    if not isinstance(mac_data, asn1_core.Void):
        protected = True
        algorithm = mac_data["mac"]["digest_algorithm"]
        if algorithm["algorithm"].dotted == _PBMAC1:
            params = _Pbmac1Params.load(algorithm["parameters"].dump())
            rounds += params["key_derivation_func"]["parameters"]["iteration_count"].native
        else:
            rounds += mac_data["iterations"].native
    for info in pfx.authenticated_safe:
        kind = info["content_type"].native
        if kind == "encrypted_data":
            protected = True
            encrypted = info["content"]["encrypted_content_info"]
            rounds += encrypted["content_encryption_algorithm"].kdf_iterations
        elif kind == "data":
            bags = asn1_pkcs12.SafeContents.load(info["content"].native)
            bag_rounds = _bag_rounds(bags, depth=0)
            protected = protected or bag_rounds > 0
            rounds += bag_rounds
    return rounds, protected


def _bag_rounds(bags: asn1_pkcs12.SafeContents, depth: int) -> int:
    if depth > _MAX_SAFE_NESTING:
        raise ValueError("safe contents nested too deeply")
    rounds = 0
    for bag in bags:
        kind = bag["bag_id"].native
        if kind == "pkcs8_shrouded_key_bag":
            rounds += max(1, bag["bag_value"]["encryption_algorithm"].kdf_iterations)
        elif kind == "safe_contents":
            rounds += _bag_rounds(bag["bag_value"], depth + 1)
    return rounds


def fingerprint_sha256(cert: x509.Certificate) -> str:
    """Lower-case hex SHA-256 of the DER certificate."""
    return cert.fingerprint(hashes.SHA256()).hex()


def spki_sha256(cert: x509.Certificate) -> str:
    """Lower-case hex SHA-256 of the subject public key info: same key, same value."""
    spki = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    digest = hashes.Hash(hashes.SHA256())
    digest.update(spki)
    return digest.finalize().hex()


def display_name(name: x509.Name) -> str:
    """A distinguished name as people read it: its common name, else the RFC 4514 string."""
    try:
        common_names = name.get_attributes_for_oid(NameOID.COMMON_NAME)
        if common_names and isinstance(common_names[0].value, str):
            return common_names[0].value
        written = name.rfc4514_string()
    except PARSE_ERRORS:
        written = ""
    return written or text("cert.unnamed")


def shown_subject(cert: x509.Certificate) -> str:
    """``display_name`` of the subject; never raises, even when the name does not parse."""
    try:
        return display_name(cert.subject)
    except PARSE_ERRORS:
        return text("cert.unnamed")


def shown_issuer(cert: x509.Certificate) -> str:
    """``display_name`` of the issuer; never raises, even when the name does not parse."""
    try:
        return display_name(cert.issuer)
    except PARSE_ERRORS:
        return text("cert.unnamed")


def is_ca(cert: x509.Certificate) -> bool:
    """True for a certificate whose basicConstraints says it is a CA (malformed: False)."""
    try:
        constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except (x509.ExtensionNotFound, *PARSE_ERRORS):
        return False
    return constraints.ca
