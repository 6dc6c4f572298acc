"""The ``exchange`` account kind: EWS behind the Transport and MailboxSource ports.

Thin adapters over what ``exchange login`` set up (``services.exchange.session``): the
account is the one of ``<home>/exchange``; signing in stays with ``exchange login``.
"""

from __future__ import annotations

import contextlib
import dataclasses
from typing import TYPE_CHECKING

from desktop_app.core.messages import text
from desktop_app.services.accounts.model import AccountError
from desktop_app.services.mailbox_port import RemoteMessage, RemotePage, require_sealed_draft

if TYPE_CHECKING:
    from desktop_app.services.accounts.kinds import AccountServices, SignInRequest
    from desktop_app.services.accounts.model import Account
    from desktop_app.services.exchange.connection import ExchangeConnection
    from desktop_app.services.exchange.ews_transport import EwsTransport


def _connection(services: AccountServices, *, sending: bool = False) -> ExchangeConnection:
    from desktop_app.services.exchange.account import ExchangeSettings
    from desktop_app.services.exchange.session import open_connection

    timeout = services.send_timeout if sending else services.timeout
    settings = dataclasses.replace(ExchangeSettings(), timeout=timeout)
    return open_connection(services.access, settings)


class EwsPortMailbox:
    """``MailboxSource`` over EWS; the cursor is the offset of the next page."""

    def __init__(self, connection: ExchangeConnection) -> None:
        from desktop_app.services.exchange.mailbox import ExchangeMailbox

        self._connection = connection
        self._mailbox = ExchangeMailbox(connection)

    def list_page(self, cursor: str | None, limit: int) -> RemotePage:
        offset = int(cursor) if cursor and cursor.isdigit() else 0
        page = self._mailbox.page(offset, limit)
        messages = tuple(
            RemoteMessage(entry.item_id, entry.sender, entry.subject, entry.received)
            for entry in page.entries
        )
        return RemotePage(messages, str(offset + len(messages)) if page.more else None)

    def fetch_mime(self, message_id: str) -> bytes:
        return self._mailbox.mime(message_id)

    def save_draft(self, sealed_mime: bytes) -> str:
        require_sealed_draft(sealed_mime)
        from exchangelib import Message

        account = self._connection.account
        item = self._connection.call(
            lambda: Message(account=account, folder=account.drafts, mime_content=sealed_mime).save()
        )
        return str(getattr(item, "id", "") or "")

    def delete_draft(self, draft_id: str) -> None:
        account = self._connection.account

        def delete() -> None:
            for item in account.fetch(ids=[(draft_id, None)]):
                if hasattr(item, "delete"):
                    item.delete()

        self._connection.call(delete)

    def close(self) -> None:
        self._connection.close()


class ExchangeKind:
    """The kind of ``exchange login`` accounts."""

    def add(self, account: Account, request: SignInRequest, services: AccountServices) -> str:
        # The command line signs in with ``exchange login``'s own code (see cli.account).
        raise AccountError(text("accounts.kind_unavailable", kind=account.kind.value))

    def test(self, account: Account, services: AccountServices) -> None:
        connection = _connection(services)
        try:
            connection.call(lambda: connection.account.inbox.total_count)
        finally:
            connection.close()

    def forget(self, account: Account, services: AccountServices) -> None:
        from desktop_app.services.exchange.account import SECRET_NAME, account_path
        from desktop_app.services.secrets import SecretStoreUnavailable

        account_path(services.access.home).unlink(missing_ok=True)
        # No keyring: there is no password there to remove (OAuth keeps none).
        with contextlib.suppress(SecretStoreUnavailable):
            services.access.secrets().delete(SECRET_NAME.format(email=account.email.lower()))

    def open_transport(self, account: Account, services: AccountServices) -> EwsTransport:
        from desktop_app.services.exchange.ews_transport import EwsTransport

        return EwsTransport(_connection(services, sending=True))

    def open_mailbox(self, account: Account, services: AccountServices) -> EwsPortMailbox:
        return EwsPortMailbox(_connection(services))
