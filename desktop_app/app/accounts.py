"""The accounts of ``account add`` (Microsoft 365, IMAP) in the object graph.

Built only when such an account exists; imported on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.services.paths import store_path

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from desktop_app.core.identity import Identity
    from desktop_app.core.recipients.status import Draft
    from desktop_app.services.accounts.model import Account
    from desktop_app.services.certificates.directories import OrganisationDirectory
    from desktop_app.services.certificates.draft_evidence import (
        AccountDirectoryAsk,
        DraftConsulted,
    )
    from desktop_app.services.certstore.store import CertStore
    from desktop_app.services.drafts import DraftStore
    from desktop_app.services.graph.compose_directory import GraphComposeDirectory
    from desktop_app.services.mail_access import MailAccess
    from desktop_app.services.mailbox.source import MessageListSource
    from desktop_app.services.outbox.sealing import StoreSealer
    from desktop_app.services.outbox.sending_run import SendReport
    from desktop_app.services.outbox.submission import Outbox
    from desktop_app.services.user_identity import UserIdentity
    from desktop_app.ui.background import BackgroundRunner


def mail_account(home: Path) -> Account | None:
    """The first account added with ``account add`` (not the ``exchange login`` one)."""
    from desktop_app.services.accounts.model import AccountKind
    from desktop_app.services.accounts.store import LEGACY_EXCHANGE_NAME, list_accounts

    for account in list_accounts(home):
        if not (account.kind is AccountKind.EXCHANGE and account.name == LEGACY_EXCHANGE_NAME):
            return account
    return None


def account_source(
    access: MailAccess, account: Account, identity: Callable[[], Identity | None]
) -> MessageListSource:
    """``account``'s inbox for the main window, its messages opened as they are shown."""
    from desktop_app.services.accounts.inbox_source import AccountMessageListSource
    from desktop_app.services.accounts.kinds import AccountServices, kind_support
    from desktop_app.services.mailbox.opening import MessageOpener, OpeningMessageListSource

    services = AccountServices(access)
    inbox = AccountMessageListSource(
        lambda: kind_support(account.kind).open_mailbox(account, services),
        f"{account.email} ({account.name})",
    )
    opener = MessageOpener(store_path(access.home), identity, access.clock)
    return OpeningMessageListSource(inbox, opener)


def account_delivery(access: MailAccess, account: Account, sealer: StoreSealer) -> Outbox:
    """Where compose windows send with ``account``: its outbox, then its Transport."""
    from desktop_app.services.accounts.delivery import (
        AccountDelivery,
        account_outbox,
        send_account,
    )
    from desktop_app.services.accounts.kinds import AccountServices

    services = AccountServices(access)
    return AccountDelivery(
        account_outbox(services, account),
        sealer,
        sealer.unencrypted,
        lambda items: send_account(services, account, items),
    )


def retry_account_outbox(access: MailAccess) -> SendReport | None:
    """Send what waits in the account's outbox; None when nothing waits (or no account).

    Called on the background thread.
    """
    from desktop_app.services.accounts.delivery import account_outbox, send_account
    from desktop_app.services.accounts.kinds import AccountServices

    account = mail_account(access.home)
    if account is None:
        return None
    services = AccountServices(access)
    waiting = account_outbox(services, account).pending()
    if not waiting:
        return None
    return send_account(services, account, waiting)


def mail_account_dialog(
    access: MailAccess,
    runner: BackgroundRunner,
    added: Callable[[Account], None],
    parent: QWidget | None,
) -> QWidget:
    """Open the mail account dialog (kind suggested by Autodiscover v2) over ``parent``."""
    from desktop_app.services.accounts.adding import add_account
    from desktop_app.services.accounts.kinds import AccountServices, SignInRequest
    from desktop_app.services.accounts.suggest import suggest_kind
    from desktop_app.services.oauth.client import DeviceFlow
    from desktop_app.ui.accounts.account_dialog import MailAccountDialog

    def add(account: Account, request: SignInRequest, started: Callable[[DeviceFlow], None]) -> str:
        services = AccountServices(access, device_flow_started=started)
        return add_account(account, request, services)

    dialog = MailAccountDialog(runner, suggest_kind, add, parent=parent)
    dialog.accountAdded.connect(added)
    dialog.open()
    return dialog


