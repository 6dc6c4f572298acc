"""Bad input: one SignatureError (or an invalid verdict), promptly, whatever the bytes."""

from __future__ import annotations

import contextlib
import datetime as dt
import os

import pytest
from asn1crypto import cms, core, parser
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.messages import text
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.smime.ber import der_length
from desktop_app.core.smime.signature_errors import SignatureError
from desktop_app.core.smime.signature_mime import split_multipart_signed
from desktop_app.core.smime.signature_parse import MAX_CERTIFICATES
from desktop_app.core.smime.signature_sign import sign_detached
from desktop_app.core.smime.signature_verify import (
    SignatureVerdict,
    verify_opaque,
    verify_signature,
)
from tests.factories.certs import NOW, Issued, TestCA
from tests.factories.cms_signed import SignerSpec, cms_signed_data, streamed_signed_data
from tests.factories.key_id_certs import issue_with_key_id
from tests.work import counting

CONTENT = b"Content-Type: text/plain\r\n\r\nDiagnose: vertraulich.\r\n"
CVE_2023_49083 = bytes.fromhex("300B06092A864886F70D010702")
ALICE = "alice@clinic.example"
# Promptly, counted in lines of Python: a base for parsing and checking one signature and
# its chain, plus a few lines per input byte. Any input here takes a fraction of this.
BASE_WORK = 200_000
WORK_PER_BYTE = 4


@pytest.fixture(scope="module")
def ca() -> TestCA:
    return TestCA("Malformed Test Root")


@pytest.fixture(scope="module")
def trust(ca: TestCA) -> TrustContext:
    return TrustContext((ca.cert,))


@pytest.fixture(scope="module")
def alice(ca: TestCA) -> Issued:
    return ca.issue([ALICE])


@pytest.fixture(scope="module")
def good(alice: Issued) -> bytes:
    return sign_detached(CONTENT, alice.cert, alice.key, signing_time=NOW)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def seeds(ca: TestCA, alice: Issued, good: bytes) -> list[bytes]:
    """Valid signatures of each shape, for mutation."""
    ec_alice = ca.issue([ALICE], key_kind="p256")
    ski_alice = issue_with_key_id(ca, [ALICE], slot=3)
    return [
        good,
        sign_detached(CONTENT, alice.cert, alice.key, signing_time=NOW, rsa_pss=True),  # type: ignore[arg-type]
        sign_detached(CONTENT, ec_alice.cert, ec_alice.key, signing_time=NOW),  # type: ignore[arg-type]
        cms_signed_data(CONTENT, [SignerSpec(ski_alice, sid="ski")]),
        cms_signed_data(CONTENT, [SignerSpec(alice, attributes=False)]),
        streamed_signed_data(cms_signed_data(CONTENT, [SignerSpec(alice)], encapsulate=True), 9),
    ]


def _outcome(data: bytes, trust: TrustContext, content: bytes | None = CONTENT) -> object:
    """The verdict, or the SignatureError; anything else fails the test. Counts the work:
    an input that makes verification loop or rescan fails at once (WorkBudgetExceeded)."""
    with counting(budget=BASE_WORK + WORK_PER_BYTE * len(data)):
        try:
            result: object = verify_signature(
                data, content, trust=trust, at=NOW, from_address_key=ALICE
            )
        except SignatureError as error:
            result = error
    return result


def _fails_cleanly(data: bytes, trust: TrustContext) -> SignatureError:
    outcome = _outcome(data, trust)
    assert isinstance(outcome, SignatureError), outcome
    assert str(outcome)  # a sentence for the user
    return outcome


def _data_content_info() -> bytes:
    return bytes(
        cms.ContentInfo({"content_type": "data", "content": core.OctetString(b"plain")}).dump()
    )


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00",
        b"\x30",
        b"\x30\x00",
        b"\x30\x80",
        b"\x30\x80\x00\x00",
        CVE_2023_49083,
        CVE_2023_49083 + b"\xa0\x00",
        bytes.fromhex("308006092A864886F70D010702A080300000000000"),
        b"\x30\x84\xff\xff\xff\xff",  # a length far past the end
        b"\x30\x89" + b"\xff" * 9,  # a length of nine octets
        b"\x1f\xff\xff\xff\xff\x7f\x00",  # a tag number too large
        b"-----BEGIN PKCS7-----\n",
        b"\x30\x80" * 50_000,  # nested far deeper than CMS ever is
        b"\x30\x83\x0f\x42\x40" + b"\x30\x80" * 300_000,
        os.urandom(10_000_000),  # 10 MB of junk
    ],
    ids=lambda data: data[:12].hex() or "empty",
)
def test_junk_fails_cleanly(data: bytes, trust: TrustContext) -> None:
    _fails_cleanly(data, trust)


