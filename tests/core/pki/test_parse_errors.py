"""One test per kind of exception cryptography raises for outside data (``PARSE_ERRORS``).

Each test first shows that cryptography really raises that kind for the odd input, then
that every certificate rule turns it into one finding instead of letting it escape.
"""

import pytest
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization

from desktop_app.core.messages import text
from desktop_app.core.pki.cert_addresses import UnreadableNames, mail_names
from desktop_app.core.pki.certificates import (
    CertificateError,
    email_addresses,
    is_ca,
    load_certificates,
    load_crl,
    shown_issuer,
    shown_subject,
)
from desktop_app.core.pki.name_constraints import violates_mail_constraints
from desktop_app.core.pki.parsing import (
    PARSE_ERRORS,
    UnreadableCertificate,
    certificate_from_der,
)
from desktop_app.core.pki.trust import (
    TrustContext,
    check_chain,
    crl_signer,
    find_revocations,
    weak_signatures,
)
from desktop_app.core.pki.usability import CertCode, evaluate_for_encryption
from desktop_app.services.certstore.schema import certificate_row
from tests.factories.cert_files import p7b_file
from tests.factories.certs import NOW, TestCA
from tests.factories.odd_certs import (
    issue_with_san,
    odd_name_certificate,
    odd_name_crl,
    tlv,
    with_duplicate_extension,
    with_odd_name,
    with_unknown_key_algorithm,
    with_version,
)

CA = TestCA("Parse Errors Root")
TRUST = TrustContext(anchors=(CA.cert,))


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _every_rule(cert: x509.Certificate, trust: TrustContext = TRUST) -> CertCode:
    """Run each certificate rule on ``cert``; none may raise. Returns the verdict's code."""
    email_addresses(cert)
    is_ca(cert)
    shown_subject(cert)
    shown_issuer(cert)
    check = check_chain(cert, trust, NOW)
    find_revocations(check.chain, trust.crls)
    weak_signatures(check.chain, trust.anchors)
    violates_mail_constraints((cert, CA.cert))
    return evaluate_for_encryption(cert, "odd@example.org", NOW, trust).code


# A real input for each kind: what cryptography really raises, with nothing made up.
_RAISED_BY = {
    ValueError: lambda: x509.load_der_x509_certificate(b"\x30\x03\x02\x01\x01"),
    TypeError: lambda: odd_name_certificate(CA).cert.subject,
    x509.InvalidVersion: lambda: x509.load_der_x509_certificate(
        with_version(CA.issue(["odd@example.org"]), CA.key, 5)
    ),
    x509.DuplicateExtension: lambda: (
        with_duplicate_extension(CA.issue(["odd@example.org"]), CA.key).cert.extensions
    ),
    x509.UnsupportedGeneralNameType: lambda: (
        issue_with_san(CA, [tlv(0xA3, b"\x30\x00")]).cert.extensions
    ),
    UnsupportedAlgorithm: lambda: with_unknown_key_algorithm(
        CA.issue(["odd@example.org"]), CA.key
    ).cert.public_key(),
}


@pytest.mark.parametrize("kind", PARSE_ERRORS, ids=lambda kind: kind.__name__)
def test_each_kind_on_the_list_is_raised_and_needed(kind: type[Exception]) -> None:
    # A kind added to the list needs a real input here (and a test of its own below); a
    # kind that another entry already catches is not needed on the list.
    with pytest.raises(kind) as raised:
        _RAISED_BY[kind]()
    others = tuple(other for other in PARSE_ERRORS if other is not kind)
    assert not isinstance(raised.value, others)


def test_type_error_a_bit_string_in_a_name_is_one_damaged_certificate() -> None:
    odd = odd_name_certificate(CA)
    with pytest.raises(TypeError, match="X500_UNIQUE_IDENTIFIER"):
        _ = odd.cert.subject  # what cryptography does: the kind is real

    with pytest.raises(CertificateError) as raised:
        load_certificates(odd.pem, source_name="odd.pem")
    assert raised.value.message == text("cert.damaged", source="odd.pem", number=1)
    with pytest.raises(UnreadableCertificate):
        certificate_from_der(odd.der)
    assert _every_rule(odd.cert) is CertCode.WRONG_USAGE
    verdict = evaluate_for_encryption(odd.cert, "odd@example.org", NOW, TRUST)
    assert verdict.reason == text("cert.names_unreadable")
    assert email_addresses(odd.cert) == ()
    with pytest.raises(UnreadableNames):
        mail_names(odd.cert)
    row = certificate_row(odd.cert)  # a store row never raises either; the name is left empty
    assert row.subject == "" and row.addresses == ()


def test_type_error_in_the_issuer_name_too() -> None:
    odd = with_odd_name(CA.issue(["odd@example.org"]), CA.key, field="issuer")
    with pytest.raises(TypeError):
        _ = odd.cert.issuer
    with pytest.raises(CertificateError):
        load_certificates(odd.der, source_name="odd.der")
    assert _every_rule(odd.cert) is CertCode.WRONG_USAGE
    assert shown_issuer(odd.cert) == text("cert.unnamed")


