"""The sending parts of the object graph, for ``application.py``: the outbox compose windows hand
messages to, and the retry of what waits to go to Exchange."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING

from desktop_app.core.policy.model import RevocationPolicy
from desktop_app.services.paths import store_path

if TYPE_CHECKING:
    from desktop_app.services.accounts.model import Account
    from desktop_app.services.certificates.consult import Consulted
    from desktop_app.services.certificates.draft_evidence import AccountDirectoryAsk, ConfiguredAsk
    from desktop_app.services.certstore.store import CertStore
    from desktop_app.services.drafts import DraftStore
    from desktop_app.services.mail_access import MailAccess
    from desktop_app.services.outbox.queue import QueuedMessage
    from desktop_app.services.outbox.sealing import StoreSealer
    from desktop_app.services.outbox.sending_run import SendReport
    from desktop_app.services.outbox.submission import Outbox
    from desktop_app.services.user_identity import UserIdentity

OUTBOX_RETRY_SECONDS = 120


def store_sealer(
    access: MailAccess,
    identity: UserIdentity,
    *,
    exchange: bool,
    revocation: RevocationPolicy,
    fetch_revocation: bool,
    sources: bool,
    consult: AccountDirectoryAsk | None = None,
) -> StoreSealer:
    """Seals with the store's certificates, and the Exchange directory's when ``exchange``
    (or ``consult``, another account's directory), then the configured LDAP directories'
    and admin bundles' when ``sources`` (never in the demo), as the window asked them;
    revocation is weighed under the ``revocation`` policy."""
    from desktop_app.services.outbox.sealing import StoreSealer
    from desktop_app.services.policy_files import load_policy

    home = access.home
    directory = _directory_consult(access) if exchange else consult
    return StoreSealer(
        store_path(home),
        identity,
        access.clock,
        directory,
        configured=_configured_sources(access) if sources else None,
        revocation=revocation,
        offline=not fetch_revocation,
        protect_headers=load_policy(home).policy.protect_headers,
        pins_home=home,
    )


def _directory_consult(access: MailAccess) -> AccountDirectoryAsk:
    from desktop_app.services.exchange.gal_search import consult_directory

    return functools.partial(consult_directory, access)


def _configured_sources(access: MailAccess) -> ConfiguredAsk:
    from desktop_app.services.certificates.registry import consult_sources

    def ask(keys: Sequence[str], store: CertStore) -> Consulted:
        return consult_sources(access, keys, store, offline=False)

    return ask


def compose_outbox(
    access: MailAccess,
    identity: UserIdentity,
    *,
    exchange: bool,
    revocation: RevocationPolicy,
    fetch_revocation: bool,
    sources: bool,
    account: Account | None = None,
) -> Outbox:
    """Where compose windows send: through Exchange when ``exchange`` (an account is set
    up, outside the demo), else into the home's outbox folder. Either way messages are
    really sealed. ``account`` (a Microsoft 365 or IMAP account of ``account add``) sends
    through that account."""
    from desktop_app.services.outbox.folder import FolderOutbox

    consult = None
    if not exchange and account is not None:
        from desktop_app.app.accounts import account_consult

        consult = account_consult(access, account)
    sealer = store_sealer(
        access,
        identity,
        exchange=exchange,
        revocation=revocation,
        fetch_revocation=fetch_revocation,
        sources=sources,
        consult=consult,
    )
    if not exchange and account is not None:
        from desktop_app.app.accounts import account_delivery

        return account_delivery(access, account, sealer)
    home, clock = access.home, access.clock
    if not exchange:
        from desktop_app.services.mailbox.folders import LOCAL_OUTBOX_FOLDER

        return FolderOutbox(home / LOCAL_OUTBOX_FOLDER, clock, sealer, sealer.unencrypted)
    from desktop_app.services.outbox.queue import OutboxQueue
    from desktop_app.services.outbox.queued_delivery import QueuedDelivery

    outbox = OutboxQueue(home, clock)
    return QueuedDelivery(
        outbox,
        sealer,
        sealer.unencrypted,
        lambda items: send_queued(access, items),
        retry_in_seconds=OUTBOX_RETRY_SECONDS,
    )


def send_queued(access: MailAccess, items: Sequence[QueuedMessage]) -> SendReport:
    from desktop_app.services.exchange.ews_sending import send_from_home

    return send_from_home(access, items)


def retry_outbox(access: MailAccess) -> SendReport | None:
    """Send what waits in the Exchange outbox; None when nothing waits.

    Called on the background thread.
    """
    from desktop_app.services.outbox.queue import OutboxQueue

    waiting = OutboxQueue(access.home, access.clock).pending()
    if not waiting:
        from desktop_app.app.accounts import retry_account_outbox

        return retry_account_outbox(access)
    return send_queued(access, waiting)


def draft_store(
    access: MailAccess, identity: UserIdentity | None, account: Account | None
) -> DraftStore:
    """Drafts in the home, sealed to ``identity`` when there is one; with an ``account``
    that sends, sealed copies are kept in its Drafts folder too."""
    from desktop_app.services.drafts import DRAFTS_FOLDER, DraftStore

    folder = access.home / DRAFTS_FOLDER
    if identity is not None and account is not None:
        from desktop_app.app.accounts import mirrored_drafts

        return mirrored_drafts(access, folder, identity, account)
    return DraftStore(folder, identity)
