"""Revocation rules: which CRLs and OCSP answers count, and what they say (pure, ``now`` given)."""

import datetime as dt
from pathlib import Path
from typing import Final

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID, ObjectIdentifier
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.pki.chain_revocation import revocation_at_hand
from desktop_app.core.pki.ocsp_rules import ocsp_answer, ocsp_request
from desktop_app.core.pki.revocation import (
    RevocationState,
    crl_answer,
    issuer_of,
    revocation_sources,
)
from desktop_app.core.pki.trust import TrustContext
from tests.factories.certs import NOW, TestCA, private_key

ROOT: Final = TestCA("Revocation Root")
OTHER: Final = TestCA("Revocation Other Root", slot=3)
ALICE: Final = ROOT.issue(
    ["alice@clinic.example"],
    crl_urls=["http://crl.example/root.crl", "ldap://ldap.example/cn=root"],
    ocsp_urls=["http://ocsp.example/", "https://ocsp.example/tls"],
)
WHERE: Final = "http://crl.example/root.crl"
NONCE: Final = b"0123456789abcdef"


def answer_of(crl: x509.CertificateRevocationList, *, now: dt.datetime = NOW) -> RevocationState:
    return crl_answer(crl, ALICE.cert, ROOT.cert, now, where=WHERE).state


# -- where to ask ------------------------------------------------------------------------


def test_sources_are_the_plain_http_distribution_points_and_responders() -> None:
    sources = revocation_sources(ALICE.cert)
    assert sources.crl_urls == ("http://crl.example/root.crl",)
    assert sources.ocsp_urls == ("http://ocsp.example/",)


def test_a_certificate_naming_nothing_has_no_sources() -> None:
    assert not revocation_sources(ROOT.issue(["bob@clinic.example"]).cert)


def test_issuer_is_found_by_name_and_signature() -> None:
    impostor = TestCA("Revocation Root", slot=9)  # same name, another key
    trust = TrustContext(anchors=(impostor.cert, ROOT.cert))
    assert issuer_of(ALICE.cert, trust) == ROOT.cert
    assert issuer_of(ALICE.cert, TrustContext(anchors=(impostor.cert,))) is None


# -- CRLs --------------------------------------------------------------------------------


def test_a_current_crl_of_the_issuer_without_the_serial_says_good() -> None:
    answer = crl_answer(ROOT.crl(), ALICE.cert, ROOT.cert, NOW, where=WHERE)
    assert answer.state is RevocationState.GOOD
    assert answer.valid_until == NOW + dt.timedelta(days=30)


def test_a_current_crl_listing_the_serial_says_revoked_with_the_date() -> None:
    answer = crl_answer(
        ROOT.crl([ALICE.cert.serial_number]), ALICE.cert, ROOT.cert, NOW, where=WHERE
    )
    assert answer.state is RevocationState.REVOKED
    assert answer.revoked_on == NOW - dt.timedelta(days=1)


def test_a_crl_with_a_bad_signature_is_not_used() -> None:
    forged = ROOT.crl([ALICE.cert.serial_number], signing_key=private_key("p256", slot=5))
    answer = crl_answer(forged, ALICE.cert, ROOT.cert, NOW, where=WHERE)
    assert answer.state is RevocationState.UNKNOWN
    assert "not signed by the certificate's issuer" in answer.reason


def test_a_crl_of_another_authority_is_not_used() -> None:
    answer = crl_answer(OTHER.crl(), ALICE.cert, ROOT.cert, NOW, where=WHERE)
    assert answer.state is RevocationState.UNKNOWN
    assert "another authority" in answer.reason


def test_a_crl_past_its_next_update_is_not_used() -> None:
    stale = ROOT.crl(
        last_update=NOW - dt.timedelta(days=40), next_update=NOW - dt.timedelta(days=1)
    )
    answer = crl_answer(stale, ALICE.cert, ROOT.cert, NOW, where=WHERE)
    assert answer.state is RevocationState.UNKNOWN
    assert "out of date" in answer.reason
    # ...even one that lists nobody must not clear the certificate
    assert answer_of(stale, now=NOW - dt.timedelta(days=2)) is RevocationState.GOOD


def test_a_crl_dated_in_the_future_is_not_used() -> None:
    ahead = ROOT.crl(last_update=NOW + dt.timedelta(days=1), next_update=NOW + dt.timedelta(days=9))
    assert answer_of(ahead) is RevocationState.UNKNOWN


def _crl_with_extension(
    extension: x509.ExtensionType, critical: bool
) -> x509.CertificateRevocationList:
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ROOT.name)
        .last_update(NOW - dt.timedelta(days=1))
        .next_update(NOW + dt.timedelta(days=1))
        .add_extension(extension, critical=critical)
    )
    return builder.sign(ROOT.key, hashes.SHA256())  # type: ignore[arg-type]