def mirrored_drafts(
    access: MailAccess, folder: Path, identity: Callable[[], Identity], account: Account
) -> DraftStore:
    """Drafts sealed to the user's certificate, in ``folder`` and in ``account``'s Drafts
    folder."""
    from desktop_app.services.accounts.kinds import AccountServices, kind_support
    from desktop_app.services.accounts.server_drafts import ServerMirroredDrafts

    services = AccountServices(access)
    return ServerMirroredDrafts(
        folder,
        identity,
        lambda: kind_support(account.kind).open_mailbox(account, services),
        access.clock,
    )


def account_directory_maker(
    access: MailAccess,
) -> Callable[[CertStore], OrganisationDirectory] | None:
    """Microsoft Graph as the compose windows' directory, for an m365 account of the home
    (lists, MailTips; certificates stay the store's)."""
    from desktop_app.services.accounts.model import AccountKind

    account = mail_account(access.home)
    if account is None or account.kind is not AccountKind.M365:
        return None
    chosen = account

    def make(store: CertStore) -> OrganisationDirectory:
        from desktop_app.services.accounts.kinds import AccountServices
        from desktop_app.services.graph.compose_directory import GraphComposeDirectory
        from desktop_app.services.graph.directory import GraphDirectory
        from desktop_app.services.graph.kind import graph_client

        services = AccountServices(access)
        return GraphComposeDirectory(
            lambda: GraphDirectory(graph_client(chosen, services)), access.clock
        )

    return make


def account_consult(access: MailAccess, account: Account) -> AccountDirectoryAsk | None:
    """What the sealer asks before sealing for an m365 account: Graph's lists (their
    members must each be covered) and failed lookups; None for kinds without a directory."""
    from desktop_app.services.accounts.model import AccountKind

    if account.kind is not AccountKind.M365:
        return None
    made: list[GraphComposeDirectory] = []

    def consult(draft: Draft, store: CertStore) -> DraftConsulted:
        from desktop_app.services.accounts.kinds import AccountServices
        from desktop_app.services.graph.compose_directory import GraphComposeDirectory
        from desktop_app.services.graph.directory import GraphDirectory
        from desktop_app.services.graph.kind import graph_client

        if not made:  # one client for the sealer's life: the token and TLS session kept
            services = AccountServices(access)
            made.append(
                GraphComposeDirectory(
                    lambda: GraphDirectory(graph_client(account, services)), access.clock
                )
            )
        return made[0].consult(draft, store)

    return consult


def main_mailbox(access: MailAccess, demo: bool, identity: UserIdentity) -> MessageListSource:
    """The mailbox the main window lists: the demo's folder, the Exchange account's inbox,
    the inbox of the account of ``account add``, or an empty one. Messages open through
    the S/MIME reader as they are shown. Called on the background thread."""
    from desktop_app.app.exchange import exchange_source
    from desktop_app.core.messages import text
    from desktop_app.services.exchange.account import account_configured
    from desktop_app.services.mailbox.opening import MessageOpener, OpeningMessageListSource
    from desktop_app.services.mailbox.source import EmptyMessageListSource, FolderMessageListSource
    from desktop_app.services.paths import store_path

    home, clock = access.home, access.clock
    if demo:
        folder = FolderMessageListSource(home / "inbox", text("main.demo_inbox"))
        return OpeningMessageListSource(folder, MessageOpener(store_path(home), identity, clock))
    if account_configured(home):
        return exchange_source(access, identity.opener_identity)
    account = mail_account(home)  # Microsoft 365 or IMAP (`account add`)
    if account is not None:
        return account_source(access, account, identity.opener_identity)
    return EmptyMessageListSource()
