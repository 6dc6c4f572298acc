"""The audit log: one JSON line per override, on disk before the message leaves."""

import datetime as dt
import json
from pathlib import Path

import pytest

from desktop_app.services.audit import AuditEntry, AuditError, AuditLog

AT = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)


def test_entries_are_appended_as_json_lines(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "home" / "audit.jsonl")
    log.record(
        AuditEntry(AT, "you@clinic.example", ("dana@partner.example",), "send_unencrypted", False)
    )
    log.record(
        AuditEntry(AT, None, ("lee@clinic.example",), "remove_and_encrypt", True, ("d@x.example",))
    )
    lines = log.path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [
        {
            "time": "2026-11-27T10:00:00+00:00",
            "sender": "you@clinic.example",
            "recipients": ["dana@partner.example"],
            "choice": "send_unencrypted",
            "encrypted": False,
            "removed": [],
        },
        {
            "time": "2026-11-27T10:00:00+00:00",
            "sender": None,
            "recipients": ["lee@clinic.example"],
            "choice": "remove_and_encrypt",
            "encrypted": True,
            "removed": ["d@x.example"],
        },
    ]
    assert log.entries()[1]["removed"] == ["d@x.example"]


def test_an_unwritable_log_refuses(tmp_path: Path) -> None:
    folder = tmp_path / "audit.jsonl"
    folder.mkdir()
    with pytest.raises(AuditError, match="was not sent"):
        AuditLog(folder).record(AuditEntry(AT, None, (), "send_unencrypted", False))