def test_a_delta_crl_or_an_unknown_critical_extension_is_not_used() -> None:
    assert (
        answer_of(_crl_with_extension(x509.DeltaCRLIndicator(1), True)) is RevocationState.UNKNOWN
    )
    unknown_ext = x509.UnrecognizedExtension(ObjectIdentifier("1.3.6.1.4.1.99999.1"), b"\x05\x00")
    assert answer_of(_crl_with_extension(unknown_ext, True)) is RevocationState.UNKNOWN
    assert answer_of(_crl_with_extension(unknown_ext, False)) is RevocationState.GOOD


def test_an_issuer_whose_key_usage_forbids_crl_signing_cannot_clear() -> None:
    # The CA of this test suite has cRLSign; a leaf certificate standing in as issuer has not.
    answer = crl_answer(ROOT.crl(), ALICE.cert, ALICE.cert, NOW, where=WHERE)
    assert answer.state is RevocationState.UNKNOWN


def test_at_hand_uses_only_the_stored_lists_that_count() -> None:
    good = TrustContext(anchors=(ROOT.cert,), crls=(OTHER.crl(), ROOT.crl()))
    assert revocation_at_hand(ALICE.cert, good, NOW).state is RevocationState.GOOD
    none = revocation_at_hand(ALICE.cert, TrustContext(anchors=(ROOT.cert,)), NOW)
    assert none.state is RevocationState.UNKNOWN
    assert "not checked" in none.reason  # it names places to ask: the fetcher may help
    bare = ROOT.issue(["bob@clinic.example"]).cert
    nowhere = revocation_at_hand(bare, TrustContext(anchors=(ROOT.cert,)), NOW)
    assert "names no revocation list" in nowhere.reason


SUB: Final = ROOT.intermediate("Revocation Sub CA", crl_urls=["http://crl.example/root.crl"])
CAROL: Final = SUB.issue(["carol@clinic.example"], crl_urls=["http://crl.example/sub.crl"])


def chain_trust(*crls: x509.CertificateRevocationList) -> TrustContext:
    return TrustContext(anchors=(ROOT.cert,), intermediates=(SUB.cert,), crls=crls)


def test_at_hand_covers_the_intermediate_above_the_certificate() -> None:
    unsure = revocation_at_hand(CAROL.cert, chain_trust(SUB.crl()), NOW)
    assert unsure.state is RevocationState.UNKNOWN
    assert "“Revocation Sub CA” in its chain, its revocation was not checked" in unsure.reason
    good = revocation_at_hand(CAROL.cert, chain_trust(SUB.crl(), ROOT.crl()), NOW)
    assert (good.state, good.authority) == (RevocationState.GOOD, "")
    revoked_sub = ROOT.crl([SUB.cert.serial_number])
    revoked = revocation_at_hand(CAROL.cert, chain_trust(SUB.crl(), revoked_sub), NOW)
    assert (revoked.state, revoked.authority) == (RevocationState.REVOKED, "Revocation Sub CA")


def _scoped_crl(ca: TestCA, *, ca_only: bool) -> x509.CertificateRevocationList:
    scope = x509.IssuingDistributionPoint(
        full_name=None,
        relative_name=None,
        only_contains_user_certs=not ca_only,
        only_contains_ca_certs=ca_only,
        only_some_reasons=None,
        indirect_crl=False,
        only_contains_attribute_certs=False,
    )
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.cert.subject)
        .last_update(NOW - dt.timedelta(days=1))
        .next_update(NOW + dt.timedelta(days=30))
        .add_extension(scope, critical=True)
    )
    return builder.sign(ca.key, hashes.SHA256())  # type: ignore[arg-type]


def test_a_list_of_ca_certificates_only_settles_an_intermediate_and_nothing_else() -> None:
    authorities_only, users_only = (_scoped_crl(ROOT, ca_only=flag) for flag in (True, False))
    assert crl_answer(authorities_only, SUB.cert, ROOT.cert, NOW, where=WHERE).known
    assert not crl_answer(users_only, SUB.cert, ROOT.cert, NOW, where=WHERE).known
    assert not crl_answer(authorities_only, ALICE.cert, ROOT.cert, NOW, where=WHERE).known
    assert crl_answer(users_only, ALICE.cert, ROOT.cert, NOW, where=WHERE).known


# -- PKITS (NIST's path validation suite, 4.4: basic certificate revocation) ---------------

