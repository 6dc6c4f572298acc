"""The outbox queue: sealed messages waiting to be sent, kept exactly as they were sealed.

Each message is two files in the queue's folder (``<home>/exchange/outbox`` for the account
of ``exchange login``, the account's own folder for any other): ``<id>.eml``, the sealed bytes
(never re-sealed, never anything but what sealing produced), and ``<id>.json``, what
is known about sending it. Both are replaced atomically, so a crash leaves either the
old state or the new one. A message is removed only after the server accepted it.
"""

from __future__ import annotations

import dataclasses
import email.message
import email.parser
import email.policy
import itertools
import logging
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop_app.core.errors import UserFacingError
from desktop_app.services.json_files import (
    StorageError,
    read_json,
    write_atomically,
    write_json,
)
from desktop_app.services.paths import exchange_folder

log = logging.getLogger(__name__)

OUTBOX_FOLDER_NAME = "outbox"
SENT_FOLDER_NAME = "sent"
CANNOT_READ_QUEUED = "The queued message {name} cannot be read: {reason}."
NOT_SEALED = (
    "{name} is not a sealed S/MIME message (its Content-Type is {content_type}); only "
    "encrypted messages are sent, so it was not sent."
)
HAS_BCC = (
    "{name} has a Bcc header. Exchange delivers to every address in the headers, so a "
    "sealed envelope must name only its own recipients; seal the message again."
)
NO_RECIPIENTS = "{name} has no To or Cc recipients, so there is nobody to send it to."
NOT_A_MESSAGE = "{name} is not an e-mail message (it has no headers)."

_SEQUENCE = itertools.count()
BATCH_MARKER_SUFFIX = ".queued"
_SEALED_TYPES = frozenset({"application/pkcs7-mime", "application/x-pkcs7-mime"})
_SEALED_KINDS = frozenset({"enveloped-data", "authenveloped-data"})


class NotSealedError(UserFacingError):
    """A file that must not be sent as it is."""


class UnfinishedCopiesError(Exception):
    """A copy of a message whose queueing never finished (a crash): never sent alone."""


@dataclass(frozen=True, slots=True)
class SealedFacts:
    """The outer headers of a sealed message (they are not encrypted)."""

    subject: str
    message_id: str | None


def _outer_headers(mime: bytes, name: str) -> email.message.EmailMessage:
    parser = email.parser.BytesHeaderParser(policy=email.policy.default)
    try:
        headers = parser.parsebytes(mime)
    except (TypeError, ValueError, IndexError, LookupError):
        raise NotSealedError(NOT_A_MESSAGE.format(name=name)) from None
    if not len(headers):
        raise NotSealedError(NOT_A_MESSAGE.format(name=name))
    assert isinstance(headers, email.message.EmailMessage)
    return headers


def _addressing_facts(headers: email.message.EmailMessage, name: str) -> SealedFacts:
    """Subject and Message-ID, once the addressing is fit for Exchange."""
    try:
        has_bcc = "bcc" in {key.lower() for key in headers}
        recipients = any(str(headers.get(field, "")).strip() for field in ("To", "Cc"))
        subject = str(headers.get("Subject", ""))
        message_id = headers.get("Message-ID")
    except (TypeError, ValueError, IndexError, LookupError):
        raise NotSealedError(NOT_A_MESSAGE.format(name=name)) from None
    if has_bcc:
        raise NotSealedError(HAS_BCC.format(name=name))
    if not recipients:
        raise NotSealedError(NO_RECIPIENTS.format(name=name))
    return SealedFacts(subject, str(message_id).strip() if message_id else None)


def check_sealed(mime: bytes, name: str) -> SealedFacts:
    """The facts of ``mime`` if it is an encrypted S/MIME message fit to send as it is.

    Raises:
        NotSealedError: plaintext, a signed-only message, a Bcc header, or no recipients.
    """
    headers = _outer_headers(mime, name)
    try:
        content_type = headers.get_content_type()
        kind = str(headers.get_param("smime-type", "", header="content-type")).lower()
    except (TypeError, ValueError, IndexError, LookupError):
        raise NotSealedError(NOT_A_MESSAGE.format(name=name)) from None
    if content_type not in _SEALED_TYPES or kind not in _SEALED_KINDS:
        shown = content_type if content_type in _SEALED_TYPES else content_type or "none"
        if content_type in _SEALED_TYPES:
            shown = f"{content_type}; smime-type={kind or 'missing'}"
        raise NotSealedError(NOT_SEALED.format(name=name, content_type=shown))
    return _addressing_facts(headers, name)


