"""Addresses in certificates, read exactly: rfc822Name, SmtpUTF8Mailbox, subject emailAddress."""

import pytest

from desktop_app.core.messages import text
from desktop_app.core.pki import cert_addresses
from desktop_app.core.pki.cert_addresses import (
    MAX_ADDRESSES,
    NameKind,
    TooManyAddresses,
    mail_names,
)
from desktop_app.core.pki.certificates import email_addresses
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.pki.usability import CertCode, evaluate_for_encryption
from desktop_app.core.recipients.addresses import parse_mailbox
from tests.factories.certs import NOW, TestCA
from tests.factories.odd_certs import issue_with_san, rfc822_entry, smtp_utf8_entry, tlv

CA = TestCA("Address Rules Root")
TRUST = TrustContext(anchors=(CA.cert,))


def verdict(entries: list[bytes], typed: str, **kwargs: str) -> CertCode:
    cert = issue_with_san(CA, entries, **kwargs).cert
    return evaluate_for_encryption(cert, parse_mailbox(typed).key, NOW, TRUST).code


@pytest.mark.parametrize("written", [b"x@bekb.ch ", b" x@bekb.ch", b"x@bekb.ch\t", b"\nx@bekb.ch"])
def test_an_rfc822_name_with_surrounding_space_matches_no_one(written: bytes) -> None:
    cert = issue_with_san(CA, [rfc822_entry(written)]).cert
    assert email_addresses(cert) == ()
    assert verdict([rfc822_entry(written)], "x@bekb.ch") is CertCode.WRONG_USAGE


@pytest.mark.parametrize(
    "written",
    [b"<x@bekb.ch>", b"X <x@bekb.ch>", b"(c)x@bekb.ch", b'"x"@bekb.ch', b"x@bekb.ch,y@bekb.ch"],
)
def test_an_rfc822_name_that_is_not_a_bare_address_matches_no_one(written: bytes) -> None:
    assert verdict([rfc822_entry(written)], "x@bekb.ch") is CertCode.WRONG_USAGE


def test_a_non_ascii_rfc822_name_is_malformed_even_when_it_decodes() -> None:
    # cryptography hands the IA5String's bytes over as UTF-8 text; it is still not IA5.
    utf8 = rfc822_entry("jörg@bücher.example".encode())
    assert email_addresses(issue_with_san(CA, [utf8]).cert) == ()
    assert verdict([utf8], "jörg@bücher.example") is CertCode.WRONG_USAGE


def test_a_non_ascii_subject_email_address_is_malformed() -> None:
    cert = issue_with_san(CA, [], subject_email="jörg@bücher.example").cert
    assert email_addresses(cert) == ()


def test_a_well_formed_rfc822_name_still_matches_in_any_ascii_case() -> None:
    assert verdict([rfc822_entry(b"Ann@Clinic.Example")], "ann@clinic.example") is CertCode.OK


def test_smtp_utf8_mailbox_matches_its_address_with_the_domain_as_a_labels() -> None:
    entry = smtp_utf8_entry("jörg@bücher.example")
    cert = issue_with_san(CA, [entry]).cert
    assert email_addresses(cert) == ("jörg@xn--bcher-kva.example",)
    assert verdict([entry], "jörg@bücher.example") is CertCode.OK
    assert verdict([entry], "jörg@xn--bcher-kva.example") is CertCode.OK
    assert verdict([entry], "Jörg@Bücher.example") is CertCode.OK  # ASCII case only
    # The local part is compared exactly: no Unicode case folding or normalisation.
    assert verdict([entry], "JÖRG@bücher.example") is CertCode.WRONG_USAGE
    assert verdict([entry], "jo\u0308rg@bücher.example") is CertCode.WRONG_USAGE


def test_smtp_utf8_mailbox_that_is_not_a_utf8_string_or_not_an_address_matches_no_one() -> None:
    printable = tlv(0xA0, bytes.fromhex("06082b06010505070809") + tlv(0xA0, b"\x13\x07a@b.org"))
    bad_utf8 = tlv(0xA0, bytes.fromhex("06082b06010505070809") + tlv(0xA0, b"\x0c\x02\xff\xfe"))
    for entry in (
        printable,
        bad_utf8,
        smtp_utf8_entry(" jörg@bücher.example"),
        smtp_utf8_entry("Jörg <jörg@bücher.example>"),
        smtp_utf8_entry("jörg@bücher"),
    ):
        cert = issue_with_san(CA, [entry]).cert
        assert email_addresses(cert) == ()
        names = mail_names(cert)
        assert [(n.kind, n.mailbox) for n in names.san] == [(NameKind.SMTP_UTF8, None)]


def test_a_malformed_san_address_does_not_fall_back_to_the_subject() -> None:
    # The subjectAltName has a mail entry, so it alone says who the certificate is for.
    cert = issue_with_san(CA, [rfc822_entry(b"x@bekb.ch ")], subject_email="x@bekb.ch").cert
    assert email_addresses(cert) == ()


def test_without_san_mail_entries_the_subject_email_address_is_used() -> None:
    cert = issue_with_san(CA, [tlv(0x82, b"host.example")], subject_email="x@bekb.ch").cert
    assert email_addresses(cert) == ("x@bekb.ch",)


def test_repeated_addresses_are_listed_once_in_order() -> None:
    entries = [rfc822_entry(a) for a in (b"b@x.org", b"a@x.org", b"B@x.org", b"b@x.org")]
    assert email_addresses(issue_with_san(CA, entries).cert) == ("b@x.org", "a@x.org")


class _CountingParser:
    """parse_mailbox, counting its calls (the unit of work per address)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, value: str):  # type: ignore[no-untyped-def]
        self.calls += 1
        return parse_mailbox(value)


def test_each_address_is_read_once_so_the_work_is_linear(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counter = _CountingParser()
    monkeypatch.setattr(cert_addresses, "parse_mailbox", counter)
    for size in (10, MAX_ADDRESSES):
        counter.calls = 0
        entries = [rfc822_entry(f"u{n % 7}.{n}@x.org".encode()) for n in range(size)]
        assert len(email_addresses(issue_with_san(CA, entries).cert)) == size
        assert counter.calls == size


def test_a_certificate_naming_more_than_the_limit_is_not_read_and_covers_no_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counter = _CountingParser()
    monkeypatch.setattr(cert_addresses, "parse_mailbox", counter)
    entries = [rfc822_entry(f"u{n}@x.org".encode()) for n in range(MAX_ADDRESSES + 1)]
    cert = issue_with_san(CA, entries).cert
    with pytest.raises(TooManyAddresses) as raised:
        mail_names(cert)
    assert raised.value.count == MAX_ADDRESSES + 1
    assert email_addresses(cert) == ()
    result = evaluate_for_encryption(cert, "u0@x.org", NOW, TRUST)
    assert result.code is CertCode.WRONG_USAGE
    assert result.reason == text(
        "cert.too_many_addresses", count=MAX_ADDRESSES + 1, limit=MAX_ADDRESSES
    )
    assert counter.calls == 0  # counted, never parsed
