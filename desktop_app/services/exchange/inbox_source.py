"""The Exchange inbox as a mailbox source for the main window: newest first, a page at a time.

Messages are fetched as MIME and read like any other source's, so opening (decrypting,
verifying) goes through ``services.mailbox.opening`` and the core. Background thread only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from desktop_app.services.exchange.connection import ExchangeConnection
    from desktop_app.services.exchange.mailbox import ExchangeMailbox, InboxEntry

PAGE_SIZE = 50


class ExchangeMailboxSource:
    """The user's Exchange inbox over one connection, opened on first use.

    ``list_messages`` gives the newest page; ``list_page(offset)`` any. Until a
    message is fetched its protection is not known (FindItem does not say), so the list
    shows it as plain; the preview shows what its MIME really is.
    """

    def __init__(
        self,
        open_connection: Callable[[], ExchangeConnection],
        email: str,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self._open_connection = open_connection
        self._email = email
        self._page_size = page_size
        self._mailbox: ExchangeMailbox | None = None
        self._connection: ExchangeConnection | None = None

    @property
    def name(self) -> str:
        return text("exchange_mail.inbox_name", email=self._email)

    @property
    def page_size(self) -> int:
        return self._page_size

    def _inbox(self) -> ExchangeMailbox:
        if self._mailbox is None:
            from desktop_app.services.exchange.mailbox import ExchangeMailbox

            self._connection = self._open_connection()
            self._mailbox = ExchangeMailbox(self._connection)
        return self._mailbox

    def list_messages(self) -> tuple[MessageSummary, ...]:
        return self.list_page(0).messages

    def list_page(self, offset: int) -> MessagePage:
        """``page_size`` messages from ``offset`` on, newest first."""
        page = self._inbox().page(offset, self._page_size)
        return MessagePage(tuple(_summary(entry) for entry in page.entries), offset, page.more)

    def fetch(self, message_id: str) -> MessageDetail:
        raw = self._inbox().mime(message_id)
        if len(raw) > MAX_MESSAGE_BYTES:
            megabytes = MAX_MESSAGE_BYTES // (1024 * 1024)
            raise MailboxError(text("exchange_mail.message_too_large", megabytes=megabytes))
        return read_message(message_id, raw)  # known by its item id, as listed

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
            self._mailbox = None


def _summary(entry: InboxEntry) -> MessageSummary:
    return MessageSummary(
        message_id=entry.item_id,
        sender=entry.sender,
        sender_address=entry.sender,
        subject=entry.subject,
        date=entry.received,
        encryption=Encryption.NONE,
        signature=Signature.NONE,
    )
