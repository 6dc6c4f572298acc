"""The Exchange parts of the object graph: built only when an account is set up.

Everything here is imported on first use, so a start without Exchange pays nothing for it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.errors import UserFacingError
from desktop_app.services.paths import store_path

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from desktop_app.core.identity import Identity
    from desktop_app.services.certstore.store import CertStore
    from desktop_app.services.exchange.account import AccountConfig
    from desktop_app.services.exchange.compose_directory import ExchangeDirectory
    from desktop_app.services.mail_access import MailAccess
    from desktop_app.services.mailbox.source import MessageDetail, MessageListSource
    from desktop_app.ui.background import BackgroundRunner

SIGN_IN_TIMEOUT = 10.0  # seconds: a wrong address or a dead server is reported quickly


def exchange_directory_maker(
    access: MailAccess,
) -> Callable[[CertStore], ExchangeDirectory] | None:
    """The Exchange directory for compose windows, when the home has an account set up."""
    from desktop_app.services.exchange.account import account_configured

    if not account_configured(access.home):
        return None

    def make(store: CertStore) -> ExchangeDirectory:
        from desktop_app.services.exchange.compose_directory import exchange_directory

        return exchange_directory(access, store)

    return make


def exchange_source(
    access: MailAccess, identity: Callable[[], Identity | None]
) -> MessageListSource:
    """The Exchange inbox; encrypted mail opens with ``identity`` (when there is one).

    Called on the background thread.
    """
    from desktop_app.services.exchange.account import load_exchange_account
    from desktop_app.services.exchange.inbox_source import ExchangeMessageListSource
    from desktop_app.services.exchange.session import open_connection
    from desktop_app.services.mailbox.opening import MessageOpener, OpeningMessageListSource

    settings = access.exchange_settings()
    inbox = ExchangeMessageListSource(
        lambda: open_connection(access, settings), load_exchange_account(access.home).email
    )
    opener = MessageOpener(store_path(access.home), identity, access.clock)
    return OpeningMessageListSource(inbox, opener)


def account_email(home: Path) -> str | None:
    """The Exchange account's address; None without a (readable) account."""
    from desktop_app.services.exchange.account import account_configured, load_exchange_account

    if not account_configured(home):
        return None

    try:
        return load_exchange_account(home).email
    except UserFacingError:
        return None


def account_keys(home: Path) -> frozenset[str]:
    """The Exchange account's own address, left out of a Reply All like an identity."""
    from desktop_app.core.recipients.normalise import address_key

    email = account_email(home)
    return frozenset({address_key(email)}) if email is not None else frozenset()


def reply_legacy_dns(action: str, detail: MessageDetail | None) -> tuple[str, ...]:
    """The original's X.500 addresses worth resolving before a reply is prefilled."""
    if detail is None or action == "new":
        return ()
    from desktop_app.core.recipients.legacy_dn import legacy_dns
    from desktop_app.core.recipients.replies import parse_original

    try:
        original = parse_original(detail.raw)
    except UserFacingError:
        return ()  # compose_start says what is wrong with it
    return legacy_dns((*original.sender, *original.reply_to, *original.to, *original.cc))


def account_dialog(
    access: MailAccess,
    runner: BackgroundRunner,
    signed_in: Callable[[AccountConfig], None],
    parent: QWidget | None,
) -> QWidget:
    """Open the Exchange account dialog over ``parent``, filled in with the current account."""
    from desktop_app.services.exchange.account import load_exchange_account
    from desktop_app.ui.accounts.exchange_dialog import ExchangeAccountDialog, sign_in_operation

    try:
        current: AccountConfig | None = load_exchange_account(access.home)
    except UserFacingError:
        current = None
    signing_in = sign_in_operation(access, timeout=SIGN_IN_TIMEOUT)
    dialog = ExchangeAccountDialog(runner, signing_in, current, parent=parent)
    dialog.signedIn.connect(signed_in)
    dialog.open()
    return dialog