def test_cve_2023_49083_bytes(trust: TrustContext) -> None:
    assert str(_fails_cleanly(CVE_2023_49083, trust)) == text("signature.malformed")
    with pytest.raises(SignatureError):
        verify_opaque(CVE_2023_49083, trust=trust, at=NOW, from_address_key=None)


def test_other_cms_types_are_not_signatures(trust: TrustContext) -> None:
    assert "not a signed message" in str(_fails_cleanly(_data_content_info(), trust))


def test_a_thousand_certificates(trust: TrustContext, alice: Issued, ca: TestCA) -> None:
    bag = [ca.issue([f"n{n}@example.org"], key_kind="p256").cert for n in range(20)] * 50
    der = cms_signed_data(CONTENT, [SignerSpec(alice)], [*bag, alice.cert])
    error = _fails_cleanly(der, trust)
    assert str(error) == text("signature.too_many_certificates", count=1001, limit=MAX_CERTIFICATES)


def test_no_signer_infos(trust: TrustContext, alice: Issued) -> None:
    der = cms_signed_data(CONTENT, [SignerSpec(alice)])
    info = cms.ContentInfo.load(der)
    signed_data = info["content"]
    signed_data["signer_infos"] = []
    rebuilt = cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump(
        force=True
    )
    assert str(_fails_cleanly(rebuilt, trust)) == text("signature.no_signers")


def test_deeply_nested_unknown_attribute_is_never_parsed(
    trust: TrustContext, alice: Issued
) -> None:
    nested = b"\x05\x00"
    for _ in range(5_000):
        nested = core.Sequence(contents=nested).dump()
    spec = SignerSpec(alice, extra_attributes=(("1.3.6.1.4.1.311.16.4", nested),))
    outcome = _outcome(cms_signed_data(CONTENT, [spec]), trust)
    assert isinstance(outcome, SignatureVerdict)
    assert outcome.valid, outcome.reason


def test_indefinitely_nested_attribute_fails_cleanly(trust: TrustContext, alice: Issued) -> None:
    marker = core.OctetString(b"M" * 40).dump()
    spec = SignerSpec(alice, extra_attributes=(("1.2.3.4", marker),))
    der = cms_signed_data(CONTENT, [spec])
    nested = b"\x30\x80" * 20 + b"\x00\x00" * 20
    # Same length as the marker, so every enclosing definite length stays right.
    replacement = (nested + b"\x05\x00" * 40)[: len(marker)]
    outcome = _outcome(der.replace(marker, replacement), trust)
    assert isinstance(outcome, SignatureError | SignatureVerdict)
    if isinstance(outcome, SignatureVerdict):
        assert not outcome.valid


def test_every_truncation_fails_cleanly(good: bytes, trust: TrustContext) -> None:
    for size in range(0, len(good), 7):
        _fails_cleanly(good[:size], trust)


def test_every_byte_flip_is_handled(good: bytes, trust: TrustContext) -> None:
    for position in range(0, len(good), 3):
        mutated = bytearray(good)
        mutated[position] ^= 0x41
        _outcome(bytes(mutated), trust)


def _elements(data: bytes) -> list[tuple[int, bytes, bytes]]:
    """Consecutive elements as (identifier octet, contents, whole encoding)."""
    out = []
    while data:
        _, _, _, header, contents, trailer = parser.parse(data)
        size = len(header) + len(contents) + len(trailer)
        out.append((data[0], contents, data[:size]))
        data = data[size:]
    return out


def _tlv(identifier: int, contents: bytes) -> bytes:
    return bytes((identifier,)) + der_length(len(contents)) + contents


def _prepend_to_bag(der: bytes, extra: bytes) -> bytes:
    """``der`` with ``extra`` put first into its certificate bag, lengths rebuilt."""
    [(_, info, _)] = _elements(der)
    oid, (_, explicit, _) = _elements(info)
    [(_, signed_data, _)] = _elements(explicit)
    rebuilt = [
        _tlv(0xA0, extra + contents) if identifier == 0xA0 else whole
        for identifier, contents, whole in _elements(signed_data)
    ]
    return _tlv(0x30, oid[2] + _tlv(0xA0, _tlv(0x30, b"".join(rebuilt))))


