"""The accounts of ``account add`` (Microsoft 365, IMAP) in the object graph, for ``app.py``.

Built only when such an account exists; imported on first use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.services.paths import store_path

if TYPE_CHECKING:
    from desktop_app.app_access import SystemAccess
    from desktop_app.core.identity import Identity
    from desktop_app.services.accounts.model import Account
    from desktop_app.services.mailbox.source import MailboxSource


def mail_account(home: Path) -> Account | None:
    """The first account added with ``account add`` (not the ``exchange login`` one)."""
    from desktop_app.services.accounts.model import AccountKind
    from desktop_app.services.accounts.store import LEGACY_EXCHANGE_NAME, list_accounts

    for account in list_accounts(home):
        if not (account.kind is AccountKind.EXCHANGE and account.name == LEGACY_EXCHANGE_NAME):
            return account
    return None


def account_source(
    home: Path,
    account: Account,
    clock: Callable[[], dt.datetime],
    identity: Callable[[], Identity | None],
    access: SystemAccess,
) -> MailboxSource:
    """``account``'s inbox for the main window, its messages opened as they are shown."""
    from desktop_app.services.accounts.inbox_source import PortMailboxSource
    from desktop_app.services.accounts.kinds import AccountServices, kind_support
    from desktop_app.services.mailbox.opening import MessageOpener, OpeningMailboxSource

    services = AccountServices(home, access.secrets, access.oauth(), clock)
    inbox = PortMailboxSource(
        lambda: kind_support(account.kind).open_mailbox(account, services),
        f"{account.email} ({account.name})",
    )
    return OpeningMailboxSource(inbox, MessageOpener(store_path(home), identity, clock))
