"""The certificate details dialog's facts never fail for a certificate cryptography half-reads."""

from desktop_app.core.messages import text
from desktop_app.services.certificates.facts import certificate_facts
from tests.factories.certs import TestCA
from tests.factories.odd_certs import odd_name_certificate, with_unknown_key_algorithm

CA = TestCA("Facts Root")


def test_an_unreadable_subject_is_shown_as_unnamed() -> None:
    facts = certificate_facts(odd_name_certificate(CA).cert)
    assert facts.subject == text("cert.unnamed")
    assert facts.subject_text == ""
    assert facts.issuer == "Facts Root"
    assert facts.addresses == ()


def test_a_key_of_an_unknown_algorithm_is_shown_as_unknown() -> None:
    facts = certificate_facts(with_unknown_key_algorithm(CA.issue(["a@x.org"]), CA.key).cert)
    assert facts.key == "?"
    assert facts.addresses == ("a@x.org",)