def test_damaged_certificates_in_the_bag_are_skipped(trust: TrustContext, alice: Issued) -> None:
    der = cms_signed_data(CONTENT, [SignerSpec(alice)])
    junk = core.Sequence(contents=core.Integer(1).dump() + core.Integer(2).dump()).dump()
    for extra in (junk, b"\x30\x03\x02\x01\x01", alice.der[:-1] + b"\x00"):
        outcome = _outcome(_prepend_to_bag(der, extra), trust)
        assert isinstance(outcome, SignatureVerdict)
        assert outcome.valid, outcome.reason


def test_many_look_alike_authorities_are_bounded(ca: TestCA) -> None:
    # 99 CA certificates of one name, each signed by the next: a maze for chain building.
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Loop CA")])
    keys = [ec.generate_private_key(ec.SECP256R1()) for _ in range(MAX_CERTIFICATES - 1)]
    authorities = [
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(number + 10)
        .not_valid_before(NOW - dt.timedelta(days=1))
        .not_valid_after(NOW + dt.timedelta(days=10))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(keys[(number + 1) % len(keys)], hashes.SHA256())
        for number, key in enumerate(keys)
    ]
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, ALICE)]))
        .issuer_name(name)
        .public_key(leaf_key.public_key())
        .serial_number(5)
        .not_valid_before(NOW - dt.timedelta(days=1))
        .not_valid_after(NOW + dt.timedelta(days=10))
        .add_extension(x509.SubjectAlternativeName([x509.RFC822Name(ALICE)]), critical=False)
        .sign(keys[0], hashes.SHA256())
    )
    signer = Issued(leaf, leaf_key)
    der = cms_signed_data(CONTENT, [SignerSpec(signer)], [leaf, *authorities])
    outcome = _outcome(der, TrustContext((ca.cert,)))
    assert isinstance(outcome, SignatureVerdict)
    assert not outcome.valid
    assert "not trusted" in outcome.reason


def test_signer_with_a_repeated_extension(ca: TestCA) -> None:
    # cryptography raises DuplicateExtension (not a ValueError) when such extensions are read.
    issued = ca.issue([ALICE], key_kind="p256", slot=6)
    parsed = asn1_x509.Certificate.load(issued.der)
    tbs = parsed["tbs_certificate"]
    extensions = list(tbs["extensions"])
    tbs["extensions"] = [*extensions, extensions[-1]]
    tbs_der = tbs.dump(force=True)
    signature = ca.key.sign(tbs_der, ec.ECDSA(hashes.SHA256()))  # type: ignore[call-arg, union-attr]
    rebuilt = asn1_x509.Certificate(
        {
            "tbs_certificate": asn1_x509.TbsCertificate.load(tbs_der),
            "signature_algorithm": {"algorithm": "sha256_ecdsa"},
            "signature_value": signature,
        }
    )
    doubled = Issued(x509.load_der_x509_certificate(rebuilt.dump()), issued.key)
    outcome = _outcome(cms_signed_data(CONTENT, [SignerSpec(doubled)]), TrustContext((ca.cert,)))
    assert isinstance(outcome, SignatureVerdict)
    assert (outcome.valid, outcome.reason) == (False, text("signature.signer_malformed"))
    assert outcome.signer_addresses == ()


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.binary(max_size=600))
def test_random_bytes(trust: TrustContext, data: bytes) -> None:
    _outcome(data, trust)
    _outcome(data, trust, None)


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.data())
def test_mutated_signatures(seeds: list[bytes], trust: TrustContext, data: st.DataObject) -> None:
    mutated = bytearray(data.draw(st.sampled_from(seeds)))
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(mutated) - 1))
        action = data.draw(st.sampled_from(["set", "insert", "delete"]))
        if action == "set":
            mutated[position] = data.draw(st.integers(0, 255))
        elif action == "insert":
            mutated[position:position] = data.draw(st.binary(min_size=1, max_size=8))
        else:
            del mutated[position : position + data.draw(st.integers(1, 8))]
    outcome = _outcome(bytes(mutated), trust, data.draw(st.sampled_from([CONTENT, None])))
    if isinstance(outcome, SignatureVerdict) and outcome.valid:
        # Only bytes outside what is signed may change and leave it valid (the digest
        # algorithm hint, the SignerInfo version...): the signer is still alice.
        assert outcome.signer is not None
        assert outcome.signer_addresses == (ALICE,)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_multipart_splitting_never_crashes(data: bytes) -> None:
    entity = (
        b'Content-Type: multipart/signed; protocol="application/pkcs7-signature"; '
        b'boundary="b"\r\n\r\n--b\r\n' + data + b"\r\n--b--\r\n"
    )
    for candidate in (data, entity):
        with contextlib.suppress(SignatureError):
            split_multipart_signed(candidate)
