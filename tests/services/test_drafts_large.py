"""Large drafts: whatever autosave writes, recovery after a crash reads back.

Recovery once set aside every draft file over 16 MiB as "damaged" though autosave wrote
drafts of any size: a long body pasted into the window (a log, a transcript) was lost with
the crash it was saved for. Save and recovery now share one bound (MAX_DRAFT_BYTES).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from desktop_app.core.identity import Identity, identity_of
from desktop_app.core.messages import text
from desktop_app.services import drafts
from desktop_app.services.drafts import DAMAGED_SUFFIX, DraftError, DraftRecord, DraftStore
from tests.factories.certs import TestCA

SAVED = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
MiB = 1024 * 1024


@pytest.fixture(scope="module")
def identity() -> Identity:
    issued = TestCA("Large Drafts CA").issue(["you@clinic.example"], key_kind="rsa2048")
    return identity_of(issued.cert, issued.key, (), source="test")


@pytest.fixture
def store(tmp_path: Path, identity: Identity) -> DraftStore:
    return DraftStore(tmp_path / "drafts", lambda: identity)


def a_draft(body: str) -> DraftRecord:
    return DraftRecord(
        draft_id=drafts.new_draft_id(),
        saved=SAVED,
        to=("lee@clinic.example",),
        subject="Transcript",
        body=body,
    )


def test_a_draft_over_16_mib_is_recovered_like_any_other(store: DraftStore) -> None:
    record = a_draft("Befund: unauffällig. " * (20 * MiB // 22))  # about 20 MiB of UTF-8
    path = store.save(record)
    assert path is not None and path.stat().st_size > 16 * MiB

    recovered = DraftStore(store.folder, store._identity_source).recover()  # after a crash

    assert recovered.damaged == ()
    assert recovered.drafts == (record,)


def test_a_draft_over_the_bound_is_not_saved_and_the_last_one_stands(
    store: DraftStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = a_draft("short")
    path = store.save(record)
    assert path is not None
    monkeypatch.setattr(drafts, "MAX_DRAFT_BYTES", MiB)

    with pytest.raises(DraftError) as refused:
        store.save(dataclasses.replace(record, body="x" * (2 * MiB)))

    assert refused.value.message == text("drafts.too_large", limit=1)  # the bound, in MiB
    assert store.recover().drafts == (record,)  # what was saved before is what comes back


def test_a_file_over_the_bound_is_set_aside_saying_why(
    store: DraftStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.folder.mkdir(parents=True)
    huge = store.path(drafts.new_draft_id())
    huge.write_bytes(b"\0" * (2 * MiB))
    monkeypatch.setattr(drafts, "MAX_DRAFT_BYTES", MiB)

    recovery = store.recover()

    (damaged,) = recovery.damaged
    assert damaged.aside == huge.with_name(huge.name + DAMAGED_SUFFIX) and damaged.aside.exists()
    assert text("drafts.too_large_to_open", limit=1) in damaged.message
