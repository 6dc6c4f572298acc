"""Reading certificates and the facts about them that the rest of the program keys on."""

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID

from desktop_app.core.recipients.normalise import AddressKeyError, address_key


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


def _keys(values: list[str]) -> tuple[str, ...]:
    keys: list[str] = []
    for value in values:
        if "@" not in value:
            continue
        try:
            key = address_key(value.strip())
        except AddressKeyError:
            continue
        if key not in keys:
            keys.append(key)
    return tuple(keys)


def email_addresses(cert: x509.Certificate) -> tuple[str, ...]:
    """Normalised address keys the certificate is issued for.

    SAN rfc822Name entries when there are any; otherwise the legacy subject
    emailAddress attribute (RFC 8550 section 3 still allows it). A certificate whose
    extensions do not parse names no address (fail closed).
    """
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        from_san = _keys(san.get_values_for_type(x509.RFC822Name))
    except x509.ExtensionNotFound:
        from_san = ()
    except ValueError:
        return ()
    if from_san:
        return from_san
    legacy = [
        attribute.value
        for attribute in cert.subject.get_attributes_for_oid(NameOID.EMAIL_ADDRESS)
        if isinstance(attribute.value, str)
    ]
    return _keys(legacy)


def is_ca(cert: x509.Certificate) -> bool:
    """True for a certificate whose basicConstraints says it is a CA (malformed: False)."""
    try:
        constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except (x509.ExtensionNotFound, ValueError):
        return False
    return constraints.ca
