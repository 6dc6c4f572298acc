"""The Exchange inbox: a page of messages, newest first, and one message's MIME."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from desktop_app.core.messages import text
from desktop_app.services.exchange.connection import ExchangeConnection
from desktop_app.services.mail_server_errors import ServerFaultError

INBOX_FIELDS = ("subject", "author", "datetime_received")  # author is the From header


@dataclass(frozen=True, slots=True)
class InboxEntry:
    """One line of the message list; ``item_id`` fetches the message."""

    item_id: str
    subject: str
    sender: str
    received: datetime | None


@dataclass(frozen=True, slots=True)
class InboxPage:
    """Some lines of the message list; ``more``: older messages follow them."""

    entries: tuple[InboxEntry, ...]
    more: bool


class ExchangeMailbox:
    """The user's inbox over one connection. Call from the background thread only."""

    def __init__(self, connection: ExchangeConnection) -> None:
        self._connection = connection

    def page(self, offset: int, count: int) -> InboxPage:
        """``count`` messages from ``offset``, newest first, in one FindItem request.

        One message more than wanted is asked for: whether it comes says whether older
        messages follow, without a second request to count them.
        """
        account = self._connection.account

        def call() -> InboxPage:
            query = account.inbox.all().order_by("-datetime_received").only(*INBOX_FIELDS)
            # exchangelib asks for at most ``page_size`` items per FindItem: one request.
            query.page_size = count + 1
            entries = tuple(
                InboxEntry(
                    item_id=item.id,
                    subject=item.subject or "",
                    sender=(item.author.email_address or "") if item.author else "",
                    received=item.datetime_received,
                )
                for item in query[offset : offset + count + 1]
            )
            return InboxPage(entries[:count], more=len(entries) > count)

        return self._connection.call(call)

    def mime(self, item_id: str) -> bytes:
        """The message's RFC 5322 bytes as Exchange keeps them (GetItem with MimeContent)."""
        account = self._connection.account

        def call() -> bytes:
            items = list(
                account.fetch(
                    ids=[(item_id, None)], folder=account.inbox, only_fields=["mime_content"]
                )
            )
            found = items[0] if items else None
            if isinstance(found, Exception) or found is None:
                code = type(found).__name__ if found is not None else "none"
                raise ServerFaultError(text("exchange_mail.message_gone", code=code))
            if not found.mime_content:
                raise ServerFaultError(text("exchange_mail.no_mime"))
            return bytes(found.mime_content)

        return self._connection.call(call)
