"""The user's own identity: read from PKCS#12, kept as encrypted PKCS#8, opened again."""

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from desktop_app.core.identity import (
    Identity,
    IdentityError,
    StoredKeyLockedError,
    certificates_from_pem,
    certificates_pem,
    encrypted_key_pem,
    identity_of,
    load_pkcs12_identity,
    open_stored_identity,
)
from desktop_app.core.pki.certificates import CertificateError
from tests.factories.cert_files import pkcs12_certificates_file, pkcs12_file
from tests.factories.certs import TestCA
from tests.factories.odd_certs import odd_name_certificate, with_version

ROOT = TestCA("Identity Root")
INTER = ROOT.intermediate("Identity Intermediate")
ME = INTER.issue(["Me@Clinic.Example"])
ME_EC = INTER.issue(["me@clinic.example"], key_kind="p256")
OTHER = INTER.issue(["other@clinic.example"], slot=1)
PASSWORD = b"p12 password"
PASSPHRASE = b"bm90IGEgcmVhbCBwYXNzcGhyYXNlIGJ1dCBsb25nIGVub3VnaA=="


def test_pkcs12_gives_key_certificate_chain_and_addresses() -> None:
    data = pkcs12_file(ME, [INTER.cert, ROOT.cert], password=PASSWORD)
    identity = load_pkcs12_identity(data, source_name="me.p12", password=PASSWORD)
    assert identity.cert == ME.cert
    assert isinstance(identity.key, rsa.RSAPrivateKey)
    assert identity.key.private_numbers() == ME.key.private_numbers()  # type: ignore[union-attr]
    assert identity.chain == (INTER.cert, ROOT.cert)
    assert identity.addresses == ("me@clinic.example",)


def test_elliptic_curve_identity() -> None:
    data = pkcs12_file(ME_EC, password=PASSWORD)
    identity = load_pkcs12_identity(data, source_name="me.p12", password=PASSWORD)
    assert isinstance(identity.key, ec.EllipticCurvePrivateKey)
    assert identity.chain == ()


def test_pkcs12_without_password_opens_with_none() -> None:
    identity = load_pkcs12_identity(pkcs12_file(ME), source_name="me.p12", password=None)
    assert identity.cert == ME.cert


def test_wrong_password_is_a_clear_error() -> None:
    data = pkcs12_file(ME, password=PASSWORD)
    with pytest.raises(CertificateError, match=r"password for me\.p12 is wrong"):
        load_pkcs12_identity(data, source_name="me.p12", password=b"wrong")


def test_missing_password_is_a_clear_error() -> None:
    data = pkcs12_file(ME, password=PASSWORD)
    with pytest.raises(CertificateError, match="protected by a password"):
        load_pkcs12_identity(data, source_name="me.p12", password=None)


def test_certificates_only_pkcs12_is_not_an_identity() -> None:
    data = pkcs12_certificates_file([ME.cert, INTER.cert], password=PASSWORD)
    with pytest.raises(IdentityError, match="holds no private key"):
        load_pkcs12_identity(data, source_name="certs.p12", password=PASSWORD)


def test_not_a_pkcs12_file() -> None:
    with pytest.raises(CertificateError):
        load_pkcs12_identity(b"junk" * 100, source_name="junk.p12", password=PASSWORD)


def test_ed25519_key_is_refused() -> None:
    data = pkcs12_file(INTER.issue(["ed@clinic.example"], key_kind="ed25519"), password=PASSWORD)
    with pytest.raises(IdentityError, match="an RSA or elliptic-curve key is needed"):
        load_pkcs12_identity(data, source_name="ed.p12", password=PASSWORD)


def test_key_of_another_certificate_is_refused() -> None:
    with pytest.raises(IdentityError, match="does not belong to the certificate"):
        identity_of(ME.cert, OTHER.key, (), source="mixed.p12")


def _identity() -> Identity:
    return identity_of(ME.cert, ME.key, (INTER.cert,), source="me.p12")


def test_stored_key_is_encrypted_pkcs8() -> None:
    pem = encrypted_key_pem(_identity().key, PASSPHRASE)
    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    with pytest.raises(TypeError):
        serialization.load_pem_private_key(pem, None)


def test_stored_identity_opens_with_its_passphrase() -> None:
    identity = _identity()
    pem = encrypted_key_pem(identity.key, PASSPHRASE)
    certificates = certificates_pem(identity.cert, identity.chain)
    opened = open_stored_identity(certificates, pem, PASSPHRASE, source="stored")
    assert opened == Identity(opened.cert, opened.key, (INTER.cert,), ("me@clinic.example",))
    assert opened.cert == ME.cert
    assert opened.key.public_key() == ME.cert.public_key()


def test_wrong_passphrase_is_a_typed_error() -> None:
    pem = encrypted_key_pem(_identity().key, PASSPHRASE)
    with pytest.raises(StoredKeyLockedError, match="cannot be unlocked"):
        open_stored_identity(certificates_pem(ME.cert, ()), pem, b"wrong", source="stored")


def test_unencrypted_key_is_never_accepted() -> None:
    plain = ME.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(IdentityError, match="damaged"):
        open_stored_identity(certificates_pem(ME.cert, ()), plain, PASSPHRASE, source="stored")


def test_damaged_key_file() -> None:
    damaged = b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"
    with pytest.raises(IdentityError, match="damaged"):
        open_stored_identity(certificates_pem(ME.cert, ()), damaged, PASSPHRASE, source="stored")


def test_stored_key_of_another_certificate_is_refused() -> None:
    pem = encrypted_key_pem(OTHER.key, PASSPHRASE)  # type: ignore[arg-type]
    with pytest.raises(IdentityError, match="does not belong"):
        open_stored_identity(certificates_pem(ME.cert, ()), pem, PASSPHRASE, source="stored")


def test_certificates_round_trip_and_damage() -> None:
    assert certificates_from_pem(certificates_pem(ME.cert, (INTER.cert, ROOT.cert))) == (
        ME.cert,
        (INTER.cert, ROOT.cert),
    )
    for damaged in ("", "not pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"):
        with pytest.raises(IdentityError, match="certificate is damaged"):
            certificates_from_pem(damaged)


def _pem_of(der: bytes) -> str:
    encoded = base64.encodebytes(der).decode("ascii")
    return f"-----BEGIN CERTIFICATE-----\n{encoded}-----END CERTIFICATE-----\n"


@pytest.mark.parametrize("odd", ["version", "name"])
def test_stored_certificates_cryptography_cannot_read_are_damaged(odd: str) -> None:
    # InvalidVersion from the loader and TypeError from a name are not ValueErrors.
    der = (
        with_version(ME, ROOT.key, 5)
        if odd == "version"
        else odd_name_certificate(ROOT, "me@example.org").der
    )
    with pytest.raises(IdentityError, match="certificate is damaged"):
        certificates_from_pem(_pem_of(der))
