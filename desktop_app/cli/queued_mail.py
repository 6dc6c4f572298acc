"""What ``exchange send|outbox|retry`` and the account kinds' ``send|outbox|retry`` share:
the files to queue, the messages left waiting, and an outbox entry as JSON and as a line."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop_app.services.outbox.queue import OutboxQueue, QueuedMessage

WAITING = "{source} ({subject}) stays in the outbox: {error}"
WAITING_UNTIL = "{source} ({subject}) stays in the outbox until {time}: {error}"
OUTBOX_LINE = (
    "{file}  {subject}  {message_id}  {protection}  attempts: {attempts}  last error: {error}"
)
SEALED = "sealed"
UNENCRYPTED_BY_CHOICE = "unencrypted (your choice)"
NONE = "none"


def sealed_files(names: Iterable[str]) -> list[tuple[bytes, str]]:
    """Each file's bytes and name; every file is checked before any is queued.

    Raises:
        NotSealedError: a file is not an encrypted message fit to send as it is.
    """
    from desktop_app.services.files import read_input_file
    from desktop_app.services.outbox.queue import check_sealed

    messages = []
    for name in names:
        mime = read_input_file(Path(name))
        check_sealed(mime, name)
        messages.append((mime, Path(name).name))
    return messages


def report_waiting(waiting: Sequence[QueuedMessage]) -> None:
    """A line on stderr for each message that stays in the outbox, and why."""
    from desktop_app.cli.output import report_error

    for item in waiting:
        values = {"source": item.source, "subject": item.subject, "error": item.last_error}
        if item.not_before is not None:
            report_error(WAITING_UNTIL.format(time=item.not_before.isoformat(), **values))
        else:
            report_error(WAITING.format(**values))


def queued_json(item: QueuedMessage) -> dict[str, Any]:
    """A waiting message as JSON (the caller adds where it is and whose it is)."""
    return {
        "source": item.source,
        "subject": item.subject,
        "message_id": item.message_id,
        "attempts": item.attempts,
        "last_error": item.last_error,
        "queued": item.queued.isoformat(),
        "not_before": item.not_before.isoformat() if item.not_before else None,
        "encrypted": not item.unencrypted_by_choice,
    }


def queued_file(outbox: OutboxQueue, item: QueuedMessage) -> str:
    return str(outbox.folder / item.file_name)


def queued_line(outbox: OutboxQueue, item: QueuedMessage) -> str:
    """A waiting message as one line of ``outbox``."""
    return OUTBOX_LINE.format(
        file=queued_file(outbox, item),
        subject=item.subject,
        message_id=item.message_id or NONE,
        protection=UNENCRYPTED_BY_CHOICE if item.unencrypted_by_choice else SEALED,
        attempts=item.attempts,
        error=item.last_error or NONE,
    )