def check_sendable(mime: bytes, name: str, *, unencrypted_by_choice: bool) -> SealedFacts:
    """``check_sealed``, or for a message the user chose to send unencrypted, only the
    addressing checks (no Bcc header, someone to send to)."""
    if not unencrypted_by_choice:
        return check_sealed(mime, name)
    return _addressing_facts(_outer_headers(mime, name), name)


@dataclass(frozen=True, slots=True)
class QueuedMessage:
    """A message in the outbox and how sending it has gone so far."""

    id: str
    source: str
    subject: str
    message_id: str | None
    queued: datetime
    attempts: int = 0
    last_error: str | None = None
    not_before: datetime | None = None
    unencrypted_by_choice: bool = False
    # The copies of one message (To and Cc, each Bcc) share a batch: none is sent until
    # all are queued.
    batch: str | None = None

    @property
    def file_name(self) -> str:
        return f"{self.id}.eml"


def _meta(item: QueuedMessage) -> dict[str, object]:
    return {
        "source": item.source,
        "subject": item.subject,
        "message_id": item.message_id,
        "queued": item.queued.isoformat(),
        "attempts": item.attempts,
        "last_error": item.last_error,
        "not_before": item.not_before.isoformat() if item.not_before else None,
        "unencrypted_by_choice": item.unencrypted_by_choice,
        "batch": item.batch,
    }


def _from_record(path: Path, meta: dict[str, object]) -> QueuedMessage:
    """The queued message as its record says; TypeError or ValueError if it is damaged."""
    message_id, last_error = meta.get("message_id"), meta.get("last_error")
    batch = meta.get("batch")
    attempts = meta.get("attempts", 0)
    if not isinstance(attempts, int) or attempts < 0:
        raise TypeError("attempts")
    return QueuedMessage(
        id=path.stem,
        source=str(meta.get("source", path.name)),
        subject=str(meta.get("subject", "")),
        message_id=message_id if isinstance(message_id, str) else None,
        queued=_time(meta.get("queued"))
        or datetime.fromtimestamp(path.stat().st_mtime).astimezone(),
        attempts=attempts,
        last_error=last_error if isinstance(last_error, str) else None,
        not_before=_time(meta.get("not_before")),
        unencrypted_by_choice=meta.get("unencrypted_by_choice") is True,
        batch=batch if isinstance(batch, str) else None,
    )


