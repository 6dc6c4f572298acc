"""What the Sent and Outbox views list, read from the records sending leaves behind.

Sent: the summaries the outbox folder keeps per message (``<home>/outbox/*.json``: the
demo's, and that of a user without an Exchange account) and the records Exchange sending
keeps once a message was accepted (``<home>/exchange/sent/*.json``). Outbox: what waits
in the Exchange outbox, with its last error. Only plain data is returned; a damaged
record is skipped and counted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from desktop_app.services.paths import exchange_folder

if TYPE_CHECKING:
    from desktop_app.services.outbox.queue import OutboxQueue

T = TypeVar("T")
LOCAL_OUTBOX_FOLDER = "outbox"
EXCHANGE_SENT_FOLDER = "sent"
ACCOUNTS_FOLDER = "accounts"  # services.accounts.store's folder
MAX_RECORD_BYTES = 1024 * 1024


class SentSecurity(StrEnum):
    """How a sent copy was protected."""

    ENCRYPTED = "encrypted"
    PLAIN = "plain"  # the policy allowed it and encryption was not asked for
    PLAIN_BY_CHOICE = "plain_by_choice"  # the user chose it at the send gate (audited)


@dataclass(frozen=True, slots=True)
class SentRecord:
    """One message this app sent: when, to whom, with what protection."""

    record_id: str
    time: datetime
    subject: str
    recipients: tuple[str, ...]
    security: SentSecurity
    signed: bool | None  # None: not recorded
    removed: tuple[str, ...] = ()
    copies: int = 1
    # Set when the route kept no confirmed Sent copy (SMTP submission to Microsoft 365).
    copy_note: str = ""


@dataclass(frozen=True, slots=True)
class WaitingRecord:
    """One message waiting in the outbox and how sending it went so far."""

    record_id: str
    subject: str
    queued: datetime
    attempts: int
    last_error: str | None
    not_before: datetime | None
    security: SentSecurity


@dataclass(frozen=True, slots=True)
class Listing(Generic[T]):
    """Records found, newest first, and how many records could not be read."""

    records: tuple[T, ...]
    damaged: int = 0


def _read_document(path: Path) -> dict[str, object] | None:
    try:
        if path.stat().st_size > MAX_RECORD_BYTES:
            return None
        document = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return document if isinstance(document, dict) else None


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value if isinstance(item, str))


def _aware_time(value: object) -> datetime:
    """Raises ValueError or TypeError unless ``value`` is an ISO time with its offset."""
    if not isinstance(value, str):
        raise TypeError("time")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("time without offset")
    return parsed


def _local_record(path: Path, document: dict[str, object]) -> SentRecord:
    encrypted = document.get("encrypted") is True
    choice = document.get("choice")
    if encrypted:
        security = SentSecurity.ENCRYPTED
    elif isinstance(choice, str) and choice.startswith("send_unencrypted"):
        security = SentSecurity.PLAIN_BY_CHOICE
    else:
        security = SentSecurity.PLAIN
    envelopes = document.get("envelopes")
    signed = document.get("signed")
    return SentRecord(
        record_id=path.stem,
        time=_aware_time(document.get("time")),
        subject=str(document.get("subject") or ""),
        recipients=(
            *_strings(document.get("to")),
            *_strings(document.get("cc")),
            *_strings(document.get("bcc")),
        ),
        security=security,
        signed=signed if isinstance(signed, bool) else None,
        removed=_strings(document.get("removed")),
        copies=len(envelopes) if isinstance(envelopes, list) and envelopes else 1,
    )


def _copy_note(document: dict[str, object]) -> str:
    from desktop_app.core.messages import text

    if document.get("sent_copy") in ("not_confirmed", "none"):
        return text("accounts.sent_view_no_copy")
    return ""


def _exchange_record(path: Path, document: dict[str, object]) -> SentRecord:
    by_choice = document.get("unencrypted_by_choice") is True
    recipients = _strings(document.get("recipients"))
    return SentRecord(
        copy_note=_copy_note(document),
        record_id=path.stem,
        time=_aware_time(document.get("sent") or document.get("queued")),
        subject=str(document.get("subject") or ""),
        recipients=recipients,
        security=SentSecurity.PLAIN_BY_CHOICE if by_choice else SentSecurity.ENCRYPTED,
        signed=None,
    )


def read_sent(home: Path) -> Listing[SentRecord]:
    """Every message this app sent from ``home``, newest first."""
    records: list[SentRecord] = []
    damaged = 0
    sources = [
        (home / LOCAL_OUTBOX_FOLDER, _local_record),
        (exchange_folder(home) / EXCHANGE_SENT_FOLDER, _exchange_record),
    ]
    # Accounts of ``account add`` keep theirs beside their outboxes.
    accounts = home / ACCOUNTS_FOLDER
    if accounts.is_dir():
        sources += [(folder, _exchange_record) for folder in sorted(accounts.glob("*/sent"))]
    for folder, reader in sources:
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
            document = _read_document(path)
            try:
                if document is None:
                    raise ValueError(path.name)
                records.append(reader(path, document))
            except (TypeError, ValueError):
                damaged += 1
    records.sort(key=lambda record: (record.time, record.record_id), reverse=True)
    return Listing(tuple(records), damaged)


def read_waiting(outbox: OutboxQueue) -> Listing[WaitingRecord]:
    """What waits in ``outbox``, oldest first (the order it is sent in)."""
    return Listing(
        tuple(
            WaitingRecord(
                record_id=item.id,
                subject=item.subject,
                queued=item.queued,
                attempts=item.attempts,
                last_error=item.last_error,
                not_before=item.not_before,
                security=(
                    SentSecurity.PLAIN_BY_CHOICE
                    if item.unencrypted_by_choice
                    else SentSecurity.ENCRYPTED
                ),
            )
            for item in outbox.pending()
        )
    )
