"""The audit log: one hash-chained JSON record per override, on disk before the message
leaves; every kind of tampering is found, and a damaged log is never written to."""

import datetime as dt
import json
from pathlib import Path

import pytest

from desktop_app.core.audit_chain import GENESIS_PREV, Problem, record_hash
from desktop_app.services.audit import (
    AuditDamagedError,
    AuditEntry,
    AuditError,
    AuditLog,
    export_records,
)

AT = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)


def _entry(number: int, **extra: object) -> AuditEntry:
    return AuditEntry(
        AT + dt.timedelta(days=number),
        "you@clinic.example",
        (f"r{number}@partner.example",),
        "send_unencrypted",
        False,
        **extra,  # type: ignore[arg-type]
    )


def _log(tmp_path: Path, count: int = 4) -> AuditLog:
    log = AuditLog(tmp_path / "home" / "audit.jsonl")
    for number in range(count):
        log.record(_entry(number))
    return log


def _problems(log: AuditLog) -> set[tuple[int, Problem]]:
    return {(p.line, p.problem) for p in log.verify().problems}


def test_entries_are_appended_as_chained_json_lines(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "home" / "audit.jsonl")
    log.record(
        AuditEntry(
            AT,
            "you@clinic.example",
            ("dana@partner.example",),
            "send_unencrypted",
            False,
            reason="patient_consent",
            phi=("dob@attachment:results.pdf",),
        )
    )
    log.record(
        AuditEntry(AT, None, ("lee@clinic.example",), "remove_and_encrypt", True, ("d@x.example",))
    )
    first, second = (json.loads(line) for line in log.path.read_text("utf-8").splitlines())
    assert {k: v for k, v in first.items() if k != "hash"} == {
        "seq": 1,
        "time": "2026-11-27T10:00:00+00:00",
        "sender": "you@clinic.example",
        "recipients": ["dana@partner.example"],
        "choice": "send_unencrypted",
        "encrypted": False,
        "removed": [],
        "reason": "patient_consent",
        "phi": ["dob@attachment:results.pdf"],
        "prev": GENESIS_PREV,
    }
    assert first["hash"] == record_hash(first)
    assert second["seq"] == 2 and second["prev"] == first["hash"]
    assert log.entries()[1]["removed"] == ["d@x.example"]
    report = log.verify()
    assert report.intact and report.records == 2 and report.head.prev == second["hash"]


def test_an_unwritable_log_refuses(tmp_path: Path) -> None:
    folder = tmp_path / "audit.jsonl"
    folder.mkdir()
    with pytest.raises(AuditError, match="was not sent"):
        AuditLog(folder).record(AuditEntry(AT, None, (), "send_unencrypted", False))


def test_an_edited_record_is_found(tmp_path: Path) -> None:
    log = _log(tmp_path)
    lines = log.path.read_text("utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("r1@partner.example", "someone@else.example")
    log.path.write_text("".join(lines), "utf-8")
    assert _problems(log) == {(2, Problem.HASH_WRONG)}


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(tmp_path: Path) -> None:
    log = _log(tmp_path)
    lines = log.path.read_text("utf-8").splitlines(keepends=True)
    record = json.loads(lines[1])
    record["choice"] = "remove_and_encrypt"
    record["hash"] = record_hash(record)
    lines[1] = json.dumps(record) + "\n"
    log.path.write_text("".join(lines), "utf-8")
    assert _problems(log) == {(3, Problem.CHAIN_BROKEN)}


def test_a_removed_record_is_found(tmp_path: Path) -> None:
    log = _log(tmp_path)
    lines = log.path.read_text("utf-8").splitlines(keepends=True)
    del lines[1]
    log.path.write_text("".join(lines), "utf-8")
    assert _problems(log) == {(2, Problem.CHAIN_BROKEN), (2, Problem.SEQUENCE_WRONG)}


def test_reordered_records_are_found(tmp_path: Path) -> None:
    log = _log(tmp_path)
    lines = log.path.read_text("utf-8").splitlines(keepends=True)
    lines[1], lines[2] = lines[2], lines[1]
    log.path.write_text("".join(lines), "utf-8")
    found = _problems(log)
    assert (2, Problem.CHAIN_BROKEN) in found and (3, Problem.CHAIN_BROKEN) in found


def test_an_inserted_line_is_found(tmp_path: Path) -> None:
    log = _log(tmp_path)
    lines = log.path.read_text("utf-8").splitlines(keepends=True)
    lines.insert(2, '{"choice": "send_unencrypted"}\n')
    log.path.write_text("".join(lines), "utf-8")
    assert (3, Problem.NOT_JSON) in _problems(log)


def test_a_log_from_before_chaining_is_sealed_by_the_first_new_record(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    old = '{"time": "2026-01-01T00:00:00+00:00", "choice": "send_unencrypted"}\n' * 2
    path.write_text(old, "utf-8")
    log = AuditLog(path)
    log.record(_entry(1))
    report = log.verify()
    assert report.intact and report.legacy_lines == 2 and report.records == 1
    # Editing the old part afterwards is found at the first chained record.
    path.write_text(path.read_text("utf-8").replace("2026-01-01", "2026-01-02", 1), "utf-8")
    assert _problems(log) == {(3, Problem.CHAIN_BROKEN)}


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[:-20],  # a torn last write
        lambda text: text.replace('"choice": "send_unencrypted"', '"choice": "x"'),
        lambda text: text + "garbage\n",
    ],
)
def test_a_damaged_log_is_reported_and_never_restarted(tmp_path: Path, damage: object) -> None:
    log = _log(tmp_path, 2)
    damaged = damage(log.path.read_text("utf-8"))  # type: ignore[operator]
    log.path.write_text(damaged, "utf-8")
    with pytest.raises(AuditDamagedError, match="damaged"):
        log.record(_entry(9))
    assert log.path.read_text("utf-8") == damaged  # nothing appended, nothing replaced


def test_export_keeps_recent_records_without_chain_fields(tmp_path: Path) -> None:
    log = _log(tmp_path, 3)
    exported = export_records(log.entries(), AT + dt.timedelta(days=1))
    assert [record["seq"] for record in exported] == [2, 3]
    assert set(exported[0]) == {
        "seq",
        "time",
        "sender",
        "recipients",
        "choice",
        "encrypted",
        "removed",
        "reason",
        "phi",
    }
