"""Reading the IMAP inbox: pages newest first by UID, and whole messages as stored.

A page asks only for a few headers and the size of each message; a message is fetched
whole as it is stored (``BODY.PEEK[]``, so reading does not mark it seen), S/MIME intact
for opening, replies and harvesting, as with Exchange. Pages follow a UID cursor, so mail
arriving meanwhile neither shifts nor repeats a page. A message id is
``<UIDVALIDITY>:<UID>``: if the server renumbered the folder, a stale id is refused rather
than showing another message. Background thread only.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from desktop_app.core.messages import text
from desktop_app.services.mailbox.source import (
    MAX_MESSAGE_BYTES,
    MailboxError,
    MessageSummary,
    read_message,
)

if TYPE_CHECKING:
    from desktop_app.services.imap.connection import ImapConnection

log = logging.getLogger(__name__)

INBOX = "INBOX"
# Enough to tell sender, subject, date and how the message is protected.
LIST_HEADERS = "FROM SUBJECT DATE MESSAGE-ID CONTENT-TYPE"
_UID = re.compile(rb"\bUID (\d+)")
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")


def _fetched(data: Sequence[object]) -> dict[int, tuple[bytes, int | None]]:
    """UID -> (the literal, RFC822.SIZE) from a UID FETCH answer.

    imaplib gives each message as a tuple (the line up to the literal, the literal) and
    then the rest of the line as bytes; the UID may stand on either side of the literal.
    """
    found: dict[int, tuple[bytes, int | None]] = {}
    items = list(data)
    for index, item in enumerate(items):
        if not isinstance(item, tuple) or len(item) < 2:
            continue
        line, literal = item[0], item[1]
        if not isinstance(line, bytes) or not isinstance(literal, bytes):
            continue
        after = items[index + 1] if index + 1 < len(items) else b""
        meta = line + (after if isinstance(after, bytes) else b"")
        uid, size = _UID.search(meta), _SIZE.search(meta)
        if uid is not None:
            found[int(uid.group(1))] = (literal, int(size.group(1)) if size else None)
    return found


def _uid_set(uids: Sequence[int]) -> str:
    return ",".join(str(uid) for uid in uids)


def inbox_uids(connection: ImapConnection) -> tuple[int, tuple[int, ...]]:
    """Select INBOX read-only: its UIDVALIDITY and every UID in it, newest first."""
    validity = connection.examine(INBOX)
    [found] = connection.uid("SEARCH", "ALL")[:1] or [b""]
    uids = (int(uid) for uid in (found if isinstance(found, bytes) else b"").split())
    return validity, tuple(sorted(uids, reverse=True))


def summaries(
    connection: ImapConnection, validity: int, chosen: Sequence[int]
) -> list[MessageSummary]:
    """The list lines of ``chosen`` (INBOX selected): a few headers and the size each."""
    if not chosen:
        return []
    data = connection.uid(
        "FETCH",
        _uid_set(chosen),
        f"(UID RFC822.SIZE BODY.PEEK[HEADER.FIELDS ({LIST_HEADERS})])",
    )
    fetched = _fetched(data)
    return [
        read_message(f"{validity}:{uid}", fetched[uid][0]).summary
        for uid in chosen
        if uid in fetched  # expunged meanwhile
    ]


def list_after(
    connection: ImapConnection, cursor: str | None, limit: int
) -> tuple[list[MessageSummary], str | None]:
    """Up to ``limit`` messages older than ``cursor`` (``<UIDVALIDITY>:<UID>`` of the last
    one listed; None: the newest), and the cursor of the next page (None after the last).

    Raises:
        MailboxError: the cursor is from before the server renumbered the inbox.
    """
    validity, uids = inbox_uids(connection)
    if cursor is not None:
        validity_text, _, uid_text = cursor.partition(":")
        if not (validity_text.isdigit() and uid_text.isdigit()) or int(validity_text) != validity:
            raise MailboxError(text("imap.message_gone"))
        uids = tuple(uid for uid in uids if uid < int(uid_text))
    chosen = uids[: max(limit, 0)]
    more = len(uids) > len(chosen) and bool(chosen)
    return summaries(connection, validity, chosen), f"{validity}:{chosen[-1]}" if more else None


def fetch_raw(connection: ImapConnection, message_id: str) -> bytes:
    """The message ``<UIDVALIDITY>:<UID>`` of INBOX as stored (not marked seen).

    Raises:
        MailboxError: gone, renumbered, or over ``MAX_MESSAGE_BYTES``.
    """
    validity_text, _, uid_text = message_id.partition(":")
    if not (validity_text.isdigit() and uid_text.isdigit()):
        raise MailboxError(text("imap.message_gone"))
    if int(validity_text) != connection.examine(INBOX):
        raise MailboxError(text("imap.message_gone"))
    size = _fetched_sizes(connection.uid("FETCH", uid_text, "(UID RFC822.SIZE)")).get(int(uid_text))
    if size is None:
        raise MailboxError(text("imap.message_gone"))
    if size > MAX_MESSAGE_BYTES:
        megabytes = MAX_MESSAGE_BYTES // (1024 * 1024)
        raise MailboxError(text("imap.message_too_large", megabytes=megabytes))
    fetched = _fetched(connection.uid("FETCH", uid_text, "(UID BODY.PEEK[])"))
    if int(uid_text) not in fetched:
        raise MailboxError(text("imap.message_gone"))
    return fetched[int(uid_text)][0]


def _fetched_sizes(data: Sequence[object]) -> dict[int, int]:
    """UID -> RFC822.SIZE from an answer without literals."""
    sizes = {}
    for item in data:
        if isinstance(item, bytes):
            uid, size = _UID.search(item), _SIZE.search(item)
            if uid is not None and size is not None:
                sizes[int(uid.group(1))] = int(size.group(1))
    return sizes
