"""Drafts on disk: sealed to the own certificate, written atomically, set aside if damaged."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from desktop_app.core.identity import Identity, identity_of
from desktop_app.core.smime.envelope_open import open_envelope
from desktop_app.services.drafts import (
    DAMAGED_SUFFIX,
    DraftError,
    DraftRecord,
    DraftStore,
    new_draft_id,
    write_owner_only,
)
from tests.factories.certs import TestCA

SAVED = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
SECRET_BODY = "Patient 4711: results attached, biopsy benign."
SECRET_SUBJECT = "Referral results for our shared patient"


@pytest.fixture(scope="module")
def ca() -> TestCA:
    return TestCA("Drafts Test CA")


@pytest.fixture(scope="module")
def identity(ca: TestCA) -> Identity:
    issued = ca.issue(["you@clinic.example"], key_kind="rsa2048", slot=0)
    return identity_of(issued.cert, issued.key, (), source="test")


@pytest.fixture(scope="module")
def other_identity(ca: TestCA) -> Identity:
    issued = ca.issue(["someone@clinic.example"], key_kind="p256", slot=1)
    return identity_of(issued.cert, issued.key, (), source="test")


@pytest.fixture
def store(tmp_path: Path, identity: Identity) -> DraftStore:
    return DraftStore(tmp_path / "drafts", lambda: identity)


def a_draft(**changes: object) -> DraftRecord:
    values: dict[str, object] = {
        "draft_id": new_draft_id(),
        "saved": SAVED,
        "action": "reply_all",
        "to": ("Dana Whitfield <dana@partner.example>", "not an address"),
        "cc": ('"Lee, Dr. Jordan" <lee@clinic.example>',),
        "typing": ("", "pri", ""),
        "subject": SECRET_SUBJECT,
        "body": SECRET_BODY,
        "attachments": ("/tmp/results.pdf",),
        "encrypt": True,
        "sign": False,
        "quote": "> earlier",
        "original_encrypted": True,
        "in_reply_to": "<referral-4711@partner.example>",
        "references": ("<a@x>", "<referral-4711@partner.example>"),
    }
    values.update(changes)
    return DraftRecord(**values)  # type: ignore[arg-type]


def test_a_saved_draft_is_sealed_to_the_own_certificate_and_opens_again(
    store: DraftStore, identity: Identity
) -> None:
    record = a_draft()
    path = store.save(record)
    assert path is not None and path.parent == store.folder
    sealed = path.read_bytes()
    for secret in (SECRET_BODY, SECRET_SUBJECT, "dana@partner.example", "results.pdf"):
        assert secret.encode() not in sealed
    opened = open_envelope(sealed, identity.cert, identity.key)
    assert opened.authenticated  # AES-GCM: a changed file fails its check
    assert store.open(sealed) == record
    assert path.stat().st_mode & 0o777 == 0o600


def test_recover_lists_left_drafts_oldest_first(store: DraftStore) -> None:
    later = a_draft(saved=SAVED + dt.timedelta(minutes=5), subject="Later")
    earlier = a_draft(subject="Earlier")
    store.save(later)
    store.save(earlier)
    recovery = store.recover()
    assert [record.subject for record in recovery.drafts] == ["Earlier", "Later"]
    assert recovery.damaged == ()


def test_a_save_replaces_the_previous_version_without_leftovers(store: DraftStore) -> None:
    record = a_draft()
    store.save(record)
    store.save(a_draft(draft_id=record.draft_id, body="second version"))
    assert sorted(p.name for p in store.folder.iterdir()) == [f"{record.draft_id}.p7m"]
    [recovered] = store.recover().drafts
    assert recovered.body == "second version"


def test_a_deleted_draft_is_gone_and_a_late_save_does_not_bring_it_back(
    store: DraftStore,
) -> None:
    record = a_draft()
    store.save(record)
    store.delete(record.draft_id)
    assert store.save(record) is None
    assert store.recover().drafts == ()
    store.resume(record.draft_id)
    assert store.save(record) is not None


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-40],
        lambda data: data[:-5] + bytes(5),
        lambda data: b"plain text is not a draft",
    ],
    ids=["cut short", "changed", "not cms"],
)
def test_a_damaged_draft_is_set_aside_and_reported(store: DraftStore, damage: object) -> None:
    good, bad = a_draft(subject="good"), a_draft(subject="bad")
    store.save(good)
    path = store.save(bad)
    assert path is not None
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    recovery = store.recover()
    assert [record.subject for record in recovery.drafts] == ["good"]
    [damaged] = recovery.damaged
    assert damaged.aside == path.with_name(path.name + DAMAGED_SUFFIX)
    assert damaged.aside.exists() and not path.exists()
    assert path.name in damaged.message and damaged.aside.name in damaged.message
    assert store.recover().damaged == ()  # set aside once, not reported again


def test_a_draft_sealed_to_another_certificate_is_set_aside(
    tmp_path: Path, store: DraftStore, other_identity: Identity
) -> None:
    other = DraftStore(store.folder, lambda: other_identity)
    other.save(a_draft())
    recovery = store.recover()
    assert recovery.drafts == ()
    assert len(recovery.damaged) == 1


def test_a_sealed_file_that_is_not_a_draft_is_reported(store: DraftStore) -> None:
    der = store.seal(a_draft())
    with pytest.raises(DraftError):
        store.open(der[:-1])


def test_a_missing_identity_fails_the_save_and_writes_nothing(tmp_path: Path) -> None:
    def no_identity() -> Identity:
        raise DraftError("no identity")

    store = DraftStore(tmp_path / "drafts", no_identity)
    with pytest.raises(DraftError):
        store.save(a_draft())
    assert not (tmp_path / "drafts").exists()


def test_an_unwritable_folder_is_a_draft_error(tmp_path: Path, identity: Identity) -> None:
    blocker = tmp_path / "drafts"
    blocker.write_text("a file where the folder should be")
    store = DraftStore(blocker, lambda: identity)
    with pytest.raises(DraftError, match="cannot be written"):
        store.save(a_draft())


def test_write_atomically_leaves_no_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "x.p7m"
    write_owner_only(target, b"one")
    write_owner_only(target, b"two")
    assert target.read_bytes() == b"two"
    assert os.listdir(tmp_path) == ["x.p7m"]


def test_a_partial_file_from_a_cut_write_is_cleaned_up(store: DraftStore) -> None:
    record = a_draft()
    path = store.save(record)
    assert path is not None
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(b"half")
    [recovered] = store.recover().drafts
    assert recovered == record
    assert not partial.exists()
