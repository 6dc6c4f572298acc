"""An account's MailboxSource port as the main window's message list source (offset pages).

The window asks for pages by offset; the port pages with opaque cursors. The cursor that
follows each page is remembered, so page N is asked for with the cursor page N-1 gave:
one request per page, however far the user scrolls. Background thread only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from desktop_app.core.messages import text
from desktop_app.services.mailbox.source import (
    MAX_MESSAGE_BYTES,
    Encryption,
    MailboxError,
    MessageDetail,
    MessagePage,
    MessageSummary,
    Signature,
    read_message,
)
from desktop_app.services.mailbox_port import MailboxSource, RemoteMessage

PAGE_SIZE = 50


def _summary(message: RemoteMessage) -> MessageSummary:
    return MessageSummary(
        message_id=message.id,
        sender=message.sender,
        sender_address=message.sender,
        subject=message.subject,
        date=message.received,
        encryption=Encryption.NONE,  # known once fetched: the listing does not say
        signature=Signature.NONE,
    )


class AccountMessageListSource:
    """The inbox of an account of any kind, opened on first use."""

    def __init__(
        self, open_mailbox: Callable[[], MailboxSource], name: str, page_size: int = PAGE_SIZE
    ) -> None:
        self._open_mailbox = open_mailbox
        self._name = name
        self._page_size = page_size
        self._mailbox: MailboxSource | None = None
        # offset -> the cursor that lists from there (None: the newest page)
        self._cursors: dict[int, str | None] = {0: None}
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self._name

    @property
    def page_size(self) -> int:
        return self._page_size

    def _opened(self) -> MailboxSource:
        if self._mailbox is None:
            self._mailbox = self._open_mailbox()
        return self._mailbox

    def list_messages(self) -> tuple[MessageSummary, ...]:
        return self.list_page(0).messages

    def list_page(self, offset: int) -> MessagePage:
        with self._lock:
            if offset not in self._cursors:
                return MessagePage((), offset, more=False)  # never listed up to there
            page = self._opened().list_page(self._cursors[offset], self._page_size)
            following = offset + len(page.messages)
            if page.next_cursor is not None and page.messages:
                self._cursors[following] = page.next_cursor
        summaries = tuple(_summary(message) for message in page.messages)
        return MessagePage(summaries, offset, more=page.next_cursor is not None)

    def fetch(self, message_id: str) -> MessageDetail:
        with self._lock:
            raw = self._opened().fetch_mime(message_id)
        if len(raw) > MAX_MESSAGE_BYTES:
            megabytes = MAX_MESSAGE_BYTES // (1024 * 1024)
            raise MailboxError(text("exchange_mail.message_too_large", megabytes=megabytes))
        return read_message(message_id, raw)

    def close(self) -> None:
        with self._lock:
            if self._mailbox is not None:
                self._mailbox.close()
                self._mailbox = None
