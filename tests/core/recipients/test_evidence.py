"""The judge: stored certificates turned into evidence, and re-read when the store changes."""

import datetime as dt
from pathlib import Path

from desktop_app.core.pki.certificates import fingerprint_sha256
from desktop_app.core.pki.stored import Source
from desktop_app.core.recipients.addresses import parse_address_list
from desktop_app.core.recipients.evidence import CertificateJudge, assess, keys_used
from desktop_app.core.recipients.status import Draft, Overall, StatusCode
from desktop_app.services.certstore.store import CertStore
from tests.factories.certs import NOW, TestCA

ROOT = TestCA("Evidence Root")
ANN = ROOT.issue(["ann@clinic.example"])
BEN = ROOT.issue(["ben@clinic.example"], key_kind="p256")


def draft(to: str) -> Draft:
    return Draft(to=parse_address_list(to))


def test_assess_applies_the_one_rule_to_stored_certificates(tmp_path: Path) -> None:
    with CertStore.open(tmp_path / "s.sqlite") as store:
        store.add_trust_anchor(ROOT.cert, NOW)
        store.add_certificate(ANN.cert, Source.IMPORTED, NOW)
        status = assess(
            draft("Ann <ANN@clinic.example>, ben@clinic.example"), CertificateJudge(store, NOW)
        )
    assert status.overall is Overall.NOT_ENCRYPTED
    assert [(r.mailbox.key, r.code) for r in status.recipients] == [
        ("ann@clinic.example", StatusCode.OK),
        ("ben@clinic.example", StatusCode.NO_CERTIFICATE),
    ]


def test_judge_sees_certificates_added_after_it_was_made(tmp_path: Path) -> None:
    with CertStore.open(tmp_path / "s.sqlite") as store:
        store.add_trust_anchor(ROOT.cert, NOW)
        judge = CertificateJudge(store, NOW)
        assert assess(draft("ben@clinic.example"), judge).overall is Overall.NOT_ENCRYPTED
        store.add_certificate(BEN.cert, Source.DIRECTORY, NOW)
        assert assess(draft("ben@clinic.example"), judge).overall is Overall.ENCRYPTED


def test_judge_sees_another_process_writing_to_the_store(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    with CertStore.open(path) as store, CertStore.open(path) as other:
        store.add_trust_anchor(ROOT.cert, NOW)
        judge = CertificateJudge(store, NOW)
        assert assess(draft("ann@clinic.example"), judge).overall is Overall.NOT_ENCRYPTED
        other.add_certificate(ANN.cert, Source.IMPORTED, NOW)
        assert assess(draft("ann@clinic.example"), judge).overall is Overall.ENCRYPTED


def test_new_crl_or_anchor_clears_remembered_verdicts(tmp_path: Path) -> None:
    with CertStore.open(tmp_path / "s.sqlite") as store:
        store.add_certificate(ANN.cert, Source.IMPORTED, NOW)
        judge = CertificateJudge(store, NOW)
        assert assess(draft("ann@clinic.example"), judge).recipients[0].code is StatusCode.UNTRUSTED
        store.add_trust_anchor(ROOT.cert, NOW)
        assert assess(draft("ann@clinic.example"), judge).recipients[0].code is StatusCode.OK
        store.add_crl(ROOT.crl([ANN.cert.serial_number]), NOW)
        assert assess(draft("ann@clinic.example"), judge).recipients[0].code is StatusCode.REVOKED


def test_key_used_before_is_compared_with_the_chosen_certificate(tmp_path: Path) -> None:
    renewed = ROOT.issue(["ann@clinic.example"], slot=1, not_after=NOW + dt.timedelta(days=700))
    with CertStore.open(tmp_path / "s.sqlite") as store:
        store.add_trust_anchor(ROOT.cert, NOW)
        store.add_crl(ROOT.crl(), NOW)  # a current CRL: no revocation_unknown warning
        store.add_certificate(ANN.cert, Source.IMPORTED, NOW)
        store.record_use("ann@clinic.example", fingerprint_sha256(ANN.cert), NOW)
        judge = CertificateJudge(store, NOW)
        assert assess(draft("ann@clinic.example"), judge).notices == ()
        store.add_certificate(renewed.cert, Source.DIRECTORY, NOW)
        notices = assess(draft("ann@clinic.example"), judge).notices
    assert [n.code for n in notices] == ["key_changed"]


def test_the_keys_a_message_was_sealed_to_are_recorded_in_one_commit(tmp_path: Path) -> None:
    # Each commit of the store is a durable write (an fsync): one per message, not per reader.
    people = [ROOT.issue([f"reader{n}@clinic.example"], slot=10 + n) for n in range(5)]
    with CertStore.open(tmp_path / "s.sqlite") as store:
        store.add_trust_anchor(ROOT.cert, NOW)
        for person in people:
            store.add_certificate(person.cert, Source.IMPORTED, NOW)
        status = assess(
            draft(", ".join(f"reader{n}@clinic.example" for n in range(5))),
            CertificateJudge(store, NOW),
        )
        commits_before, _ = store.revision()
        store.record_uses(keys_used(status), NOW)
        commits_after, _ = store.revision()
        used = store.last_used_spki(f"reader{n}@clinic.example" for n in range(5))
    assert commits_after - commits_before == 1
    assert len(used) == 5
