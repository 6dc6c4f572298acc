"""Public test vectors from the `cryptography-vectors` package, made by other toolkits.

``pkcs7/``: certificate bundles, an Authenticode signature and envelopes (OAEP, 3DES, one
for someone else, one without content) open or fail with a clean error. ``x509/custom/``:
every certificate either loads and can be judged, or is refused with a CertificateError;
the CRLs likewise. ``x509/PKITS_data/smime/``: NIST's 224 signed messages all open with a
verdict whose cryptographic layer checks out (only trust decides). Damaged copies of the
vectors (cut short, bytes flipped) raise UserFacingError and nothing else.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Final

import cryptography
import pytest
from asn1crypto import pem
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from desktop_app.core.errors import UserFacingError
from desktop_app.core.identity import Identity, identity_of
from desktop_app.core.messages import text
from desktop_app.core.pki.certificates import (
    CertificateError,
    display_name,
    email_addresses,
    fingerprint_sha256,
    is_ca,
    load_certificates,
    load_crl,
)
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.pki.usability import CertCode, evaluate_for_encryption
from desktop_app.core.smime.envelope_open import open_envelope
from desktop_app.core.smime.errors import EnvelopeError
from desktop_app.core.smime.open_message import open_message
from desktop_app.core.smime.signature_errors import SignatureError
from desktop_app.core.smime.signature_verify import verify_opaque
from tests.work import counting

cryptography_vectors = pytest.importorskip(
    "cryptography_vectors", reason="the cryptography-vectors package (a dev dependency)"
)

NOW: Final = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
PKITS_TIME: Final = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)  # inside PKITS' 2010-2030
# x509/custom files that are not certificates at all, or damaged ones.
NOT_CERTIFICATES: Final = frozenset({"ca/ca_key.pem", "ca/rsa_key.pem"})
DAMAGED_CERTIFICATES: Final = frozenset(
    {
        "dsa_null_alg_params.pem",
        "ecdsa_null_alg.pem",
        "invalid_utf8_common_name.pem",
        "invalid_version.pem",
        "long-form-name-attribute.pem",
        "name_attribute_unsupported_tag.pem",
        "unsupported_subject_public_key_info.pem",
    }
)
# Certificates that load, but whose extensions do not parse: never usable, no address.
MALFORMED_EXTENSIONS: Final = frozenset(
    {
        "cp_invalid.pem",
        "cp_invalid2.der",
        "invalid-sct-length.der",
        "invalid-sct-version.der",
        "malformed-ian.pem",
        "malformed-san.pem",
        "nc_invalid_ip4_netmask.der",
        "nc_invalid_ip_netmask.pem",
        "nc_ip_invalid_length.pem",
        "two_basic_constraints.pem",
    }
)
DAMAGED_CRLS: Final = frozenset(
    {
        "crl_bad_version.pem",
        "crl_inner_outer_mismatch.der",
        "crl_invalid_time.der",
        "crl_issuer_invalid_printable_string.der",
    }
)
BAD_VERSION_CRL: Final = "crl_bad_version.pem"
# Verdicts that would mean the CMS layer itself failed (rather than trust in the signer).
CMS_FAILURES: Final = frozenset(
    {
        text("signature.algorithm_mismatch"),
        text("signature.bad_signature"),
        text("signature.content_changed"),
        text("signature.content_type_mismatch"),
        text("signature.signer_cert_missing"),
        text("signature.signer_cert_unreadable"),
    }
)
DSA_MESSAGES: Final = frozenset(
    {
        "SignedInvalidDSASignatureTest6.eml",
        "SignedValidDSAParameterInheritanceTest5.eml",
        "SignedValidDSASignaturesTest4.eml",
    }
)


def vector(name: str) -> bytes:
    with cryptography_vectors.open_vector_file(name, "rb") as handle:
        return bytes(handle.read())


def vector_folder(name: str) -> Path:
    return Path(cryptography_vectors.__file__).parent / name


def der_of(data: bytes) -> bytes:
    return bytes(pem.unarmor(data)[2]) if pem.detect(data) else data


def smime_eml(der: bytes, smime_type: str = "enveloped-data") -> bytes:
    head = (
        "From: sender@example.com\r\nTo: cryptography@example.com\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: application/pkcs7-mime; smime-type={smime_type}; name="smime.p7m"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
    )
    return head.encode("ascii") + base64.encodebytes(der).replace(b"\n", b"\r\n")


@pytest.fixture(scope="module")
def vector_ca() -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """The "cryptography CA" certificate and key that the pkcs7 envelopes are made for."""
    cert = x509.load_pem_x509_certificate(vector("x509/custom/ca/rsa_ca.pem"))
    key = serialization.load_pem_private_key(vector("x509/custom/ca/rsa_key.pem"), None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return cert, key


@pytest.fixture(scope="module")
def vector_identity(vector_ca: tuple[x509.Certificate, rsa.RSAPrivateKey]) -> Identity:
    return identity_of(*vector_ca, (), source="cryptography-vectors")


def test_vectors_match_the_installed_cryptography() -> None:
    assert cryptography_vectors.__version__ == cryptography.__version__


# --- pkcs7/ --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "subjects"),
    [
        ("pkcs7/amazon-roots.der", ["Amazon Root CA 3", "Amazon Root CA 2"]),
        ("pkcs7/amazon-roots.p7b", ["Amazon Root CA 3", "Amazon Root CA 2"]),
        ("pkcs7/isrg.pem", ["ISRG Root X1"]),
    ],
)
def test_certificate_bundles_load_and_are_not_signatures(name: str, subjects: list[str]) -> None:
    data = vector(name)
    certificates = load_certificates(data, source_name=name)
    assert [display_name(c.subject) for c in certificates] == subjects
    assert all(is_ca(c) for c in certificates)
    with pytest.raises(SignatureError) as raised:
        verify_opaque(der_of(data), trust=TrustContext(), at=NOW, from_address_key=None)
    assert raised.value.message == text("signature.no_signers")


def test_an_authenticode_signature_is_refused_cleanly() -> None:
    # Its content is a SpcIndirectDataContent SEQUENCE, not the OCTET STRING CMS requires.
    data = vector("pkcs7/authenticode.der")
    (signer,) = load_certificates(data, source_name="authenticode.der")
    assert display_name(signer.subject) == "kernel-signer"
    with pytest.raises(SignatureError):
        verify_opaque(data, trust=TrustContext(), at=NOW, from_address_key=None)


@pytest.mark.parametrize("name", ["pkcs7/ascii-san.pem", "pkcs7/non-ascii-san.pem"])
def test_certificates_with_unusual_address_names_load(name: str) -> None:
    (certificate,) = load_certificates(vector(name), source_name=name)
    addresses = email_addresses(certificate)
    verdict = evaluate_for_encryption(
        certificate, addresses[0] if addresses else "retourne@example.com", NOW, TrustContext()
    )
    assert not verdict.usable


@pytest.mark.parametrize(
    ("name", "cipher", "transport", "weak", "text"),
    [
        ("enveloped-rsa-oaep.pem", "AES-128-CBC", "RSA-OAEP (SHA-1)", False, "Hello, world!"),
        ("enveloped-triple-des.pem", "3DES-CBC", "RSA (PKCS #1 v1.5)", True, "Hello, World!\n"),
    ],
)
def test_envelopes_for_the_vector_ca_open(
    vector_ca: tuple[x509.Certificate, rsa.RSAPrivateKey],
    vector_identity: Identity,
    name: str,
    cipher: str,
    transport: str,
    weak: bool,
    text: str,
) -> None:
    der = der_of(vector(f"pkcs7/{name}"))
    opened = open_envelope(der, *vector_ca)
    assert (opened.cipher, opened.key_transport, opened.weak) == (cipher, transport, weak)
    assert opened.content.replace(b"\r\n", b"\n") == text.encode()
    message = open_message(smime_eml(der), identity=vector_identity, trust=TrustContext(), at=NOW)
    assert message.encryption is not None and message.encryption.cipher == cipher
    assert message.signature is None
    assert message.message.text == text
    # Certificates are not what an envelope carries.
    with pytest.raises(CertificateError):
        load_certificates(vector(f"pkcs7/{name}"), source_name=name)


@pytest.mark.parametrize(
    "name",
    ["enveloped.pem", "enveloped-rsa-oaep.pem", "enveloped-triple-des.pem"],
)
def test_envelopes_without_the_key_give_a_clean_error(name: str, vector_identity: Identity) -> None:
    der = der_of(vector(f"pkcs7/{name}"))
    with pytest.raises(UserFacingError):  # no identity at all
        open_message(smime_eml(der), identity=None, trust=TrustContext(), at=NOW)
    if name == "enveloped.pem":  # for the RFC 9216 sample people, whose keys are not here
        with pytest.raises(EnvelopeError):
            open_message(smime_eml(der), identity=vector_identity, trust=TrustContext(), at=NOW)


def test_an_envelope_without_content_gives_a_clean_error(
    vector_ca: tuple[x509.Certificate, rsa.RSAPrivateKey],
) -> None:
    with pytest.raises(EnvelopeError):
        open_envelope(vector("pkcs7/enveloped-no-content.der"), *vector_ca)


# --- damaged copies of the pkcs7 vectors -----------------------------------------------------


def _damaged(data: bytes) -> list[bytes]:
    """Copies cut short and with one byte flipped, at places spread over the whole input,
    and denser at the start where the outer lengths and OIDs are."""
    size = len(data)
    places = sorted({*range(0, min(size, 24)), *(size * n // 24 for n in range(1, 24))})
    cut = [data[:place] for place in places]
    flipped = [data[:place] + bytes((data[place] ^ 0xFF,)) + data[place + 1 :] for place in places]
    return cut + flipped


# Promptly, counted in lines of Python: a base for one message and its certificates plus a
# few lines per input byte. Any damaged vector takes a fraction of this.
BASE_WORK = 200_000
WORK_PER_BYTE = 4


def _only_clean_errors(call: Callable[[], object], size: int) -> None:
    """Only a UserFacingError, after work bounded by the input's ``size`` (counted in lines
    of Python, so a loop or a rescan fails the test at once, whatever the machine)."""
    with contextlib.suppress(UserFacingError), counting(budget=BASE_WORK + WORK_PER_BYTE * size):
        call()


@pytest.mark.parametrize(
    "name",
    [
        "amazon-roots.der",
        "isrg.pem",
        "authenticode.der",
        "enveloped-rsa-oaep.pem",
        "enveloped-triple-des.pem",
        "enveloped.pem",
        "enveloped-no-content.der",
    ],
)
def test_damaged_vectors_fail_cleanly(
    name: str,
    vector_ca: tuple[x509.Certificate, rsa.RSAPrivateKey],
    vector_identity: Identity,
) -> None:
    original = der_of(vector(f"pkcs7/{name}"))
    kind = "enveloped-data" if name.startswith("enveloped") else "signed-data"
    for damaged in _damaged(original):
        size = len(damaged)
        _only_clean_errors(lambda d=damaged: load_certificates(d, source_name=name), size)
        _only_clean_errors(
            lambda d=damaged: verify_opaque(d, trust=TrustContext(), at=NOW, from_address_key=None),
            size,
        )
        _only_clean_errors(lambda d=damaged: open_envelope(d, *vector_ca), size)
        _only_clean_errors(
            lambda d=damaged: open_message(
                smime_eml(d, kind), identity=vector_identity, trust=TrustContext(), at=NOW
            ),
            size,
        )


# --- x509/custom/ ----------------------------------------------------------------------------


def _custom_files() -> list[str]:
    folder = vector_folder("x509/custom")
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*.*"))


@pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")
def test_custom_certificates_load_or_are_refused_cleanly() -> None:
    loaded: dict[str, tuple[x509.Certificate, ...]] = {}
    refused: set[str] = set()
    for name in _custom_files():
        try:
            loaded[name] = load_certificates(vector(f"x509/custom/{name}"), source_name=name)
        except CertificateError:
            refused.add(name)
    crls = {name for name in refused if name.startswith("crl_") or name.endswith("_crl.pem")}
    assert refused - crls == DAMAGED_CERTIFICATES | NOT_CERTIFICATES
    assert len(loaded) == 89
    for name, certificates in loaded.items():
        for certificate in certificates:
            addresses = email_addresses(certificate)
            address = addresses[0] if addresses else "nobody@example.com"
            fingerprint_sha256(certificate)
            verdict = evaluate_for_encryption(
                certificate, address, NOW, TrustContext((certificate,))
            )
            assert not verdict.usable, name  # none is an e-mail certificate valid in 2026
            if name in MALFORMED_EXTENSIONS:
                assert addresses == ()
                assert verdict.code is CertCode.WRONG_USAGE


def test_custom_crls_load_or_are_refused_cleanly() -> None:
    refused = set()
    for name in _custom_files():
        if not (name.startswith("crl_") or name.endswith("_crl.pem")):
            continue
        try:
            load_crl(vector(f"x509/custom/{name}"), source_name=name)
        except CertificateError:
            refused.add(name)
    assert refused == DAMAGED_CRLS


def test_a_crl_of_an_unknown_version_is_refused_cleanly() -> None:
    with pytest.raises(CertificateError):
        load_crl(vector(f"x509/custom/{BAD_VERSION_CRL}"), source_name=BAD_VERSION_CRL)


# --- x509/PKITS_data/smime/ ------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:Parsed a serial number which wasn't positive")
def test_pkits_signed_messages_open_with_a_verdict() -> None:
    folder = vector_folder("x509/PKITS_data/smime")
    anchor = load_certificates(
        vector("x509/PKITS_data/certs/TrustAnchorRootCertificate.crt"), source_name="anchor"
    )
    trust = TrustContext(anchor)
    messages = sorted(folder.glob("*.eml"))
    assert len(messages) == 224
    valid = 0
    for path in messages:
        opened = open_message(path.read_bytes(), identity=None, trust=trust, at=PKITS_TIME)
        verdict = opened.signature
        assert verdict is not None, path.name
        assert opened.message.text.strip() == "This is a sample signed message.", path.name
        if path.name in DSA_MESSAGES:
            assert not verdict.valid  # DSA is not an S/MIME algorithm any more
            continue
        assert verdict.signer is not None, path.name
        assert verdict.reason not in CMS_FAILURES, (path.name, verdict.reason)
        valid += verdict.valid
        tampered = path.read_bytes().replace(b"sample signed", b"simple signed")
        changed = open_message(tampered, identity=None, trust=trust, at=PKITS_TIME).signature
        assert changed is not None and changed.reason == text("signature.content_changed"), (
            path.name
        )
    assert valid >= 3  # those whose certificate names the From address and chains cleanly
