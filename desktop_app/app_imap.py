"""The IMAP/SMTP parts of the object graph, for ``app.py``: built only when such an account exists.

Until the window chooses between accounts, the home's one ``imap`` account (when it has
exactly one, and no Exchange account) is the mailbox, the way out and the place for
server drafts. Everything is imported on first use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.errors import UserFacingError

if TYPE_CHECKING:
    from desktop_app.app_identity import UserIdentity
    from desktop_app.core.identity import Identity
    from desktop_app.core.policy.model import RevocationPolicy
    from desktop_app.services.accounts.kinds import AccountServices
    from desktop_app.services.accounts.model import Account
    from desktop_app.services.drafts import DraftStore
    from desktop_app.services.exchange.outbox import QueuedMessage
    from desktop_app.services.exchange.sending import SendReport
    from desktop_app.services.mailbox.outbox import Outbox
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


def imap_send_queued(
    services: AccountServices, account: Account, items: Sequence[QueuedMessage]
) -> SendReport:
    from desktop_app.services.accounts.delivery import send_account

    return send_account(services, account, items)


def imap_retry(services: AccountServices, account: Account) -> SendReport | None:
    """Send what waits in the account's outbox; None when nothing waits."""
    from desktop_app.services.accounts.delivery import account_outbox

    waiting = account_outbox(services, account).pending()
    if not waiting:
        return None
    return imap_send_queued(services, account, waiting)


def imap_outbox(
    services: AccountServices,
    account: Account,
    identity: UserIdentity,
    *,
    revocation: RevocationPolicy,
) -> Outbox:
    """Compose windows send through the account: sealed into its outbox, then SMTP."""
    from desktop_app.app_sending import store_sealer
    from desktop_app.services.accounts.delivery import account_outbox
    from desktop_app.services.mailbox.exchange_delivery import ExchangeDelivery

    sealer = store_sealer(
        services.home, identity, services.clock, access=None, revocation=revocation
    )
    return ExchangeDelivery(
        account_outbox(services, account),
        sealer,
        sealer.unencrypted,
        lambda items: imap_send_queued(services, account, items),
    )


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
