"""The sending parts of the object graph, for ``app.py``: the outbox compose windows hand
messages to, and the retry of what waits to go to Exchange."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.policy.model import RevocationPolicy
from desktop_app.services.paths import store_path

if TYPE_CHECKING:
    from desktop_app.app.access import SystemAccess
    from desktop_app.core.recipients.status import Draft
    from desktop_app.services.accounts.model import Account
    from desktop_app.services.certificates.directories import DirectoryFindings
    from desktop_app.services.certstore.store import CertStore
    from desktop_app.services.drafts import DraftStore
    from desktop_app.services.outbox.queue import QueuedMessage
    from desktop_app.services.outbox.sealing import DirectoryConsult, StoreSealer
    from desktop_app.services.outbox.sending_run import SendReport
    from desktop_app.services.outbox.submission import Outbox
    from desktop_app.services.user_identity import UserIdentity

OUTBOX_RETRY_SECONDS = 120


def store_sealer(
    home: Path,
    identity: UserIdentity,
    clock: Callable[[], dt.datetime],
    *,
    access: SystemAccess | None,
    revocation: RevocationPolicy,
    fetch_revocation: bool,
    consult: DirectoryConsult | None = None,
) -> StoreSealer:
    """Seals with the store's certificates, and the directory's when ``access`` to
    Exchange is given (or ``consult``, another account's directory); revocation is
    weighed under the ``revocation`` policy."""
    from desktop_app.services.outbox.sealing import StoreSealer
    from desktop_app.services.policy_files import load_policy

    directory = _directory_consult(home, clock, access) if access is not None else consult
    return StoreSealer(
        store_path(home),
        identity,
        clock,
        directory,
        revocation=revocation,
        offline=not fetch_revocation,
        protect_headers=load_policy(home).policy.protect_headers,
        pins_home=home,
    )


def _directory_consult(
    home: Path, clock: Callable[[], dt.datetime], access: SystemAccess
) -> DirectoryConsult:
    from desktop_app.services.exchange.gal_search import consult_directory

    def consult(draft: Draft, store: CertStore, at: dt.datetime) -> DirectoryFindings:
        return consult_directory(
            home,
            draft,
            store,
            at,
            open_secrets=access.secrets,
            clock=clock,
            settings=access.settings(),
            oauth=access.oauth(),
        )

    return consult


def compose_outbox(
    home: Path,
    identity: UserIdentity,
    clock: Callable[[], dt.datetime],
    *,
    exchange: SystemAccess | None,
    revocation: RevocationPolicy,
    fetch_revocation: bool,
    account: tuple[Account, SystemAccess] | None = None,
) -> Outbox:
    """Where compose windows send: through Exchange when ``exchange`` access is given
    (an account is set up, outside the demo), else into the home's outbox folder. Either
    way messages are really sealed. ``account`` (a Microsoft 365 or IMAP account of
    ``account add``, with access to the keyring and tokens) sends through that account."""
    from desktop_app.services.outbox.folder import FolderOutbox

    consult = None
    if exchange is None and account is not None:
        from desktop_app.app.accounts import account_consult

        consult = account_consult(home, account[0], account[1], clock)
    sealer = store_sealer(
        home,
        identity,
        clock,
        access=exchange,
        revocation=revocation,
        fetch_revocation=fetch_revocation,
        consult=consult,
    )
    if exchange is None and account is not None:
        from desktop_app.app.accounts import account_delivery

        return account_delivery(home, account[0], account[1], clock, sealer)
    if exchange is None:
        from desktop_app.services.mailbox.folders import LOCAL_OUTBOX_FOLDER

        return FolderOutbox(home / LOCAL_OUTBOX_FOLDER, clock, sealer, sealer.unencrypted)
    from desktop_app.services.outbox.queue import OutboxQueue
    from desktop_app.services.outbox.queued_delivery import QueuedDelivery

    outbox = OutboxQueue(home, clock)
    return QueuedDelivery(
        outbox,
        sealer,
        sealer.unencrypted,
        lambda items: send_queued(home, items, clock, exchange),
        retry_in_seconds=OUTBOX_RETRY_SECONDS,
    )


def send_queued(
    home: Path,
    items: Sequence[QueuedMessage],
    clock: Callable[[], dt.datetime],
    access: SystemAccess,
) -> SendReport:
    from desktop_app.services.exchange.ews_sending import send_from_home

    return send_from_home(
        home, items, access.secrets, access.settings(), clock, oauth=access.oauth()
    )


def retry_outbox(
    home: Path, clock: Callable[[], dt.datetime], access: SystemAccess
) -> SendReport | None:
    """Send what waits in the Exchange outbox; None when nothing waits.

    Called on the background thread.
    """
    from desktop_app.services.outbox.queue import OutboxQueue

    waiting = OutboxQueue(home, clock).pending()
    if not waiting:
        from desktop_app.app.accounts import retry_account_outbox

        return retry_account_outbox(home, clock, access)
    return send_queued(home, waiting, clock, access)


def draft_store(
    home: Path,
    identity: UserIdentity | None,
    account: tuple[Account, SystemAccess] | None,
    clock: Callable[[], dt.datetime],
) -> DraftStore:
    """Drafts in the home, sealed to ``identity`` when there is one; with an ``account``
    that sends, sealed copies are kept in its Drafts folder too."""
    from desktop_app.services.drafts import DRAFTS_FOLDER, DraftStore

    if identity is not None and account is not None:
        from desktop_app.app.accounts import mirrored_drafts

        return mirrored_drafts(home / DRAFTS_FOLDER, identity, account[0], account[1], clock)
    return DraftStore(home / DRAFTS_FOLDER, identity)
