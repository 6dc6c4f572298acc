"""The records the Sent and Outbox views read, the settings file, and the certificate list."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.pki.stored import Source
from desktop_app.core.pki.usability import CertCode
from desktop_app.services.certificate_list import (
    list_known,
    remove_certificate,
    within_expiry_warning,
)
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.mailbox.folders import SentSecurity, read_sent, read_waiting
from desktop_app.services.outbox.queue import OutboxQueue
from desktop_app.services.paths import store_path
from desktop_app.services.settings import APPEARANCE, Appearance, Settings
from tests.factories.certs import NOW, TestCA

SEALED = (
    b"From: me@clinic.example\r\nTo: Alice <alice@clinic.example>\r\n"
    b"Cc: bob@clinic.example\r\nSubject: Lab\r\nMIME-Version: 1.0\r\n"
    b"Content-Type: application/pkcs7-mime; smime-type=enveloped-data\r\n\r\nMIIB\r\n"
)


def test_a_message_exchange_took_is_kept_as_a_sent_record_without_its_content(
    tmp_path: Path,
) -> None:
    outbox = OutboxQueue(tmp_path, lambda: NOW)
    [item] = outbox.add_copies([SEALED], "test", unencrypted_by_choice=False)
    assert [record.subject for record in read_waiting(outbox).records] == ["Lab"]
    outbox.remove(item)
    assert read_waiting(outbox).records == ()
    [record] = read_sent(tmp_path).records
    assert record.subject == "Lab"
    assert record.recipients == ("alice@clinic.example", "bob@clinic.example")
    assert record.security is SentSecurity.ENCRYPTED
    [kept] = (tmp_path / "exchange" / "sent").glob("*.json")
    assert b"MIIB" not in kept.read_bytes()


def test_outbox_folder_summaries_and_damaged_records(tmp_path: Path) -> None:
    folder = tmp_path / "outbox"
    folder.mkdir()
    summary = {
        "time": NOW.isoformat(),
        "encrypted": False,
        "signed": True,
        "choice": "send_unencrypted",
        "to": ["dana@partner.example"],
        "cc": [],
        "bcc": ["lee@clinic.example"],
        "removed": [],
        "envelopes": [{"recipients": ["dana@partner.example"]}, {"recipients": ["x"]}],
    }
    (folder / "20261127T100000-1.json").write_text(json.dumps(summary), encoding="utf-8")
    (folder / "20261127T100000-2.json").write_text("{not json", encoding="utf-8")
    no_offset = dict(summary, time="2026-11-27T10:00:00")
    (folder / "20261127T100000-3.json").write_text(json.dumps(no_offset), encoding="utf-8")
    listing = read_sent(tmp_path)
    assert listing.damaged == 2
    [record] = listing.records
    assert record.security is SentSecurity.PLAIN_BY_CHOICE and record.signed is True
    assert record.recipients == ("dana@partner.example", "lee@clinic.example")
    assert record.copies == 2


def test_no_records_at_all(tmp_path: Path) -> None:
    assert read_sent(tmp_path).records == ()
    assert read_waiting(OutboxQueue(tmp_path, lambda: NOW)).records == ()


@settings(max_examples=50, deadline=None)
@given(st.one_of(st.text(max_size=12), st.integers(), st.none(), st.booleans()))
def test_any_appearance_value_reads_as_a_choice(value: object) -> None:
    assert APPEARANCE.parse(value) in set(Appearance)
    if value not in {choice.value for choice in Appearance}:
        assert APPEARANCE.parse(value) is Appearance.SYSTEM


def test_settings_are_written_and_read_back(tmp_path: Path) -> None:
    chosen = Settings(tmp_path / "home")
    assert chosen.get(APPEARANCE) is Appearance.SYSTEM
    chosen.set(APPEARANCE, Appearance.LIGHT)
    assert Settings(tmp_path / "home").get(APPEARANCE) is Appearance.LIGHT


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=-100, max_value=100))
def test_expires_soon_is_the_next_30_days_only(days: int) -> None:
    not_after = NOW + dt.timedelta(days=days, hours=1)
    assert within_expiry_warning(not_after, NOW) == (0 <= days < 30)


def test_the_certificate_list_judges_each_certificate_and_removes_one(tmp_path: Path) -> None:
    authority = TestCA("List Root")
    usable = authority.issue(["alice@clinic.example"])
    expired = authority.issue(["bob@clinic.example"], not_after=NOW - dt.timedelta(days=1))
    path = store_path(tmp_path)
    with CertStore.open(path) as store:
        store.add_trust_anchor(authority.cert, NOW)
        store.add_certificate(usable.cert, Source.HARVESTED, NOW)
        store.add_certificate(expired.cert, Source.IMPORTED, NOW)
    known = {item.stored.addresses[:1]: item for item in list_known(path, NOW)}
    assert known[("alice@clinic.example",)].verdict.code is CertCode.OK  # type: ignore[union-attr]
    bob = known[("bob@clinic.example",)]
    assert bob.verdict is not None and bob.verdict.code is CertCode.EXPIRED
    [authority_row] = [item for item in known.values() if item.stored.is_ca]
    assert authority_row.anchor and authority_row.verdict is None
    assert remove_certificate(path, bob.fingerprint)
    assert not remove_certificate(path, bob.fingerprint)
    assert len(list_known(path, NOW)) == 2
