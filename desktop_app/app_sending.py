"""The sending parts of the object graph, for ``app.py``: the user's own identity, the
outbox compose windows hand messages to, and the retry of what waits to go to Exchange.

The demo's identity is a labelled throwaway key in the demo home. Otherwise the identity
is the one ``smime-guard identity import`` stored: its key unlocks with the passphrase
in the OS keyring, once, on a background thread.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.errors import UserFacingError
from desktop_app.services.paths import store_path

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QWidget

    from desktop_app.core.identity import Identity
    from desktop_app.core.pki.certstore import CertStore
    from desktop_app.core.recipients.addresses import Mailbox
    from desktop_app.core.recipients.status import Draft
    from desktop_app.services.exchange.account import ExchangeSettings
    from desktop_app.services.exchange.draft_lookup import DirectoryFindings
    from desktop_app.services.exchange.oauth import OAuthContext
    from desktop_app.services.exchange.outbox import QueuedMessage
    from desktop_app.services.exchange.sending import SendReport
    from desktop_app.services.mailbox.outbox import Outbox
    from desktop_app.services.mailbox.sealing import DirectoryConsult, StoreSealer
    from desktop_app.services.secrets import SecretStore
    from desktop_app.ui.background import BackgroundRunner
    from desktop_app.ui.identity_dialog import ImportIdentity

OUTBOX_RETRY_SECONDS = 120
DEMO_IDENTITY_FOLDER = "identity"
LOCAL_OUTBOX_FOLDER = "outbox"


class SystemAccess:
    """What the application reaches outside itself: the OS keyring, the Exchange connection
    settings and the OAuth 2.0 token caches (one per process, shared by the sign-in and
    every connection). The defaults are the real ones; tests pass their own."""

    def __init__(
        self,
        open_secrets: Callable[[], SecretStore] | None = None,
        exchange_settings: ExchangeSettings | None = None,
        oauth: OAuthContext | None = None,
    ) -> None:
        self._open_secrets = open_secrets
        self._exchange_settings = exchange_settings
        self._oauth = oauth
        self._lock = threading.Lock()

    def secrets(self) -> SecretStore:
        if self._open_secrets is not None:
            return self._open_secrets()
        from desktop_app.services.secrets import system_secret_store

        return system_secret_store()

    def settings(self, timeout: float | None = None) -> ExchangeSettings:
        """The Exchange settings, with a shorter ``timeout`` where one is given."""
        from desktop_app.services.exchange.account import ExchangeSettings

        settings = self._exchange_settings or ExchangeSettings()
        if timeout is not None and timeout < settings.timeout:
            return dataclasses.replace(settings, timeout=timeout)
        return settings

    def oauth(self) -> OAuthContext:
        """The process's OAuth context, made on first use (msal loads only then)."""
        with self._lock:
            if self._oauth is None:
                from desktop_app.services.exchange.oauth import OAuthContext

                self._oauth = OAuthContext()
            return self._oauth


class UserIdentity:
    """The user's identity with its key, loaded on first use; safe to call from any thread.

    Raises (when called):
        UserFacingError: no identity is stored, the keyring has no passphrase for it, or
            the files are damaged; the message says what to do.
    """

    def __init__(self, home: Path, *, demo: bool, access: SystemAccess) -> None:
        self._home = home
        self._demo = demo
        self._access = access
        self._lock = threading.Lock()
        self._identity: Identity | None = None

    @property
    def demo(self) -> bool:
        return self._demo

    def stored(self) -> bool:
        """Whether there is an identity to load (reads no secret)."""
        if self._demo:
            return True
        from desktop_app.services.identity_store import MANIFEST_NAME, identity_folder

        return (identity_folder(self._home) / MANIFEST_NAME).is_file()

    def __call__(self) -> Identity:
        with self._lock:
            if self._identity is None:
                self._identity = self._load()
            return self._identity

    def _load(self) -> Identity:
        if self._demo:
            from desktop_app.services.demo.build import IDENTITY_CERTIFICATE, IDENTITY_KEY
            from desktop_app.services.mailbox.sealing import demo_identity

            folder = self._home / DEMO_IDENTITY_FOLDER
            return demo_identity(folder, IDENTITY_CERTIFICATE, IDENTITY_KEY)
        from desktop_app.services.identity_store import load_identity

        return load_identity(self._home, self._access.secrets())

    def forget(self) -> None:
        """Load again on next use (after another identity was imported)."""
        with self._lock:
            self._identity = None

    def opener_identity(self) -> Identity | None:
        """The identity for opening mail, or None when there is none to open it with."""
        if not self.stored():
            return None
        return self()


def identity_importer(home: Path, access: SystemAccess) -> ImportIdentity:
    """The "My certificate" dialog's import: the keyring is opened first, so a missing one
    is reported before the file is read; nothing is stored unless everything worked."""

    def run(path: Path, password: bytes | None) -> Identity:
        from desktop_app.core.identity import load_pkcs12_identity
        from desktop_app.services.files import read_input_file
        from desktop_app.services.identity_store import save_identity

        secrets = access.secrets()
        data = read_input_file(path)
        identity = load_pkcs12_identity(data, source_name=path.name, password=password)
        save_identity(home, identity, secrets)
        return identity

    return run


