"""The IMAP-only part of the object graph, for ``app.py``: sealed drafts on the server.

The inbox, sending and retry of every ``account add`` account are wired in
``app_accounts``; what only IMAP does here is keep autosaved drafts, sealed, in the
server's Drafts folder too, for the home's one ``imap`` account. Imported on first use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.errors import UserFacingError

if TYPE_CHECKING:
    from desktop_app.core.identity import Identity
    from desktop_app.services.accounts.kinds import AccountServices
    from desktop_app.services.accounts.model import Account
    from desktop_app.services.drafts import DraftStore
    from desktop_app.services.secrets import SecretStore


def imap_account(home: Path) -> Account | None:
    """The home's IMAP account, when it has exactly one."""
    from desktop_app.services.accounts.model import AccountKind
    from desktop_app.services.accounts.store import list_accounts

    try:
        found = [a for a in list_accounts(home) if a.kind is AccountKind.IMAP]
    except UserFacingError:
        return None
    return found[0] if len(found) == 1 else None


def account_services(
    home: Path, clock: Callable[[], dt.datetime], secrets: Callable[[], SecretStore]
) -> AccountServices:
    from desktop_app.services.accounts.kinds import AccountServices
    from desktop_app.services.exchange.oauth import OAuthContext

    return AccountServices(home, secrets, OAuthContext(), clock)


def mirrored_drafts(
    services: AccountServices, account: Account, folder: Path, identity: Callable[[], Identity]
) -> DraftStore:
    """Drafts sealed locally and, sealed the same way, in the server's Drafts folder."""
    from desktop_app.services.imap.kind import ImapKind
    from desktop_app.services.imap.server_drafts import ImapServerDrafts, ServerMirroredDrafts

    connect = ImapKind().connector(account, services)

    def server(store: DraftStore) -> ImapServerDrafts:
        return ImapServerDrafts(connect, account.email, store.seal, services.clock)

    return ServerMirroredDrafts(folder, identity, server)
