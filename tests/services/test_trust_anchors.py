"""The administrator's trust anchors are trusted beside each user's own."""

from pathlib import Path

from desktop_app.core.pki.stored import Source
from desktop_app.core.recipients.addresses import parse_address_list
from desktop_app.core.recipients.evidence import assess
from desktop_app.core.recipients.status import Draft, StatusCode
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.trust_anchors import certificate_judge, system_trust_anchors
from tests.factories.certs import NOW, TestCA

PRACTICE_CA = TestCA("Practice CA")
LEE = PRACTICE_CA.issue(["lee@clinic.example"])


def test_only_readable_ca_certificates_are_taken(tmp_path: Path) -> None:
    assert system_trust_anchors(tmp_path / "absent") == ()
    (tmp_path / "practice.pem").write_bytes(PRACTICE_CA.pem)
    (tmp_path / "person.pem").write_bytes(LEE.pem)  # not a CA: never an anchor
    (tmp_path / "broken.crt").write_bytes(b"-----BEGIN CERTIFICATE-----\nxx\n")
    (tmp_path / "notes.txt").write_text("not a certificate file")
    assert system_trust_anchors(tmp_path) == (PRACTICE_CA.cert,)


def test_a_recipient_under_the_administrators_ca_is_covered(tmp_path: Path) -> None:
    anchors = tmp_path / "trust-anchors"
    anchors.mkdir()
    with CertStore.open(tmp_path / "store.sqlite3") as store:
        store.add_certificate(LEE.cert, Source.IMPORTED, NOW)
        draft = Draft(to=parse_address_list("lee@clinic.example"))
        untrusted = assess(draft, certificate_judge(store, NOW, anchor_folder=anchors))
        assert untrusted.recipients[0].code is StatusCode.UNTRUSTED
        (anchors / "practice.pem").write_bytes(PRACTICE_CA.pem)
        trusted = assess(draft, certificate_judge(store, NOW, anchor_folder=anchors))
        assert trusted.recipients[0].code is StatusCode.OK
