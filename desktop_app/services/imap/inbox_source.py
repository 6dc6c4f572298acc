"""The IMAP inbox as a mailbox source: newest first, 50 at a time, by UID.

The list asks only for a few headers and the size of each message; the preview fetches
the whole message as it is stored (``BODY.PEEK[]``, so reading does not mark it seen),
and S/MIME stays intact for opening, replies and harvesting, as with Exchange.

Paging is by UID: the first page takes a snapshot of the inbox's UIDs, and later pages
are cut from that snapshot, so mail arriving meanwhile neither shifts nor repeats a page.
A message id is ``<UIDVALIDITY>:<UID>``: if the server renumbered the folder, a stale id
is refused rather than showing another message. Background thread only.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from desktop_app.core.messages import text
from desktop_app.services.exchange.errors import UnreachableError
from desktop_app.services.mailbox.source import (
    MAX_MESSAGE_BYTES,
    MailboxError,
    MessageDetail,
    MessagePage,
    MessageSummary,
    read_message,
)

if TYPE_CHECKING:
    from desktop_app.services.imap.connection import ImapConnection

log = logging.getLogger(__name__)

PAGE_SIZE = 50
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


class ImapMailboxSource:
    """The inbox of one IMAP account over one connection, opened on first use."""

    def __init__(
        self,
        open_connection: Callable[[], ImapConnection],
        email: str,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self._open_connection = open_connection
        self._email = email
        self._page_size = page_size
        self._connection: ImapConnection | None = None
        self._validity = 0
        self._snapshot: tuple[int, ...] = ()  # UIDs, newest first
        self._lock = threading.Lock()  # one command at a time on the one connection

    @property
    def name(self) -> str:
        return text("imap.inbox_name", email=self._email)

    @property
    def page_size(self) -> int:
        return self._page_size

    def _inbox(self) -> ImapConnection:
        """The connection with INBOX selected read-only; the UIDVALIDITY is noted."""
        if self._connection is None:
            self._connection = self._open_connection()
        try:
            self._validity = self._connection.examine(INBOX)
        except UnreachableError:
            # A connection that went away (an idle time-out): one fresh try.
            self._drop()
            self._connection = self._open_connection()
            self._validity = self._connection.examine(INBOX)
        return self._connection

    def list_messages(self) -> tuple[MessageSummary, ...]:
        return self.list_page(0).messages

    def list_page(self, offset: int) -> MessagePage:
        """``page_size`` messages from ``offset`` on, newest first; offset 0 looks again."""
        with self._lock:
            connection = self._inbox()
            if offset == 0 or not self._snapshot:
                [found] = connection.uid("SEARCH", "ALL")[:1] or [b""]
                uids = (int(uid) for uid in (found if isinstance(found, bytes) else b"").split())
                self._snapshot = tuple(sorted(uids, reverse=True))
            chosen = self._snapshot[offset : offset + self._page_size]
            more = offset + len(chosen) < len(self._snapshot)
            if not chosen:
                return MessagePage((), offset, more)
            data = connection.uid(
                "FETCH",
                _uid_set(chosen),
                f"(UID RFC822.SIZE BODY.PEEK[HEADER.FIELDS ({LIST_HEADERS})])",
            )
        fetched = _fetched(data)
        summaries = [
            read_message(self._id(uid), fetched[uid][0]).summary
            for uid in chosen
            if uid in fetched  # expunged since the snapshot
        ]
        return MessagePage(tuple(summaries), offset, more)

    def _id(self, uid: int) -> str:
        return f"{self._validity}:{uid}"

    def fetch(self, message_id: str) -> MessageDetail:
        validity_text, _, uid_text = message_id.partition(":")
        if not (validity_text.isdigit() and uid_text.isdigit()):
            raise MailboxError(text("imap.message_gone"))
        with self._lock:
            connection = self._inbox()
            if int(validity_text) != self._validity:
                raise MailboxError(text("imap.message_gone"))
            sizes = _fetched_sizes(connection.uid("FETCH", uid_text, "(UID RFC822.SIZE)"))
            size = sizes.get(int(uid_text))
            if size is None:
                raise MailboxError(text("imap.message_gone"))
            if size > MAX_MESSAGE_BYTES:
                megabytes = MAX_MESSAGE_BYTES // (1024 * 1024)
                raise MailboxError(text("imap.message_too_large", megabytes=megabytes))
            fetched = _fetched(connection.uid("FETCH", uid_text, "(UID BODY.PEEK[])"))
        if int(uid_text) not in fetched:
            raise MailboxError(text("imap.message_gone"))
        return read_message(message_id, fetched[int(uid_text)][0])

    def _drop(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def close(self) -> None:
        with self._lock:
            self._drop()


def _fetched_sizes(data: Sequence[object]) -> dict[int, int]:
    """UID -> RFC822.SIZE from an answer without literals."""
    sizes = {}
    for item in data:
        if isinstance(item, bytes):
            uid, size = _UID.search(item), _SIZE.search(item)
            if uid is not None and size is not None:
                sizes[int(uid.group(1))] = int(size.group(1))
    return sizes
