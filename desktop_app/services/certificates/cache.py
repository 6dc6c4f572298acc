"""What each certificate source said, kept in the home folder for a time to live.

Re-checking a draft on every edit then costs no round trip, and ``--offline`` still
knows which source published which certificate. Failures are never kept.
"""

from __future__ import annotations

import base64
import json
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from desktop_app.services.certificates.source import FindingKind, PublishedValue, SourceFinding

log = logging.getLogger(__name__)

FOLDER = "directory-cache"
DEFAULT_TTL = timedelta(hours=4)


def _encode(finding: SourceFinding) -> dict[str, Any]:
    return {
        "kind": finding.kind.value,
        "values": [[v.attribute, base64.b64encode(v.value).decode()] for v in finding.values],
        "members": list(finding.members),
        "primary": finding.primary,
        "incomplete": finding.incomplete,
    }


def _decode(row: Mapping[str, Any], label: str) -> SourceFinding:
    values = tuple(PublishedValue(a, base64.b64decode(v)) for a, v in row.get("values", ()))
    return SourceFinding(
        FindingKind(row["kind"]),
        label,
        values,
        members=tuple(row.get("members", ())),
        primary=row.get("primary"),
        incomplete=row.get("incomplete"),
    )


class SourceCache:
    """One JSON file per source: ``{key: {"when": ISO, ...finding}}``."""

    def __init__(
        self, home: Path, label: str, clock: Callable[[], datetime], ttl: timedelta = DEFAULT_TTL
    ) -> None:
        safe = re.sub(r"[^A-Za-z0-9._-]", "_", label)
        self._path = home / FOLDER / f"{safe}.json"
        self._label = label
        self._clock = clock
        self._ttl = ttl
        self._rows: dict[str, Any] | None = None

    def _load(self) -> dict[str, Any]:
        if self._rows is None:
            try:
                rows = json.loads(self._path.read_text(encoding="utf-8"))
                self._rows = rows if isinstance(rows, dict) else {}
            except (OSError, ValueError):
                self._rows = {}
        return self._rows

    def get(self, key: str, *, any_age: bool = False) -> SourceFinding | None:
        row = self._load().get(key)
        if not isinstance(row, dict):
            return None
        try:
            when = datetime.fromisoformat(row["when"])
            if not any_age and self._clock() - when > self._ttl:
                return None
            finding = _decode(row, self._label)
        except (KeyError, TypeError, ValueError):
            return None
        if finding.kind is not FindingKind.LIST:
            return finding
        members = {m: self.get(m, any_age=any_age) for m in finding.members}
        if any(member is None for member in members.values()):
            return None  # a member's answer has expired: ask the whole list again
        return SourceFinding(
            finding.kind,
            finding.source,
            members=finding.members,
            member_findings={k: v for k, v in members.items() if v is not None},
            primary=finding.primary,
            incomplete=finding.incomplete,
        )

    def remember(self, findings: Iterable[tuple[str, SourceFinding]]) -> None:
        rows = self._load()
        when = self._clock().isoformat()
        for key, finding in findings:
            if finding.kind in (FindingKind.UNREACHABLE, FindingKind.PENDING):
                continue
            rows[key] = {"when": when, **_encode(finding)}
            for member, member_finding in (finding.member_findings or {}).items():
                rows[member] = {"when": when, **_encode(member_finding)}
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            partial = self._path.with_suffix(".partial")
            partial.write_text(json.dumps(rows), encoding="utf-8")
            partial.replace(self._path)
        except OSError:
            log.warning("the directory cache could not be written")
