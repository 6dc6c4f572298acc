"""Reading certificates and CRLs from every file shape people hand us, and nothing escaping."""

import base64
import contextlib
import re
import warnings

import pytest
from asn1crypto import cms as asn1_cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import ExtensionOID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.pki import certificates
from desktop_app.core.pki.certificates import CertificateError, load_certificates, load_crl
from tests.factories.cert_files import (
    p7b_file,
    pkcs12_certificates_file,
    pkcs12_file,
    signed_message,
)
from tests.factories.certs import TestCA

ROOT = TestCA()
INTER = ROOT.intermediate()
ALICE = INTER.issue(("alice@example.org",))
BOB = INTER.issue(("bob@example.org",), key_kind="p256")
MALFORMED = INTER.issue(malformed_extension=ExtensionOID.KEY_USAGE)
KEY_PEM = ALICE.key.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
)


def load(data: bytes, password: bytes | None = None) -> tuple[x509.Certificate, ...]:
    return load_certificates(data, source_name="alice.crt", password=password)


def test_pem_single() -> None:
    assert load(ALICE.pem) == (ALICE.cert,)


def test_pem_many_with_text_keys_and_crlf_around() -> None:
    data = (
        b"Bag Attributes: whatever \xff\n"
        + ALICE.pem.replace(b"\n", b"\r\n")
        + b"some notes\n"
        + KEY_PEM
        + INTER.pem
        + b"trailer"
    )
    assert load(data) == (ALICE.cert, INTER.cert)


def test_repeats_are_dropped_in_order() -> None:
    assert load(INTER.pem + ALICE.pem + INTER.pem) == (INTER.cert, ALICE.cert)


def test_der_certificate() -> None:
    assert load(ALICE.der) == (ALICE.cert,)


def test_bare_base64_der() -> None:
    assert load(base64.encodebytes(ALICE.der)) == (ALICE.cert,)


@pytest.mark.parametrize("pem", [False, True], ids=["der", "pem"])
def test_p7b_bundle(pem: bool) -> None:
    assert set(load(p7b_file([ALICE.cert, INTER.cert], pem=pem))) == {ALICE.cert, INTER.cert}


def test_p7b_in_pem_with_certificates_beside_it() -> None:
    data = ROOT.pem + p7b_file([ALICE.cert], pem=True)
    assert load(data) == (ROOT.cert, ALICE.cert)


def test_smime_signature_gives_its_certificates() -> None:
    found = load(signed_message(BOB, [INTER.cert]))
    assert set(found) == {BOB.cert, INTER.cert}


def test_ber_indefinite_length_signature_as_openssl_streams_it() -> None:
    der = signed_message(ALICE, [INTER.cert])
    info = asn1_cms.ContentInfo.load(der)
    ber = b"\x30\x80" + info.contents + b"\x00\x00"  # outer SEQUENCE re-framed as BER
    assert set(load(ber)) == {ALICE.cert, INTER.cert}


def test_unsorted_certificate_set_loads_without_warnings() -> None:
    # OpenSSL writes the SET OF certificates unsorted; cryptography's loader warns on it.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert set(load(p7b_file([INTER.cert, ALICE.cert, ROOT.cert]))) == {
            INTER.cert,
            ALICE.cert,
            ROOT.cert,
        }


def test_signature_without_certificates_holds_none() -> None:
    signature = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(b"x")
        .add_signer(ALICE.cert, ALICE.key, hashes.SHA256())  # type: ignore[arg-type]
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.NoCerts])
    )
    with pytest.raises(CertificateError, match="holds no certificates"):
        load(signature)


def test_encrypted_message_holds_none() -> None:
    enveloped = (
        pkcs7.PKCS7EnvelopeBuilder()
        .set_data(b"secret")
        .add_recipient(ALICE.cert)
        .encrypt(serialization.Encoding.DER, [])
    )
    with pytest.raises(CertificateError, match="holds no certificates"):
        load(enveloped)


def test_pkcs12_without_password() -> None:
    assert load(pkcs12_file(ALICE, [INTER.cert])) == (ALICE.cert, INTER.cert)


