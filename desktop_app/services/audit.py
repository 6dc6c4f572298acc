"""The audit log of overrides: one JSON record per line in the home folder, hash-chained.

Never a body, a Subject or an excerpt of one: records name who, to whom, what was chosen
and why, and the kinds of patient detail found. The file is never rotated or trimmed
(HIPAA 164.316(b)(2) asks for six years); a damaged log is reported and not written to,
never silently started afresh. See ``core.audit_chain`` for the chain.
"""

import json
import logging
import os
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from desktop_app.core.audit_chain import (
    ChainHead,
    ChainReport,
    chained,
    record_hash,
    record_line,
    verify_chain,
)
from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.services.file_lock import exclusive_lock

log = logging.getLogger(__name__)

AUDIT_FILE_NAME = "audit.jsonl"
_LOCK_WAIT_SECONDS: Final = 5.0
_LOCK_POLL_SECONDS: Final = 0.02
# Fields an export may carry: nothing of the message's text is ever in a record.
EXPORT_FIELDS: Final = (
    "seq",
    "time",
    "sender",
    "recipients",
    "choice",
    "encrypted",
    "removed",
    "reason",
    "phi",
)


class AuditError(UserFacingError):
    """The audit log cannot be written; the action it should record must not happen."""


class AuditDamagedError(AuditError):
    """The log's last record is not whole or not what was written: nothing is appended."""


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One override: who sent, to whom, what was chosen, who was taken off, and why.

    ``reason`` is the reason chosen for sending patient details unencrypted; ``phi`` the
    kinds of detail found, as ``kind@where`` (``dob@attachment:results.pdf``), never the
    details. Subject, body and attachments are deliberately not part of it.
    """

    time: datetime
    sender: str | None
    recipients: tuple[str, ...]
    choice: str
    encrypted: bool
    removed: tuple[str, ...] = ()
    reason: str | None = None
    phi: tuple[str, ...] = ()


def _fields(entry: AuditEntry) -> dict[str, Any]:
    return {
        "time": entry.time.isoformat(),
        "sender": entry.sender,
        "recipients": list(entry.recipients),
        "choice": entry.choice,
        "encrypted": entry.encrypted,
        "removed": list(entry.removed),
        "reason": entry.reason,
        "phi": list(entry.phi),
    }


class AuditLog:
    """Appends records to ``path``; each one is on disk before ``record`` returns."""

    def __init__(self, path: Path) -> None:
        self._path = path

    @property
    def path(self) -> Path:
        return self._path

    def _damaged(self, line: int, reason: str) -> AuditDamagedError:
        log.warning("audit log damaged at line %d", line)
        return AuditDamagedError(text("audit.damaged", path=self._path, line=line, reason=reason))

    def _head(self, data: bytes) -> ChainHead:
        """Where the next record links; refuses a log whose last record is not sound."""
        lines = data.splitlines(keepends=True)
        if lines and not lines[-1].endswith(b"\n"):
            raise self._damaged(len(lines), text("audit.not_json"))
        for number in range(len(lines) - 1, -1, -1):
            try:
                record = json.loads(lines[number])
            except (json.JSONDecodeError, UnicodeDecodeError):
                if lines[number].strip():
                    raise self._damaged(number + 1, text("audit.not_json")) from None
                continue
            if not isinstance(record, dict):
                raise self._damaged(number + 1, text("audit.not_json"))
            if "hash" not in record:
                break  # the log from before chaining: the first record seals all of it
            seq = record.get("seq")
            if record["hash"] != record_hash(record) or not isinstance(seq, int):
                raise self._damaged(number + 1, text("audit.hash_wrong"))
            return ChainHead(seq + 1, str(record["hash"]))
        return verify_chain(lines).head

    def record(self, entry: AuditEntry) -> None:
        """Append ``entry`` as the next record of the chain.

        Raises:
            AuditError: the file cannot be written, or its last record is damaged
                (AuditDamagedError); the caller must not go on.
        """
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            with self._locked():
                try:
                    data = self._path.read_bytes()
                except FileNotFoundError:
                    data = b""
                line = record_line(chained(_fields(entry), self._head(data)))
                with self._path.open("ab") as file:
                    file.write(line)
                    file.flush()
                    os.fsync(file.fileno())
        except OSError as error:
            log.warning("audit log not written: %s", type(error).__name__)
            reason = error.strerror or type(error).__name__
            raise AuditError(text("audit.cannot_write", path=self._path, reason=reason)) from None
        log.info("audit entry written: %s", entry.choice)

    def _locked(self) -> "_Lock":
        return _Lock(self._path.with_name(self._path.name + ".lock"))

    def lines(self) -> list[bytes]:
        try:
            return self._path.read_bytes().splitlines(keepends=True)
        except FileNotFoundError:
            return []

    def verify(self) -> ChainReport:
        """Check every record: edited, removed, added or reordered records are found.

        Raises:
            OSError: the file cannot be read.
        """
        return verify_chain(self.lines())

    def entries(self) -> list[dict[str, object]]:
        """Every record so far (for tests, export and a future viewer); damaged lines are
        skipped here, and reported by ``verify``."""
        found = []
        for line in self.lines():
            try:
                value = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError):
                continue
            if isinstance(value, dict):
                found.append(value)
        return found


class _Lock:
    """The log's lock between processes, waited for a few seconds (two sends at once)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._context: Any = None

    def __enter__(self) -> None:
        deadline = time.monotonic() + _LOCK_WAIT_SECONDS
        while True:
            context = exclusive_lock(self._path)
            if context.__enter__():
                self._context = context
                return
            context.__exit__(None, None, None)
            if time.monotonic() > deadline:
                raise OSError(0, "the audit log is in use by another program")
            time.sleep(_LOCK_POLL_SECONDS)

    def __exit__(self, *exc: object) -> None:
        self._context.__exit__(None, None, None)


def export_records(entries: list[dict[str, object]], since: datetime) -> list[dict[str, object]]:
    """The records written at or after ``since``, with only the export fields.

    A record whose time cannot be read is kept: a compliance review would rather see one
    record too many than miss one.
    """
    chosen = []
    for entry in entries:
        when = entry.get("time")
        try:
            written = datetime.fromisoformat(when) if isinstance(when, str) else None
        except ValueError:
            written = None
        if written is not None and written.tzinfo is not None and written < since:
            continue
        chosen.append({name: entry.get(name) for name in EXPORT_FIELDS})
    return chosen