def test_type_error_one_odd_certificate_in_a_bundle_names_its_number() -> None:
    bundle = p7b_file([CA.issue(["a@example.org"]).cert, odd_name_certificate(CA).cert])
    with pytest.raises(CertificateError) as raised:
        load_certificates(bundle, source_name="bundle.p7b")
    assert raised.value.message == text("cert.damaged", source="bundle.p7b", number=2)


def test_type_error_an_authority_or_anchor_with_an_odd_name_breaks_no_rule() -> None:
    odd_root = TestCA("Odd Root")
    odd_anchor = with_odd_name(odd_root.issue([]), odd_root.key).cert  # not even a CA
    trust = TrustContext(anchors=(odd_anchor, CA.cert), intermediates=(odd_anchor,))
    good = CA.issue(["odd@example.org"])
    assert _every_rule(good.cert, trust) is CertCode.OK
    stranger = odd_root.issue(["odd@example.org"])
    assert _every_rule(stranger.cert, trust) is CertCode.UNTRUSTED


def test_type_error_in_a_crl_issuer_is_an_unreadable_crl() -> None:
    der = odd_name_crl(CA)
    with pytest.raises(TypeError):
        _ = x509.load_der_x509_crl(der).issuer
    with pytest.raises(CertificateError) as raised:
        load_crl(der, source_name="odd.crl")
    assert raised.value.message == text("crl.unreadable", source="odd.crl")
    # A stored or fetched list read without load_crl revokes nothing and breaks nothing.
    crl = x509.load_der_x509_crl(der)
    assert crl_signer(crl, TRUST) is None
    revoked = CA.issue(["odd@example.org"], serial=1001)
    assert find_revocations((revoked.cert, CA.cert), (crl,)) == ()


def test_value_error_malformed_der_and_malformed_extensions() -> None:
    with pytest.raises(ValueError):
        x509.load_der_x509_certificate(b"\x30\x03\x02\x01\x01")
    with pytest.raises(CertificateError):
        load_certificates(b"\x30\x03\x02\x01\x01", source_name="bad.der")
    broken = CA.issue(["odd@example.org"], malformed_extension=x509.oid.ExtensionOID.KEY_USAGE)
    with pytest.raises(ValueError):
        _ = broken.cert.extensions
    assert load_certificates(broken.der, source_name="broken.der") == (broken.cert,)
    assert _every_rule(broken.cert) is CertCode.WRONG_USAGE
    # A non-ASCII byte that is not UTF-8 in an rfc822Name fails inside the SAN.
    latin = issue_with_san(CA, [tlv(0x81, "jörg@example.org".encode("latin-1"))])
    with pytest.raises(ValueError):
        _ = latin.cert.extensions
    assert _every_rule(latin.cert) is CertCode.WRONG_USAGE


def test_invalid_version_is_an_unreadable_file() -> None:
    der = with_version(CA.issue(["odd@example.org"]), CA.key, 5)
    with pytest.raises(x509.InvalidVersion):
        x509.load_der_x509_certificate(der)
    with pytest.raises(CertificateError):
        load_certificates(der, source_name="v6.der")
    with pytest.raises(CertificateError) as raised:
        load_certificates(_bundle_of(der), source_name="v6.p7b")
    assert raised.value.message == text("cert.damaged", source="v6.p7b", number=1)
    with pytest.raises(UnreadableCertificate):
        certificate_from_der(der)


def _bundle_of(der: bytes) -> bytes:
    from asn1crypto import cms
    from asn1crypto import x509 as asn1_x509

    signed = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [],
            "encap_content_info": {"content_type": "data"},
            "certificates": [asn1_x509.Certificate.load(der)],
            "signer_infos": [],
        }
    )
    return bytes(cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump())


def test_duplicate_extension_is_stored_but_never_usable() -> None:
    doubled = with_duplicate_extension(CA.issue(["odd@example.org"]), CA.key)
    with pytest.raises(x509.DuplicateExtension):
        _ = doubled.cert.extensions
    assert load_certificates(doubled.pem, source_name="doubled.pem") == (doubled.cert,)
    assert _every_rule(doubled.cert) is CertCode.WRONG_USAGE
    assert not is_ca(doubled.cert)


def test_unsupported_general_name_type_names_no_address() -> None:
    x400 = issue_with_san(
        CA, [tlv(0x81, b"odd@example.org"), tlv(0xA3, b"\x30\x00")], subject_email="odd@example.org"
    )
    with pytest.raises(x509.UnsupportedGeneralNameType):
        _ = x400.cert.extensions
    assert load_certificates(x400.pem, source_name="x400.pem") == (x400.cert,)
    assert email_addresses(x400.cert) == ()
    assert _every_rule(x400.cert) is CertCode.WRONG_USAGE


def test_unsupported_algorithm_is_an_unsupported_key() -> None:
    strange = with_unknown_key_algorithm(CA.issue(["odd@example.org"]), CA.key)
    with pytest.raises(UnsupportedAlgorithm):
        strange.cert.public_key()
    with pytest.raises(CertificateError) as raised:
        load_certificates(strange.der, source_name="strange.der")
    assert raised.value.message == text("cert.unsupported_key", source="strange.der", number=1)
    assert _every_rule(strange.cert) is CertCode.WRONG_USAGE