def test_pkcs12_with_empty_password_opens_without_asking() -> None:
    data = pkcs12_certificates_file([ALICE.cert, INTER.cert])
    assert load(data) == (ALICE.cert, INTER.cert)
    assert load(data, password=b"") == (ALICE.cert, INTER.cert)


@pytest.mark.parametrize("legacy", [False, True], ids=["pbes2", "3des"])
def test_pkcs12_with_password(legacy: bool) -> None:
    data = pkcs12_file(BOB, [INTER.cert], password=b"s3cret", legacy=legacy)
    assert load(data, password=b"s3cret") == (BOB.cert, INTER.cert)


def test_pkcs12_needing_a_password_says_so() -> None:
    data = pkcs12_file(BOB, password=b"s3cret")
    with pytest.raises(CertificateError, match=re.escape("alice.crt is protected by a password")):
        load(data)


def test_pkcs12_wrong_password_says_so() -> None:
    data = pkcs12_file(BOB, password=b"s3cret")
    with pytest.raises(CertificateError, match=re.escape("password for alice.crt is wrong")):
        load(data, password=b"guess")


def test_pkcs12_asking_for_too_much_work_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = pkcs12_file(BOB, password=b"s3cret")
    monkeypatch.setattr(certificates, "MAX_PKCS12_ROUNDS", 1000)
    with pytest.raises(CertificateError, match="rounds of password processing"):
        load(data, password=b"s3cret")


def test_pkcs12_with_pbmac1() -> None:
    data = pkcs12_certificates_file([BOB.cert, INTER.cert], password=b"s3cret", pbmac1=True)
    assert load(data, password=b"s3cret") == (BOB.cert, INTER.cert)


def test_pbmac1_rounds_are_read_from_its_parameters(monkeypatch: pytest.MonkeyPatch) -> None:
    # The MacData iterations field says 1 for PBMAC1; the real count is in the parameters.
    data = pkcs12_certificates_file([BOB.cert], password=b"s3cret", pbmac1=True, iterations=2048)
    monkeypatch.setattr(certificates, "MAX_PKCS12_ROUNDS", 2000)
    with pytest.raises(CertificateError, match="2,048 rounds"):
        load(data, password=b"s3cret")


def test_malformed_extensions_still_load() -> None:
    # Stored, then judged unusable by the verdict: the loader must not drop it.
    (loaded,) = load(MALFORMED.pem)
    assert loaded == MALFORMED.cert
    with pytest.raises(ValueError):
        _ = loaded.extensions


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "alice.crt is empty"),
        (b"  \n\t", "alice.crt is empty"),
        (b"hello world", "does not contain a certificate"),
        (KEY_PEM, "does not contain a certificate"),
        (b"-----BEGIN CERTIFICATE-----\nAAAA\n", "does not contain a certificate"),
        (ALICE.der[:-1], "does not contain a certificate"),
        (ALICE.der + b"\x00", "does not contain a certificate"),
    ],
    ids=["empty", "blank", "text", "key-only", "unterminated", "truncated", "trailing"],
)
def test_unreadable_input(data: bytes, message: str) -> None:
    with pytest.raises(CertificateError, match=message):
        load(data)


def test_damaged_certificate_in_a_bundle_is_named() -> None:
    broken = b"-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n"
    with pytest.raises(CertificateError, match=re.escape("Certificate 2 in alice.crt is damaged")):
        load(ALICE.pem + broken)


def test_unsupported_key_type_is_refused() -> None:
    parsed = asn1_x509.Certificate.load(ALICE.der)
    parsed["tbs_certificate"]["subject_public_key_info"]["algorithm"]["algorithm"] = (
        "1.2.643.2.2.19"  # GOST R 34.10-2001
    )
    with pytest.raises(CertificateError, match="kind of key this program does not support"):
        load(parsed.dump(force=True))


