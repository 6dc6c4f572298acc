"""The audit log of overrides: one JSON object per line in the home folder, never a body."""

import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text

log = logging.getLogger(__name__)

AUDIT_FILE_NAME = "audit.jsonl"


class AuditError(UserFacingError):
    """The audit log cannot be written; the action it should record must not happen."""


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One override: who sent, to whom, what was chosen, and who was taken off.

    Subject, body and attachments are deliberately not part of it.
    """

    time: datetime
    sender: str | None
    recipients: tuple[str, ...]
    choice: str
    encrypted: bool
    removed: tuple[str, ...] = ()


class AuditLog:
    """Appends entries to ``path``; each one is on disk before ``record`` returns."""

    def __init__(self, path: Path) -> None:
        self._path = path

    @property
    def path(self) -> Path:
        return self._path

    def record(self, entry: AuditEntry) -> None:
        """Append ``entry``.

        Raises:
            AuditError: the file cannot be written; the caller must not go on.
        """
        line = json.dumps(
            {
                "time": entry.time.isoformat(),
                "sender": entry.sender,
                "recipients": list(entry.recipients),
                "choice": entry.choice,
                "encrypted": entry.encrypted,
                "removed": list(entry.removed),
            },
            ensure_ascii=False,
        )
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            with self._path.open("a", encoding="utf-8") as file:
                file.write(line + "\n")
                file.flush()
                os.fsync(file.fileno())
        except OSError as error:
            log.warning("audit log not written: %s", type(error).__name__)
            reason = error.strerror or type(error).__name__
            raise AuditError(text("audit.cannot_write", path=self._path, reason=reason)) from None
        log.info("audit entry written: %s", entry.choice)

    def entries(self) -> list[dict[str, object]]:
        """Every entry so far (for tests and a future viewer); damaged lines are skipped."""
        try:
            lines = self._path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        found = []
        for line in lines:
            try:
                value = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(value, dict):
                found.append(value)
        return found
