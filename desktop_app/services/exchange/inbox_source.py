"""The Exchange inbox as a message list source for the main window: the EWS ``MailboxSource``
port behind the offset pages every account kind's inbox gives (``AccountMessageListSource``).

Messages are fetched as MIME and read like any other source's. Background thread only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop_app.core.messages import text
from desktop_app.services.accounts.inbox_source import PAGE_SIZE, AccountMessageListSource
from desktop_app.services.exchange.kind import EwsPortMailbox

if TYPE_CHECKING:
    from desktop_app.services.exchange.connection import ExchangeConnection


class ExchangeMessageListSource(AccountMessageListSource):
    """The user's Exchange inbox over one connection, opened on first use.

    Until a message is fetched its protection is not known (FindItem does not say), so
    the list shows it as plain; the preview shows what its MIME really is.
    """

    def __init__(
        self,
        open_connection: Callable[[], ExchangeConnection],
        email: str,
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__(
            lambda: EwsPortMailbox(open_connection()),
            text("exchange_mail.inbox_name", email=email),
            page_size,
        )