def identity_dialog(
    home: Path,
    runner: BackgroundRunner,
    access: SystemAccess,
    now: dt.datetime,
    imported: Callable[[Identity], None],
    parent: QWidget | None,
) -> QWidget:
    """Open the "My certificate" dialog over ``parent``, showing the stored certificate."""
    from desktop_app.services.identity_store import stored_identity
    from desktop_app.ui.identity_dialog import IdentityDialog

    try:
        stored = stored_identity(home)
    except UserFacingError:
        stored = None  # damaged: importing again is the way out
    dialog = IdentityDialog(
        runner,
        identity_importer(home, access),
        stored.cert if stored is not None else None,
        now,
        parent=parent,
    )
    dialog.imported.connect(imported)
    dialog.open()
    return dialog


def own_mailbox(home: Path, account_email: str | None) -> Mailbox | None:
    """Who the user sends as, outside the demo: the Exchange address when the stored
    certificate is issued for it, else the certificate's first address, else the
    Exchange address (sealing then says which certificate is missing)."""
    from desktop_app.core.pki.certificates import email_addresses
    from desktop_app.core.recipients.addresses import parse_mailbox
    from desktop_app.services.identity_store import stored_identity

    try:
        stored = stored_identity(home)
    except UserFacingError:
        stored = None
    addresses = email_addresses(stored.cert) if stored is not None else ()
    chosen = account_email
    if addresses and (account_email is None or account_email.lower() not in addresses):
        chosen = addresses[0]
    if chosen is None:
        return None
    try:
        return parse_mailbox(chosen)
    except UserFacingError:
        return None


def store_sealer(
    home: Path,
    identity: UserIdentity,
    clock: Callable[[], dt.datetime],
    *,
    access: SystemAccess | None,
) -> StoreSealer:
    """Seals with the store's certificates, and the directory's when ``access`` to
    Exchange is given."""
    from desktop_app.services.mailbox.sealing import StoreSealer

    directory = _directory_consult(home, clock, access) if access is not None else None
    return StoreSealer(store_path(home), identity, clock, directory)


def _directory_consult(
    home: Path, clock: Callable[[], dt.datetime], access: SystemAccess
) -> DirectoryConsult:
    from desktop_app.services.exchange.draft_lookup import consult_directory

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
) -> Outbox:
    """Where compose windows send: through Exchange when ``exchange`` access is given
    (an account is set up, outside the demo), else into the home's outbox folder. Either
    way messages are really sealed."""
    from desktop_app.services.mailbox.outbox import DemoOutbox

    sealer = store_sealer(home, identity, clock, access=exchange)
    if exchange is None:
        return DemoOutbox(home / LOCAL_OUTBOX_FOLDER, clock, sealer, sealer.unencrypted)
    from desktop_app.services.exchange.outbox import ExchangeOutbox
    from desktop_app.services.mailbox.exchange_delivery import ExchangeDelivery

    outbox = ExchangeOutbox(home, clock)
    return ExchangeDelivery(
        outbox,
        sealer,
        sealer.unencrypted,
        lambda items: send_queued(home, items, clock, exchange),
    )


def send_queued(
    home: Path,
    items: Sequence[QueuedMessage],
    clock: Callable[[], dt.datetime],
    access: SystemAccess,
) -> SendReport:
    from desktop_app.services.exchange.sending import send_from_home

    return send_from_home(
        home, items, access.secrets, access.settings(), clock, oauth=access.oauth()
    )


def retry_outbox(
    home: Path, clock: Callable[[], dt.datetime], access: SystemAccess
) -> SendReport | None:
    """Send what waits in the Exchange outbox; None when nothing waits.

    Called on the background thread.
    """
    from desktop_app.services.exchange.outbox import ExchangeOutbox

    waiting = ExchangeOutbox(home, clock).pending()
    if not waiting:
        return None
    return send_queued(home, waiting, clock, access)


class OutboxRetry:
    """Tries the Exchange outbox again every ``OUTBOX_RETRY_SECONDS`` while anything waits,
    in the background, and says how it went on the status line."""

    def __init__(
        self,
        runner: BackgroundRunner,
        retry: Callable[[], SendReport | None],
        show: Callable[[str], None],
    ) -> None:
        self._runner = runner
        self._retry = retry
        self._show = show
        self._timer: QTimer | None = None

    def keep_trying(self) -> None:
        if self._timer is None:
            from PySide6.QtCore import QTimer

            self._timer = QTimer()
            self._timer.setInterval(OUTBOX_RETRY_SECONDS * 1000)
            self._timer.timeout.connect(self.try_now)
        if not self._timer.isActive():
            self._timer.start()

    def try_now(self) -> None:
        self._runner.run(self._retry, self._on_tried, failure=self._on_failed)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    def _on_tried(self, report: SendReport | None) -> None:
        from desktop_app.core.messages import text

        if report is None:
            self.stop()
        elif report.waiting:
            reason = report.waiting[0].last_error or ""
            self._show(text("sending.outbox_waiting", count=len(report.waiting), reason=reason))
            self.keep_trying()
        else:
            self.stop()
            if report.sent:
                self._show(text("sending.sent_count", count=len(report.sent)))

    def _on_failed(self, error: BaseException) -> None:
        from desktop_app.ui.errors import error_text

        self._show(error_text(error))
        self.keep_trying()
