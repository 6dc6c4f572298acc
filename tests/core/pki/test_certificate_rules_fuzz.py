"""Fuzzing the certificate rules: odd names and addresses, constrained CAs, mutated DER.

Two properties, over correctly signed certificates whose subject and subjectAltName are
drawn at random (any attribute OID and string type, BIT STRINGs included; rfc822Names of
any bytes; SmtpUTF8Mailboxes of any text; GeneralName forms cryptography does not model):

1. No exception but our typed ones escapes any reader or rule.
2. Nothing malformed is ever "ok": a usable verdict implies names that parse, a
   well-formed address written exactly as matched, and no violated name constraint.

The odd-Name certificate (a BIT STRING under an unexpected OID) is an explicit example.
"""

import contextlib
import datetime as dt

import pytest
from asn1crypto import core as asn1_core
from asn1crypto import parser as asn1_parser
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from desktop_app.core.pki.cert_addresses import (
    NameKind,
    TooManyAddresses,
    UnreadableNames,
    address_count_over_limit,
    mail_names,
)
from desktop_app.core.pki.certificates import (
    CertificateError,
    email_addresses,
    is_ca,
    load_certificates,
    shown_issuer,
    shown_subject,
)
from desktop_app.core.pki.name_constraints import violates_mail_constraints
from desktop_app.core.pki.parsing import (
    PARSE_ERRORS,
    UnreadableCertificate,
    certificate_from_der,
)
from desktop_app.core.pki.trust import TrustContext, check_chain, find_revocations
from desktop_app.core.pki.usability import evaluate_for_encryption
from desktop_app.core.recipients.addresses import AddressError, parse_mailbox
from desktop_app.services.certstore.schema import certificate_row
from tests.factories.certs import NOW, TestCA
from tests.factories.odd_certs import (
    SMTP_UTF8_MAILBOX_OID,
    constrained_intermediate,
    odd_name_certificate,
    tlv,
    with_raw_names,
)

ROOT = TestCA("Fuzz Root")
AUTHORITIES = (
    ROOT,
    constrained_intermediate(ROOT, "Fuzz Clinic Only", permitted=["clinic.example"]),
    constrained_intermediate(ROOT, "Fuzz Not Evil", excluded=["evil.example", ".evil.example"]),
)
TRUST = TrustContext(
    anchors=(ROOT.cert,),
    intermediates=tuple(ca.cert for ca in AUTHORITIES[1:]),
    crls=(ROOT.crl([5]),),
)
TEMPLATES = tuple(ca.issue(["seed@clinic.example"]) for ca in AUTHORITIES)
ODD = odd_name_certificate(ROOT, "odd@clinic.example")

_FUZZ = settings(
    max_examples=250,
    deadline=dt.timedelta(seconds=2),
    suppress_health_check=[HealthCheck.too_slow],
)

ADDRESSES = [
    "ann@clinic.example",
    "Ann@Clinic.Example",
    "eve@evil.example",
    "eve@lab.evil.example",
    "jörg@bücher.example",
    "jörg@clinic.example",
    "x@bekb.ch",
]
# Characters that make addresses odd: space, angle brackets, quotes, comments, dots,
# controls, non-ASCII letters and look-alikes.
_ODD_CHARS = ' \t\n<>"()@.,;:\\\x00éöü\u0130\u212a\u0308'
_address_text = st.one_of(
    st.sampled_from(ADDRESSES),
    st.sampled_from(ADDRESSES).map(lambda a: f" {a}"),
    st.sampled_from(ADDRESSES).map(lambda a: f"{a} "),
    st.text(alphabet=st.sampled_from("abcxyz@." + _ODD_CHARS), max_size=24),
)
_rfc822 = st.one_of(
    _address_text.map(lambda a: tlv(0x81, a.encode("utf-8"))),
    st.binary(max_size=24).map(lambda b: tlv(0x81, b)),
)
_oid_der = asn1_core.ObjectIdentifier(SMTP_UTF8_MAILBOX_OID).dump()
_smtp_utf8 = st.one_of(
    _address_text.map(lambda a: tlv(0xA0, _oid_der + tlv(0xA0, tlv(0x0C, a.encode())))),
    st.tuples(st.sampled_from([0x0C, 0x13, 0x16, 0x04, 0x03]), st.binary(max_size=24)).map(
        lambda t: tlv(0xA0, _oid_der + tlv(0xA0, tlv(t[0], t[1])))
    ),
)
_other_forms = st.tuples(
    st.sampled_from([0x82, 0x86, 0x87, 0x88, 0xA3, 0xA4, 0xA5]), st.binary(max_size=12)
).map(lambda t: tlv(t[0], t[1]))
_san = st.one_of(
    st.none(),
    st.lists(st.one_of(_rfc822, _rfc822, _smtp_utf8, _other_forms), max_size=4).map(
        lambda entries: tlv(0x30, b"".join(entries))
    ),
)

