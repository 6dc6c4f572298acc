"""The IMAP/SMTP parts of the object graph, for ``app.py``: built only when such an account exists.

Until the shared account model chooses between kinds, the home's one IMAP account (if it
has exactly one, and no Exchange account) is the mailbox, the way out and the place for
server drafts. Everything is imported on first use.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.errors import UserFacingError
from desktop_app.services.paths import store_path

if TYPE_CHECKING:
    from desktop_app.app_identity import UserIdentity
    from desktop_app.core.identity import Identity
    from desktop_app.core.policy.model import RevocationPolicy
    from desktop_app.services.drafts import DraftStore
    from desktop_app.services.exchange.outbox import QueuedMessage
    from desktop_app.services.exchange.sending import SendReport
    from desktop_app.services.imap.connection import ImapConnection
    from desktop_app.services.mailbox.outbox import Outbox
    from desktop_app.services.mailbox.source import MailboxSource
    from desktop_app.services.secrets import SecretStore

log = logging.getLogger(__name__)


def imap_account_name(home: Path) -> str | None:
    """The home's IMAP account, when it has exactly one."""
    from desktop_app.services.imap.accounts import account_names

    try:
        names = account_names(home)
    except UserFacingError:
        return None
    return names[0] if len(names) == 1 else None


def imap_source(
    home: Path,
    name: str,
    clock: Callable[[], dt.datetime],
    identity: Callable[[], Identity | None],
    secrets: Callable[[], SecretStore],
) -> MailboxSource:
    """The IMAP inbox; encrypted mail opens with ``identity``. Background thread only."""
    from desktop_app.services.imap.accounts import load_account, stored_credential
    from desktop_app.services.imap.connection import open_imap
    from desktop_app.services.imap.inbox_source import ImapMailboxSource
    from desktop_app.services.mailbox.opening import MessageOpener, OpeningMailboxSource

    account = load_account(home, name)

    def connect() -> ImapConnection:  # the keyring is asked on first use
        return open_imap(account, stored_credential(name, account, secrets))

    inbox = ImapMailboxSource(connect, account.email)
    return OpeningMailboxSource(inbox, MessageOpener(store_path(home), identity, clock))


def imap_send_queued(
    home: Path,
    name: str,
    items: Sequence[QueuedMessage],
    clock: Callable[[], dt.datetime],
    secrets: Callable[[], SecretStore],
) -> SendReport:
    from desktop_app.services.imap.accounts import load_account, stored_credential
    from desktop_app.services.imap.transport import send_through_account

    account = load_account(home, name)
    return send_through_account(
        home, items, account, lambda: stored_credential(name, account, secrets), clock
    )


def imap_retry(
    home: Path, name: str, clock: Callable[[], dt.datetime], secrets: Callable[[], SecretStore]
) -> SendReport | None:
    """Send what waits in the outbox through the account; None when nothing waits."""
    from desktop_app.services.exchange.outbox import ExchangeOutbox

    waiting = ExchangeOutbox(home, clock).pending()
    if not waiting:
        return None
    return imap_send_queued(home, name, waiting, clock, secrets)


def imap_outbox(
    home: Path,
    name: str,
    identity: UserIdentity,
    clock: Callable[[], dt.datetime],
    secrets: Callable[[], SecretStore],
    *,
    revocation: RevocationPolicy,
) -> Outbox:
    """Compose windows send through the account: sealed into the outbox, then SMTP."""
    from desktop_app.app_sending import store_sealer
    from desktop_app.services.exchange.outbox import ExchangeOutbox
    from desktop_app.services.mailbox.exchange_delivery import ExchangeDelivery

    sealer = store_sealer(home, identity, clock, access=None, revocation=revocation)
    return ExchangeDelivery(
        ExchangeOutbox(home, clock),
        sealer,
        sealer.unencrypted,
        lambda items: imap_send_queued(home, name, items, clock, secrets),
    )


def mirrored_drafts(
    home: Path,
    name: str,
    folder: Path,
    identity: Callable[[], Identity],
    clock: Callable[[], dt.datetime],
    secrets: Callable[[], SecretStore],
) -> DraftStore:
    from desktop_app.services.imap.accounts import load_account, stored_credential
    from desktop_app.services.imap.connection import open_imap
    from desktop_app.services.imap.server_drafts import ImapServerDrafts, ServerMirroredDrafts

    account = load_account(home, name)

    def server(store: DraftStore) -> ImapServerDrafts:
        return ImapServerDrafts(
            lambda: open_imap(account, stored_credential(name, account, secrets)),
            account.email,
            store.seal,
            clock,
        )

    return ServerMirroredDrafts(folder, identity, server)