def _time(value: object) -> datetime | None:
    """An aware time from a record; ValueError for anything else but None."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("not a time")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("a time without its offset")
    return parsed


class OutboxQueue:
    """The outbox folder of one home (or, given ``folder``, of one account of any kind);
    one process at a time sends from it."""

    def __init__(
        self, home: Path, clock: Callable[[], datetime], *, folder: Path | None = None
    ) -> None:
        self._folder = folder or exchange_folder(home) / OUTBOX_FOLDER_NAME
        self._clock = clock

    @property
    def folder(self) -> Path:
        return self._folder

    def add(self, mime: bytes, source: str) -> QueuedMessage:
        """Queue one sealed message (checked with ``check_sealed``) under a new id."""
        [item] = self.add_copies([mime], source, unencrypted_by_choice=False)
        return item

    def add_copies(
        self, copies: Sequence[bytes], source: str, *, unencrypted_by_choice: bool
    ) -> list[QueuedMessage]:
        """Queue every copy of one message, all or none, in order.

        Each copy's record is written before its message, and a batch marker after the
        last: a crash part-way leaves copies that are never listed, so a Bcc copy never
        goes without the others (the draft, not yet sent, is offered back).

        Raises:
            NotSealedError: a copy is not fit to send (nothing is queued).
            StorageError: the outbox cannot be written (nothing is queued).
        """
        facts = [
            check_sendable(copy, source, unencrypted_by_choice=unencrypted_by_choice)
            for copy in copies
        ]
        batch = secrets.token_hex(8)
        items = [
            dataclasses.replace(
                self._new_item(fact, source, unencrypted_by_choice=unencrypted_by_choice),
                batch=batch,
            )
            for fact in facts
        ]
        written: list[QueuedMessage] = []
        try:
            for item, copy in zip(items, copies, strict=True):
                write_json(self._folder / f"{item.id}.json", _meta(item))
                written.append(item)
                write_atomically(self._folder / item.file_name, copy)
            write_atomically(self._batch_marker(batch), b"")
        except StorageError:
            for item in written:
                self._unlink(item)
            log.warning("outbox: a message could not be queued; nothing of it was kept")
            raise
        log.info("outbox: queued %d copies of one message", len(items))
        return items

    def _batch_marker(self, batch: str) -> Path:
        return self._folder / f"{batch}{BATCH_MARKER_SUFFIX}"

    def _new_item(
        self, facts: SealedFacts, source: str, *, unencrypted_by_choice: bool
    ) -> QueuedMessage:
        now = self._clock()
        return QueuedMessage(
            # Time, then order within this process: copies of one message keep their order
            # even when the clock does not move between them.
            id=f"{now:%Y%m%dT%H%M%S%f}-{next(_SEQUENCE):06d}-{secrets.token_hex(3)}",
            source=source,
            subject=facts.subject,
            message_id=facts.message_id,
            queued=now,
            unencrypted_by_choice=unencrypted_by_choice,
        )

    def mime(self, item: QueuedMessage) -> bytes:
        path = self._folder / item.file_name
        try:
            return path.read_bytes()
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise StorageError(
                CANNOT_READ_QUEUED.format(name=item.file_name, reason=reason)
            ) from None

    def _load(self, path: Path) -> QueuedMessage:
        try:
            meta = read_json(path.with_suffix(".json"))
        except StorageError:
            meta = None
        if isinstance(meta, dict):
            try:
                item = _from_record(path, meta)
            except (TypeError, ValueError, OverflowError):
                log.warning("outbox: a damaged record; the message's own headers are used")
            else:
                if item.batch is not None and not self._batch_marker(item.batch).exists():
                    raise UnfinishedCopiesError(path.name)
                return item
        # A crash between the two writes, or a damaged record: the message itself is
        # intact, so it is listed (and sent) with what its headers say, if it is sealed.
        facts = check_sealed(path.read_bytes(), path.name)
        stamp = datetime.fromtimestamp(path.stat().st_mtime).astimezone()
        return QueuedMessage(path.stem, path.name, facts.subject, facts.message_id, stamp)

    def pending(self) -> tuple[QueuedMessage, ...]:
        """Every queued message, oldest first."""
        items = []
        for path in sorted(self._folder.glob("*.eml")):
            try:
                items.append(self._load(path))
            except UnfinishedCopiesError:
                log.warning("outbox: a copy of a message whose queueing never finished")
            except (OSError, NotSealedError):
                log.warning("outbox: an unreadable entry was skipped")
        return tuple(sorted(items, key=lambda item: (item.queued, item.id)))

    def failed(
        self,
        item: QueuedMessage,
        error: str,
        not_before: datetime | None,
        *,
        attempted: bool = True,
    ) -> QueuedMessage:
        """Record a failed (or, with ``attempted=False``, postponed) send of ``item``."""
        updated = dataclasses.replace(
            item,
            attempts=item.attempts + (1 if attempted else 0),
            last_error=error,
            not_before=not_before,
        )
        write_json(self._folder / f"{item.id}.json", _meta(updated))
        return updated

    def remove(self, item: QueuedMessage, result: object = None) -> None:
        """Forget ``item`` once the server took it; a record left without its message is ignored.

        What was sent (subject, recipients, protection; never the content) is kept in
        ``exchange/sent`` for the Sent view.
        """
        self._keep_sent_record(item, result)
        self._unlink(item)
        log.info("outbox: sent and removed %s", item.id)
        if item.batch is not None and not self._batch_left(item.batch):
            self._batch_marker(item.batch).unlink(missing_ok=True)

    def _keep_sent_record(self, item: QueuedMessage, result: object = None) -> None:
        record = _meta(item)
        record["sent"] = self._clock().isoformat()
        # What the transport said (a ``SendResult``): the route, and whether a copy is in
        # the Sent folder, so the Sent view never claims one that is not confirmed.
        for key in ("route", "sent_copy"):
            value = getattr(result, key, None)
            if value is not None:
                record[key] = str(value)
        try:
            headers = _outer_headers(self.mime(item), item.file_name)
            record["recipients"] = [
                str(address.addr_spec)
                for field in ("To", "Cc")
                for address in getattr(headers.get(field), "addresses", ())
            ]
            write_json(self._folder.parent / SENT_FOLDER_NAME / f"{item.id}.json", record)
        except (UserFacingError, TypeError, ValueError, IndexError, LookupError):
            # The message went; only the Sent view misses it. Never a reason to resend.
            log.warning("outbox: the sent record of %s was not kept", item.id)

    def _unlink(self, item: QueuedMessage) -> None:
        (self._folder / item.file_name).unlink(missing_ok=True)
        (self._folder / f"{item.id}.json").unlink(missing_ok=True)

    def _batch_left(self, batch: str) -> bool:
        """Whether a copy of ``batch`` still waits."""
        for record in self._folder.glob("*.json"):
            try:
                meta = read_json(record)
            except StorageError:
                continue
            if isinstance(meta, dict) and meta.get("batch") == batch:
                return True
        return False