_ATTRIBUTE_OIDS = {
    "CN": "2.5.4.3",
    "emailAddress": "1.2.840.113549.1.9.1",
    "C": "2.5.4.6",
    "x500UniqueIdentifier": "2.5.4.45",
    "unknown": "1.2.3.4",
}
_STRING_TAGS = [0x0C, 0x13, 0x16, 0x14, 0x1E, 0x1C, 0x03, 0x04, 0x02]


def _rdn(oid: str, tag: int, value: bytes) -> bytes:
    return tlv(0x31, tlv(0x30, asn1_core.ObjectIdentifier(oid).dump() + tlv(tag, value)))


_attribute = st.tuples(
    st.sampled_from(sorted(_ATTRIBUTE_OIDS.values())),
    st.sampled_from(_STRING_TAGS),
    st.one_of(_address_text.map(lambda a: a.encode("utf-8")), st.binary(max_size=16)),
)
_subject = st.lists(_attribute, max_size=3)


def _subject_der(attributes: list[tuple[str, int, bytes]]) -> bytes:
    return tlv(0x30, b"".join(_rdn(*attribute) for attribute in attributes))


def _issue(authority: int, subject: list[tuple[str, int, bytes]], san: bytes | None) -> bytes:
    ca = AUTHORITIES[authority]
    return with_raw_names(TEMPLATES[authority], ca.key, subject=_subject_der(subject), san=san)


def _readers_raise_only_typed_errors(der: bytes) -> x509.Certificate | None:
    with contextlib.suppress(CertificateError):
        load_certificates(der, source_name="fuzz")
    with contextlib.suppress(UnreadableCertificate):
        certificate_from_der(der)
    try:
        return x509.load_der_x509_certificate(der)
    except PARSE_ERRORS:
        return None  # nothing loads, so no rule can be asked about it


def _check_rules(cert: x509.Certificate, addresses: list[str]) -> None:
    """Property 1 for every rule, and property 2 for every verdict."""
    keys = email_addresses(cert)
    try:
        names = mail_names(cert)
    except (UnreadableNames, TooManyAddresses):
        names = None
    address_count_over_limit(cert)
    is_ca(cert)
    shown_subject(cert)
    shown_issuer(cert)
    certificate_row(cert)
    check = check_chain(cert, TRUST, NOW)
    find_revocations(check.chain, TRUST.crls)
    violates_mail_constraints(check.chain)
    for address in [*addresses, *keys]:
        try:
            key = parse_mailbox(address).key
        except AddressError:
            continue
        verdict = evaluate_for_encryption(cert, key, NOW, TRUST)
        if verdict.usable:
            _assert_well_formed(cert, key, names, check.chain)


def _assert_well_formed(
    cert: x509.Certificate, key: str, names: object, chain: tuple[x509.Certificate, ...]
) -> None:
    certificate_from_der(cert.public_bytes(serialization.Encoding.DER))  # names and dates read
    assert cert.extensions is not None
    assert names is not None
    assert check_chain(cert, TRUST, NOW).trusted
    assert not violates_mail_constraints(chain)
    _assert_within_constraints(cert, chain)
    matching = [n for n in names.matched if n.mailbox is not None and n.mailbox.key == key]  # type: ignore[attr-defined]
    assert matching, key
    for name in matching:
        written = name.written
        assert written is not None and written == name.mailbox.address
        assert written == written.strip()
        assert parse_mailbox(written).address == written
        if name.kind is not NameKind.SMTP_UTF8:
            assert written.isascii()