cryptography_vectors = pytest.importorskip("cryptography_vectors")
PKITS: Final = Path(cryptography_vectors.__file__).parent / "x509" / "PKITS_data"
PKITS_TIME: Final = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)  # inside PKITS' 2010-2030


def _pkits_cert(name: str) -> x509.Certificate:
    return x509.load_der_x509_certificate((PKITS / "certs" / f"{name}.crt").read_bytes())


def _pkits_crl(name: str) -> x509.CertificateRevocationList:
    return x509.load_der_x509_crl((PKITS / "crls" / f"{name}.crl").read_bytes())


@pytest.mark.parametrize(
    ("ee", "ca", "crls", "expected"),
    [
        ("ValidCertificatePathTest1EE", "GoodCACert", ["GoodCACRL"], "good"),
        ("InvalidRevokedEETest3EE", "GoodCACert", ["GoodCACRL"], "revoked"),
        (
            "InvalidBadCRLSignatureTest4EE",
            "BadCRLSignatureCACert",
            ["BadCRLSignatureCACRL"],
            "unknown",
        ),
        (
            "InvalidBadCRLIssuerNameTest5EE",
            "BadCRLIssuerNameCACert",
            ["BadCRLIssuerNameCACRL"],
            "unknown",
        ),
        ("InvalidWrongCRLTest6EE", "WrongCRLCACert", ["WrongCRLCACRL"], "unknown"),
        ("ValidTwoCRLsTest7EE", "TwoCRLsCACert", ["TwoCRLsCABadCRL", "TwoCRLsCAGoodCRL"], "good"),
        (
            "InvalidUnknownCRLEntryExtensionTest8EE",
            "UnknownCRLEntryExtensionCACert",
            ["UnknownCRLEntryExtensionCACRL"],
            "unknown",
        ),
        (
            "InvalidUnknownCRLExtensionTest9EE",
            "UnknownCRLExtensionCACert",
            ["UnknownCRLExtensionCACRL"],
            "unknown",
        ),
        (
            "InvalidUnknownCRLExtensionTest10EE",
            "UnknownCRLExtensionCACert",
            ["UnknownCRLExtensionCACRL"],
            "unknown",
        ),
        (
            "InvalidOldCRLnextUpdateTest11EE",
            "OldCRLnextUpdateCACert",
            ["OldCRLnextUpdateCACRL"],
            "unknown",
        ),
        (
            "Invalidpre2000CRLnextUpdateTest12EE",
            "pre2000CRLnextUpdateCACert",
            ["pre2000CRLnextUpdateCACRL"],
            "unknown",
        ),
        (
            "ValidGeneralizedTimeCRLnextUpdateTest13EE",
            "GeneralizedTimeCRLnextUpdateCACert",
            ["GeneralizedTimeCRLnextUpdateCACRL"],
            "good",
        ),
        (
            "ValidNegativeSerialNumberTest14EE",
            "NegativeSerialNumberCACert",
            ["NegativeSerialNumberCACRL"],
            "good",
        ),
        # RFC 5280 forbids negative serials; cryptography warns on the entry: fail closed.
        (
            "InvalidNegativeSerialNumberTest15EE",
            "NegativeSerialNumberCACert",
            ["NegativeSerialNumberCACRL"],
            "unknown",
        ),
        (
            "ValidLongSerialNumberTest16EE",
            "LongSerialNumberCACert",
            ["LongSerialNumberCACRL"],
            "good",
        ),
        (
            "InvalidLongSerialNumberTest18EE",
            "LongSerialNumberCACert",
            ["LongSerialNumberCACRL"],
            "revoked",
        ),
        (
            "InvalidkeyUsageCriticalcRLSignFalseTest4EE",
            "keyUsageCriticalcRLSignFalseCACert",
            ["keyUsageCriticalcRLSignFalseCACRL"],
            "unknown",
        ),
        (
            "InvalidkeyUsageNotCriticalcRLSignFalseTest5EE",
            "keyUsageNotCriticalcRLSignFalseCACert",
            ["keyUsageNotCriticalcRLSignFalseCACRL"],
            "unknown",
        ),
        (
            "InvaliddeltaCRLIndicatorNoBaseTest1EE",
            "deltaCRLIndicatorNoBaseCACert",
            ["deltaCRLIndicatorNoBaseCACRL"],
            "unknown",
        ),
        ("InvalidMissingCRLTest1EE", "NoCRLCACert", [], "unknown"),
    ],
)
@pytest.mark.filterwarnings("ignore:Parsed a serial number which wasn't positive")
def test_pkits_revocation(ee: str, ca: str, crls: list[str], expected: str) -> None:
    issuer = _pkits_cert(ca)
    trust = TrustContext(anchors=(issuer,), crls=tuple(_pkits_crl(name) for name in crls))
    answer = revocation_at_hand(_pkits_cert(ee), trust, PKITS_TIME)
    assert answer.state.value == expected, answer.reason


