"""The audit log's hash chain: each record carries the hash of the one before it.

A record is one JSON object per line. ``prev`` is the hash of the record before it; for
the first chained record it is the SHA-256 of every byte before it in the file, which
is how a log written before chaining existed (plain JSON lines) is taken in: its
content is sealed by the first new record, and editing it breaks the chain from there.
``hash`` is the SHA-256 of the record's canonical JSON without ``hash``, so an edited
record no longer matches its own hash, and a removed or moved one breaks the ``prev``
link of the record after it. ``seq`` numbers records from 1 so the report can say which.

What a chain alone cannot show is the removal of the last records; ``audit verify``
prints the head hash so a review can compare it with the one noted last time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

GENESIS_PREV: Final = hashlib.sha256(b"").hexdigest()


class Problem(StrEnum):
    NOT_JSON = "not_json"
    HASH_WRONG = "hash_wrong"  # the record was edited
    CHAIN_BROKEN = "chain_broken"  # a record before it was removed, added or moved
    SEQUENCE_WRONG = "sequence_wrong"


@dataclass(frozen=True, slots=True)
class ChainProblem:
    line: int  # 1-based line in the file
    problem: Problem
    found: int | None = None  # for SEQUENCE_WRONG
    expected: int | None = None


@dataclass(frozen=True, slots=True)
class ChainHead:
    """Where the next record links: its ``seq`` and ``prev``."""

    seq: int
    prev: str


@dataclass(frozen=True, slots=True)
class ChainReport:
    records: int  # chained records
    legacy_lines: int  # plain lines before the first chained record
    problems: tuple[ChainProblem, ...]
    head: ChainHead

    @property
    def intact(self) -> bool:
        return not self.problems


def record_hash(record: Mapping[str, Any]) -> str:
    """The SHA-256 of ``record``'s canonical JSON, ``hash`` left out."""
    body = {key: value for key, value in record.items() if key != "hash"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def chained(fields: Mapping[str, Any], head: ChainHead) -> dict[str, Any]:
    """``fields`` as the next record after ``head``: with ``seq``, ``prev`` and ``hash``."""
    record = {"seq": head.seq, **fields, "prev": head.prev}
    record["hash"] = record_hash(record)
    return record


def record_line(record: Mapping[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")


def _parsed(line: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


def verify_chain(lines: Sequence[bytes]) -> ChainReport:
    """Check every record of a log given as its lines (each with its line end).

    Plain records before the first chained one are the log from before chaining; after
    that, every line must be a chained record following the one before it.
    """
    problems: list[ChainProblem] = []
    prefix = hashlib.sha256()
    legacy = 0
    index = 0
    while index < len(lines):
        record = _parsed(lines[index])
        if record is not None and "hash" in record:
            break
        if record is None and lines[index].strip():
            problems.append(ChainProblem(index + 1, Problem.NOT_JSON))
        prefix.update(lines[index])
        legacy += 1
        index += 1
    head = ChainHead(1, prefix.hexdigest())
    records = 0
    for number in range(index, len(lines)):
        record = _parsed(lines[number])
        line = number + 1
        if record is None or "hash" not in record:
            problems.append(ChainProblem(line, Problem.NOT_JSON))
            continue
        records += 1
        if record.get("hash") != record_hash(record):
            problems.append(ChainProblem(line, Problem.HASH_WRONG))
        elif record.get("prev") != head.prev:
            problems.append(ChainProblem(line, Problem.CHAIN_BROKEN))
        if record.get("seq") != head.seq:
            found = record.get("seq")
            problems.append(
                ChainProblem(
                    line,
                    Problem.SEQUENCE_WRONG,
                    found if isinstance(found, int) else None,
                    head.seq,
                )
            )
        seq = record.get("seq")
        head = ChainHead((seq if isinstance(seq, int) else head.seq) + 1, str(record["hash"]))
    return ChainReport(records, legacy, tuple(problems), head)