def _elements(der: bytes) -> list[tuple[int, bytes]]:
    """(tag byte, contents) of each element inside the constructed element ``der``."""
    contents, found = asn1_parser.parse(der)[4], []
    while contents:
        _, _, _, header, inner, trailer = asn1_parser.parse(contents)
        found.append((contents[0], inner))
        contents = contents[len(header) + len(inner) + len(trailer) :]
    return found


def _written_addresses(cert: x509.Certificate) -> list[str]:
    """Every address the certificate writes, whatever its string type, read without the code
    under test (the subject with asn1crypto's parser, the SAN with cryptography's)."""
    tbs = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    subject = tbs["tbs_certificate"]["subject"].dump()
    email = asn1_core.ObjectIdentifier("1.2.840.113549.1.9.1").contents
    found = []
    for _, rdn in _elements(subject):
        for _, attribute in _elements(tlv(0x31, rdn)):
            (_, oid), (_, value) = _elements(tlv(0x30, attribute))
            if oid == email:
                found.append(value.decode("utf-8", "replace"))
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return found
    found += san.get_values_for_type(x509.RFC822Name)
    for other in san.get_values_for_type(x509.OtherName):
        if other.type_id.dotted_string == SMTP_UTF8_MAILBOX_OID:
            found.append(other.value[2:].decode("utf-8", "replace"))
    return found


def _assert_within_constraints(cert: x509.Certificate, chain: tuple[x509.Certificate, ...]) -> None:
    # An oracle independent of name_constraints.py, for the two constrained test CAs.
    domains = [address.rpartition("@")[2].lower() for address in _written_addresses(cert)]
    if AUTHORITIES[1].cert in chain:
        assert all(domain == "clinic.example" for domain in domains), domains
    if AUTHORITIES[2].cert in chain:
        assert not any(d == "evil.example" or d.endswith(".evil.example") for d in domains)


@pytest.mark.filterwarnings("ignore:Attribute's length:UserWarning")  # C=, not 2 letters
@_FUZZ
@given(
    authority=st.integers(0, len(AUTHORITIES) - 1),
    subject=_subject,
    san=_san,
    address=st.sampled_from(ADDRESSES),
)
@example(  # the odd-Name certificate: a BIT STRING under an OID that is not x500UniqueIdentifier
    authority=0,
    subject=[("2.5.4.3", 0x0C, b"Odd"), ("1.2.3.4", 0x03, b"\x00\xaa")],
    san=tlv(0x30, tlv(0x81, b"odd@clinic.example")),
    address="odd@clinic.example",
)
@example(  # a forbidden domain through the subject emailAddress of a constrained CA
    authority=1,
    subject=[("1.2.840.113549.1.9.1", 0x16, b"eve@evil.example")],
    san=None,
    address="eve@evil.example",
)
@example(  # an address with a trailing space, and an SmtpUTF8Mailbox
    authority=2,
    subject=[],
    san=tlv(
        0x30,
        tlv(0x81, b"x@bekb.ch ")
        + tlv(0xA0, _oid_der + tlv(0xA0, tlv(0x0C, "jörg@bücher.example".encode()))),
    ),
    address="x@bekb.ch",
)
def test_odd_names_raise_no_untyped_error_and_are_never_ok(
    authority: int, subject: list[tuple[str, int, bytes]], san: bytes | None, address: str
) -> None:
    der = _issue(authority, subject, san)
    cert = _readers_raise_only_typed_errors(der)
    if cert is not None:
        _check_rules(cert, [address])


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from([ODD.der, *(t.der for t in TEMPLATES)])))
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.integers(0, len(data) - 1))
        data[where] ^= draw(st.integers(1, 255))
    return bytes(data)


@pytest.mark.filterwarnings("ignore:Attribute's length:UserWarning")
# A flipped bit can make the serial negative: cryptography warns now, and will refuse later.
@pytest.mark.filterwarnings("ignore:Parsed a serial number:UserWarning")
@_FUZZ
@given(_mutated())
@example(ODD.der)
def test_mutated_certificates_raise_no_untyped_error_and_are_never_ok(der: bytes) -> None:
    cert = _readers_raise_only_typed_errors(der)
    if cert is not None:
        _check_rules(cert, ["odd@clinic.example", "seed@clinic.example"])