# -- OCSP --------------------------------------------------------------------------------


def ocsp_state(data: bytes, *, nonce: bytes | None = NONCE, now: dt.datetime = NOW) -> str:
    return ocsp_answer(data, ALICE.cert, ROOT.cert, now, nonce=nonce, where="http://o/").state.value


def test_ocsp_good_and_revoked_from_the_issuer() -> None:
    assert ocsp_state(ROOT.ocsp_response(ALICE.cert, nonce=NONCE)) == "good"
    assert ocsp_state(ROOT.ocsp_response(ALICE.cert, revoked=True)) == "revoked"


def test_ocsp_from_a_delegated_responder_needs_the_ocsp_signing_usage() -> None:
    assert ocsp_state(ROOT.ocsp_response(ALICE.cert, responder=ROOT.ocsp_signer())) == "good"
    plain = ROOT.ocsp_signer(eku=False, slot=8)
    assert ocsp_state(ROOT.ocsp_response(ALICE.cert, responder=plain)) == "unknown"
    for_mail = ROOT.ocsp_signer(eku=[ExtendedKeyUsageOID.EMAIL_PROTECTION], slot=9)
    assert ocsp_state(ROOT.ocsp_response(ALICE.cert, responder=for_mail)) == "unknown"


def test_ocsp_signed_by_another_authority_is_not_used() -> None:
    # OTHER's responder speaks about ALICE with ROOT as issuer, but ROOT never authorised it.
    foreign = OTHER.ocsp_signer(slot=11)
    forged = ROOT.ocsp_response(ALICE.cert, revoked=False, responder=foreign)
    assert ocsp_state(forged) == "unknown"


def test_ocsp_whose_signature_does_not_verify_is_not_used() -> None:
    # Signed by the issuer, then the last byte of the signature (the end of the DER when
    # no certificate is carried) changed: it still parses and names the issuer.
    genuine = ROOT.ocsp_response(ALICE.cert, nonce=NONCE)
    assert ocsp_state(genuine) == "good"
    forged = genuine[:-1] + bytes([genuine[-1] ^ 0x01])
    assert ocsp_state(forged) == "unknown"


def test_ocsp_with_another_nonce_or_out_of_date_is_not_used() -> None:
    assert ocsp_state(ROOT.ocsp_response(ALICE.cert, nonce=b"another nonce!!!")) == "unknown"
    old = ROOT.ocsp_response(
        ALICE.cert, this_update=NOW - dt.timedelta(days=9), next_update=NOW - dt.timedelta(days=2)
    )
    assert ocsp_state(old) == "unknown"
    ahead = ROOT.ocsp_response(ALICE.cert, this_update=NOW + dt.timedelta(hours=2))
    assert ocsp_state(ahead) == "unknown"
    undated = ROOT.ocsp_response(
        ALICE.cert, this_update=NOW - dt.timedelta(days=2), next_update=None
    )
    assert ocsp_state(undated) == "unknown"
    assert ocsp_state(ROOT.ocsp_response(ALICE.cert, next_update=None)) == "good"


def test_ocsp_about_another_certificate_is_not_used() -> None:
    bob = ROOT.issue(["bob@clinic.example"])
    assert ocsp_state(ROOT.ocsp_response(bob.cert)) == "unknown"


def test_ocsp_request_carries_the_certificate_and_the_nonce() -> None:
    from cryptography.x509 import ocsp

    request = ocsp.load_der_ocsp_request(ocsp_request(ALICE.cert, ROOT.cert, NONCE))
    assert request.serial_number == ALICE.cert.serial_number
    assert request.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce == NONCE


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_an_answer_never_an_exception(data: bytes) -> None:
    answer = ocsp_answer(data, ALICE.cert, ROOT.cert, NOW, nonce=NONCE, where="http://o/")
    assert answer.state is RevocationState.UNKNOWN


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=0, max_value=2000),
    st.lists(st.integers(min_value=1, max_value=255), min_size=1, max_size=3),
)
def test_a_damaged_ocsp_answer_is_never_taken(position: int, flips: list[int]) -> None:
    data = bytearray(ROOT.ocsp_response(ALICE.cert, nonce=NONCE))
    for offset, flip in enumerate(flips):
        data[(position + offset) % len(data)] ^= flip  # every byte really changes
    answer = ocsp_answer(bytes(data), ALICE.cert, ROOT.cert, NOW, nonce=NONCE, where="http://o/")
    assert answer.state is RevocationState.UNKNOWN  # every byte is signed or structural
