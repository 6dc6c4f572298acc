"""The user's own S/MIME identity: certificate, private key, chain and addresses."""

from collections.abc import Sequence
from dataclasses import dataclass

from asn1crypto import keys as asn1_keys
from asn1crypto import pem as asn1_pem
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.core.pki.certificates import email_addresses, load_certificates
from desktop_app.core.pki.parsing import PARSE_ERRORS, touch_certificate

IdentityKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


class IdentityError(UserFacingError):
    """A PKCS#12 file that is no usable identity, or a stored identity that is damaged."""


class StoredKeyLockedError(IdentityError):
    """The stored private key does not open with the passphrase given for it."""


@dataclass(frozen=True)
class Identity:
    """The user's certificate with its private key, the chain that came with it, and the
    normalised addresses the certificate is issued for."""

    cert: x509.Certificate
    key: IdentityKey
    chain: tuple[x509.Certificate, ...]
    addresses: tuple[str, ...]


@dataclass(frozen=True)
class OwnCertificate:
    """The user's certificate and chain without the private key: enough to be a reader of
    one's own envelopes (an unsigned seal), not to sign or decrypt."""

    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    addresses: tuple[str, ...]


def own_certificate(cert: x509.Certificate, chain: Sequence[x509.Certificate]) -> OwnCertificate:
    others = tuple(dict.fromkeys(c for c in chain if c != cert))
    return OwnCertificate(cert=cert, chain=others, addresses=email_addresses(cert))


def _checked_key(key: object, cert: x509.Certificate, source: str) -> IdentityKey:
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise IdentityError(
            text("identity.unsupported_key", source=source, kind=type(key).__name__)
        )
    if key.public_key() != cert.public_key():
        raise IdentityError(text("identity.key_not_for_certificate", source=source))
    return key


def identity_of(
    cert: x509.Certificate, key: object, chain: Sequence[x509.Certificate], *, source: str
) -> Identity:
    """An Identity, once ``key`` is checked to be an S/MIME-capable key for ``cert``."""
    checked = _checked_key(key, cert, source)
    others = tuple(dict.fromkeys(c for c in chain if c != cert))
    return Identity(cert=cert, key=checked, chain=others, addresses=email_addresses(cert))


def load_pkcs12_identity(data: bytes, *, source_name: str, password: bytes | None) -> Identity:
    """The identity in a PKCS#12 file: its key, the certificate for it, and the rest.

    ``password=None`` tries no password and the empty one, as Windows exports use.

    Raises:
        CertificateError: the file is unreadable, asks for too much password work, or the
            password is wrong (the certificate reader checks all that first, bounded).
        IdentityError: the file holds no key, no certificate, or a key of another kind.
    """
    # The certificate reader bounds the password work a hostile file can ask for and
    # tells a wrong password apart; only then is the key taken out.
    certificates = load_certificates(data, source_name=source_name, password=password)
    for attempt in (password,) if password is not None else (None, b""):
        try:
            loaded = pkcs12.load_pkcs12(data, attempt)
        except ValueError:
            continue
        except PARSE_ERRORS as error:
            raise IdentityError(text("identity.pkcs12_unreadable", source=source_name)) from error
        if loaded.key is None:
            raise IdentityError(text("identity.no_private_key", source=source_name))
        if loaded.cert is None:
            raise IdentityError(text("identity.no_certificate", source=source_name))
        cert = loaded.cert.certificate
        return identity_of(cert, loaded.key, certificates, source=source_name)
    raise IdentityError(text("identity.pkcs12_unreadable", source=source_name))


def encrypted_key_pem(key: IdentityKey, passphrase: bytes) -> bytes:
    """``key`` as PEM PKCS#8, encrypted (PBES2) under ``passphrase``."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase),
    )


def _is_encrypted_key_pem(data: bytes) -> bool:
    try:
        name, _headers, der = asn1_pem.unarmor(data)
        if name != "ENCRYPTED PRIVATE KEY":
            return False
        asn1_keys.EncryptedPrivateKeyInfo.load(der, strict=True).native  # noqa: B018
    except Exception:  # asn1crypto raises assorted types for damaged input
        return False
    return True


def open_stored_identity(
    certificates: str, key_pem: bytes, passphrase: bytes, *, source: str
) -> Identity:
    """The identity kept as ``certificates_pem`` text and an ``encrypted_key_pem`` key.

    Raises:
        StoredKeyLockedError: ``passphrase`` does not open the key.
        IdentityError: either part is damaged, unencrypted, or they do not belong together.
    """
    cert, chain = certificates_from_pem(certificates)
    if not _is_encrypted_key_pem(key_pem):
        # Never accept a key that was stored, or swapped in, unencrypted.
        raise IdentityError(text("identity.stored_key_damaged"))
    try:
        # The RSA key was validated when it was imported; it is stored encrypted under a
        # random passphrase that only the keyring holds, so no one can have swapped in a
        # crafted key without already having the real one. Checking it again on every
        # unlock costs about 45 ms (a third of a signed seal's own work).
        key = serialization.load_pem_private_key(
            key_pem, passphrase, unsafe_skip_rsa_key_validation=True
        )
    except ValueError as error:
        # The structure parsed above, so a failure here is the passphrase (or a damaged
        # ciphertext, which no one can tell apart from it).
        raise StoredKeyLockedError(text("identity.stored_key_wrong_passphrase")) from error
    except (TypeError, UnsupportedAlgorithm) as error:
        raise IdentityError(text("identity.stored_key_damaged")) from error
    return identity_of(cert, key, chain, source=source)


def certificates_pem(identity_cert: x509.Certificate, chain: Sequence[x509.Certificate]) -> str:
    """The certificate followed by its chain, as PEM text."""
    return "".join(
        cert.public_bytes(serialization.Encoding.PEM).decode("ascii")
        for cert in (identity_cert, *chain)
    )


def certificates_from_pem(data: str) -> tuple[x509.Certificate, tuple[x509.Certificate, ...]]:
    """The certificate and chain written by ``certificates_pem``."""
    try:
        # Names and dates are read here, so that a damaged or edited file is this one error
        # rather than a crash wherever a name is first shown.
        certs = [
            touch_certificate(cert)
            for cert in x509.load_pem_x509_certificates(data.encode("ascii"))
        ]
    except (*PARSE_ERRORS, UnicodeEncodeError) as error:
        raise IdentityError(text("identity.stored_certificates_damaged")) from error
    if not certs:
        raise IdentityError(text("identity.stored_certificates_damaged"))
    return certs[0], tuple(certs[1:])