def test_impossible_version_is_refused() -> None:
    # cryptography raises InvalidVersion here, which is not a ValueError.
    parsed = asn1_x509.Certificate.load(ALICE.der)
    parsed["tbs_certificate"]["version"] = 5
    with pytest.raises(CertificateError):
        load(parsed.dump(force=True))
    with pytest.raises(CertificateError, match=re.escape("Certificate 1 in alice.crt is damaged")):
        load(
            b"-----BEGIN CERTIFICATE-----\n"
            + base64.encodebytes(parsed.dump())
            + b"-----END CERTIFICATE-----\n"
        )


def test_crl_pem_and_der() -> None:
    crl = INTER.crl([1234])
    for data in (
        crl.public_bytes(serialization.Encoding.DER),
        b"notes\n" + crl.public_bytes(serialization.Encoding.PEM),
    ):
        loaded = load_crl(data, source_name="inter.crl")
        assert loaded.get_revoked_certificate_by_serial_number(1234) is not None


@pytest.mark.parametrize(
    "data", [b"", b"junk", ALICE.pem, ALICE.der], ids=["empty", "junk", "cert-pem", "cert-der"]
)
def test_crl_unreadable(data: bytes) -> None:
    with pytest.raises(
        CertificateError, match=re.escape("inter.crl is not a certificate revocation list")
    ):
        load_crl(data, source_name="inter.crl")


# Property tests: whatever the bytes, a CertificateError or certificates, and promptly.

_VALID = [
    ALICE.pem,
    ALICE.der,
    INTER.pem + BOB.pem,
    p7b_file([ALICE.cert, INTER.cert]),
    p7b_file([BOB.cert], pem=True),
    signed_message(BOB, [INTER.cert]),
    pkcs12_file(ALICE, [INTER.cert]),
    pkcs12_certificates_file([BOB.cert, INTER.cert]),
    pkcs12_certificates_file([ALICE.cert], password=b"pw", pbmac1=True),
    pkcs12_file(BOB, [INTER.cert], password=b"pw"),
    pkcs12_file(ALICE, password=b"pw", legacy=True),
]
_CRLS = [
    INTER.crl([5, 6]).public_bytes(serialization.Encoding.DER),
    INTER.crl([7]).public_bytes(serialization.Encoding.PEM),
]
_FUZZ = settings(
    max_examples=150,
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def mutated(draw: st.DrawFn, originals: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(originals)))
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, max(len(data) - 1, 0)))
        kind = draw(st.sampled_from(["flip", "truncate", "insert", "delete"]))
        if kind == "flip" and data:
            data[where] ^= draw(st.integers(1, 255))
        elif kind == "truncate":
            del data[where:]
        elif kind == "insert":
            data[where:where] = draw(st.binary(min_size=1, max_size=8))
        elif data:
            del data[where : where + draw(st.integers(1, 8))]
    return bytes(data)


def _only_certificate_errors(data: bytes, password: bytes | None) -> None:
    try:
        found = load_certificates(data, source_name="fuzz", password=password)
    except CertificateError:
        return
    assert found
    for cert in found:
        # What the store and the verdict read right away must work on anything returned.
        assert isinstance(cert.subject, x509.Name)
        cert.public_key()


@_FUZZ
@given(st.binary(max_size=2048), st.sampled_from([None, b"", b"pw"]))
def test_arbitrary_bytes_raise_only_certificate_error(data: bytes, password: bytes | None) -> None:
    _only_certificate_errors(data, password)


@_FUZZ
@given(st.binary(max_size=512).map(lambda b: b"-----BEGIN CERTIFICATE-----\n" + b))
def test_arbitrary_armoured_bytes_raise_only_certificate_error(data: bytes) -> None:
    _only_certificate_errors(data + b"\n-----END CERTIFICATE-----\n", None)


@settings(_FUZZ, max_examples=400)
@given(mutated(_VALID), st.sampled_from([None, b"pw"]))
def test_mutated_files_raise_only_certificate_error(data: bytes, password: bytes | None) -> None:
    _only_certificate_errors(data, password)


@_FUZZ
@given(st.one_of(st.binary(max_size=1024), mutated(_CRLS)))
def test_crl_loader_raises_only_certificate_error(data: bytes) -> None:
    with contextlib.suppress(CertificateError):
        load_crl(data, source_name="fuzz")
