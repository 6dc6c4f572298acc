"""Builds the desktop application's object graph: the only place that wires parts together.

Imports are staged for a fast first paint: the window shows before the certificate code
(chain building, CMS structures) is loaded; compose windows load it on first use, and the
background helper warms it up meanwhile.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.app.access import SystemAccess
from desktop_app.app.exchange import (
    account_configured,
    account_dialog,
    account_email,
    account_keys,
    exchange_directory_maker,
    exchange_source,
    reply_legacy_dns,
)
from desktop_app.app.folders import WindowTools, bring_forward
from desktop_app.app.identity import UserIdentity, identity_dialog, own_mailbox
from desktop_app.app.sending import (
    LOCAL_OUTBOX_FOLDER,
    OutboxRetry,
    compose_outbox,
    retry_outbox,
)
from desktop_app.core.messages import text
from desktop_app.core.policy.model import RevocationPolicy
from desktop_app.services.audit import AUDIT_FILE_NAME, AuditLog
from desktop_app.services.certificates.compose_evidence import ComposeEvidence
from desktop_app.services.certificates.compose_maker import sources_directory_maker
from desktop_app.services.clock import utc_now
from desktop_app.services.mailbox.source import (
    EmptyMailboxSource,
    FolderMailboxSource,
    MailboxSource,
)
from desktop_app.services.paths import store_path
from desktop_app.services.policy_files import PolicyLoad

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from desktop_app.core.recipients.addresses import Mailbox
    from desktop_app.core.recipients.after_send import SendOutcome
    from desktop_app.services.accounts.model import Account
    from desktop_app.services.certificates.directories import OrganisationDirectory
    from desktop_app.services.certstore.store import CertStore
    from desktop_app.services.drafts import DraftRecord, DraftStore, Recovery
    from desktop_app.services.mailbox.source import MessageDetail
    from desktop_app.ui.background import BackgroundRunner
    from desktop_app.ui.compose.autosave import RecoveryDialog
    from desktop_app.ui.compose.session import ComposeContext
    from desktop_app.ui.compose.window import ComposeWindow
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.theme import Theme


class Application:
    """The running desktop application: main window, compose windows, shared services."""

    def __init__(
        self,
        app: QApplication,
        *,
        home: Path,
        demo_user: tuple[str, str] | None,
        policy: PolicyLoad,
        theme: Theme,
        clock: Callable[[], dt.datetime] = utc_now,
        access: SystemAccess | None = None,
    ) -> None:
        from desktop_app.ui.background import BackgroundRunner

        self.app = app
        self.home = home
        self.demo = demo_user is not None
        self.theme = theme
        self.clock = clock
        self.policy = policy
        self.access = access or SystemAccess()
        self.runner: BackgroundRunner = BackgroundRunner()
        # Waits on the user or a sign-in service (a device code, a browser sign-in, a
        # keyring prompt) run on a worker of their own: lookups, previews and autosave
        # never queue behind them.
        self.dialog_runner: BackgroundRunner = BackgroundRunner()
        self.lookup = ComposeEvidence(
            store_path(home),
            home / "directory" if self.demo else None,
            clock,
            # The demo never leaves the computer: no Exchange, whatever the home holds.
            exchange=None if self.demo else self._directory_maker(),
            fetch_revocation=not self.demo and policy.policy.revocation is not RevocationPolicy.OFF,
            # LDAP directories and admin bundles (the one place they are registered).
            sources=None
            if self.demo
            else sources_directory_maker(home, clock, self.access.secrets),
            pins_home=home,
        )
        self.identities_text = demo_user
        self.identity = UserIdentity(home, demo=self.demo, access=self.access)
        self.outbox_retry = OutboxRetry(
            self.runner, lambda: retry_outbox(home, clock, self.access), self._show_status
        )
        self._context: ComposeContext | None = None
        self._drafts: DraftStore | None = None
        self.compose_windows: list[ComposeWindow] = []
        self.training_window: QWidget | None = None
        self.tools = WindowTools(self)  # the main window's folders, menus, first-run steps
        self.window: MainWindow | None = None
        self.recovery_dialog: RecoveryDialog | None = None

    def open_source(self) -> MailboxSource:
        """The mailbox; its messages open through the S/MIME reader as they are shown.

        Called on the background thread.
        """
        if self.demo:
            from desktop_app.services.mailbox.opening import MessageOpener, OpeningMailboxSource

            folder = FolderMailboxSource(self.home / "inbox", text("main.demo_inbox"))
            opener = MessageOpener(store_path(self.home), self.identity, self.clock)
            return OpeningMailboxSource(folder, opener)
        if account_configured(self.home):
            return exchange_source(
                self.home, self.clock, self.identity.opener_identity, self.access
            )
        from desktop_app.app.accounts import account_source, mail_account

        account = mail_account(self.home)  # Microsoft 365 or IMAP (`account add`)
        if account is not None:
            return account_source(
                self.home, account, self.clock, self.identity.opener_identity, self.access
            )
        return EmptyMailboxSource()

    def _exchange_sending(self) -> bool:
        return not self.demo and account_configured(self.home)

    def _sending_access(self) -> SystemAccess | None:
        """Access to Exchange for sending; None: messages go to the outbox folder."""
        return self.access if self._exchange_sending() else None

    def sending_account(self) -> tuple[Account, SystemAccess] | None:
        """The account of ``account add`` that sends, when there is no Exchange account."""
        if self.demo or self._exchange_sending():
            return None
        from desktop_app.app.accounts import mail_account

        account = mail_account(self.home)
        return (account, self.access) if account is not None else None

    def _identities(self) -> tuple[Mailbox, ...]:
        from desktop_app.core.recipients.addresses import Mailbox
        from desktop_app.core.recipients.normalise import address_key

        if self.identities_text is None:
            own = own_mailbox(self.home, account_email(self.home))
            return (own,) if own is not None else ()
        name, address = self.identities_text
        return (Mailbox(address, address_key(address), name),)

    def context(self) -> ComposeContext:
        """What compose windows share; built on first use (it loads the certificate code)."""
        if self._context is None:
            from desktop_app.services.certificates.pin_choices import CertificateChoiceKeeper
            from desktop_app.ui.compose.session import ComposeContext

            self._context = ComposeContext(
                runner=self.runner,
                lookup=self.lookup,
                policy=self.policy.policy,
                identities=self._identities(),
                outbox=compose_outbox(
                    self.home,
                    self.identity,
                    self.clock,
                    exchange=self._sending_access(),
                    revocation=self.policy.policy.revocation,
                    fetch_revocation=not self.demo,
                    account=self.sending_account(),
                ),
                audit=AuditLog(self.home / AUDIT_FILE_NAME),
                clock=self.clock,
                theme=self.theme,
                drafts=self.draft_store(),
                send_warnings=self.lookup.send_warnings,
                address_book=self._address_book,
                certificate_choices=CertificateChoiceKeeper(self.home, self.clock),
            )
        return self._context

    def _address_book(self) -> tuple[str, ...]:
        """Background thread: recent correspondents, and the directory's with an account."""
        from desktop_app.services.address_book import (
            directory_addresses,
            recent_correspondents,
        )

        recent = recent_correspondents(self.home / LOCAL_OUTBOX_FOLDER)
        directory = directory_addresses(self.home) if self._exchange_sending() else ()
        return (*recent, *directory)

    def draft_store(self) -> DraftStore:
        """Drafts sealed to the user's own certificate. Without one nothing is autosaved,
        and a draft is written unencrypted only after the user agreed to it on closing."""
        if self._drafts is None:
            from desktop_app.services.drafts import DRAFTS_FOLDER, DraftStore

            identity = self.identity if self.identity.stored() else None
            # Sealed copies go to the account's Drafts folder too; a draft kept unencrypted
            # (by the user's choice, without a certificate) stays on this computer.
            sending = self.sending_account() if identity is not None else None
            if identity is not None and sending is not None:
                from desktop_app.app.accounts import mirrored_drafts

                account, access = sending
                self._drafts = mirrored_drafts(
                    self.home / DRAFTS_FOLDER, identity, account, access, self.clock
                )
            else:
                self._drafts = DraftStore(self.home / DRAFTS_FOLDER, identity)
        return self._drafts

    def compose(self, action: str, detail: MessageDetail | None) -> QWidget | None:
        """Open a compose window for ``action`` ("new", "reply", "reply_all", "forward").

        A reply to mail with X.500 (IMCEAEX) addresses opens once the Exchange directory
        has resolved them (in the background); then None is returned.
        """
        context = self.context()
        own = frozenset(identity.key for identity in context.identities)
        exchange = not self.demo and self.lookup.exchange is not None
        if exchange:
            own |= account_keys(self.home)
        legacy = reply_legacy_dns(action, detail) if exchange else ()
        if not legacy:
            return self._open_compose(action, detail, own, {})

        def opened(resolved: Mapping[str, Mailbox]) -> None:
            self._open_compose(action, detail, own, resolved)

        self.runner.run(
            lambda: self.lookup.resolve_legacy_dns(legacy),
            opened,
            failure=lambda _error: opened({}),
        )
        return None

    def _open_compose(
        self,
        action: str,
        detail: MessageDetail | None,
        own: frozenset[str],
        resolved: Mapping[str, Mailbox],
    ) -> QWidget:
        from desktop_app.core.recipients.replies import ComposeAction
        from desktop_app.ui.compose.starts import compose_start
        from desktop_app.ui.compose.window import ComposeWindow

        start = compose_start(ComposeAction(action), detail, own, resolved)
        return self._show_compose(ComposeWindow(self.context(), start))

    def restore_draft(self, record: DraftRecord) -> QWidget:
        """Reopen a saved draft in a compose window; it keeps saving to the same file.

        Its recipients are looked up again, as if typed now. The Drafts view lists
        ``draft_store().recover().drafts`` (in the background) and calls this.
        """
        from desktop_app.ui.compose.autosave import start_of
        from desktop_app.ui.compose.window import ComposeWindow

        context = self.context()
        if context.drafts is not None:
            context.drafts.resume(record.draft_id)
        return self._show_compose(ComposeWindow(context, start_of(record), draft=record))

    def _show_compose(self, window: ComposeWindow) -> QWidget:
        self.compose_windows.append(window)
        window.closed.connect(lambda: self._forget(window))
        window.sent.connect(self._on_sent)
        window.show()
        return window

    def _forget(self, window: QWidget) -> None:
        if window in self.compose_windows:
            self.compose_windows.remove(window)

    def _on_sent(self, outcome: SendOutcome) -> None:
        from desktop_app.core.recipients.after_send import after_send_line

        self._show_status(after_send_line(outcome))
        if self._exchange_sending() or self.sending_account() is not None:
            self.outbox_retry.keep_trying()

    def _show_status(self, line: str) -> None:
        if self.window is not None and line:
            self.window.status_label.setText(line)
            # A send or an outbox run changed what Sent and Outbox hold.
            self.window.folders.refresh_all()

    def warm_up(self) -> None:
        """Load the certificate and compose code and open the store in the background after
        first paint, so the first compose window opens as fast as later ones."""
        self.runner.run(self._warm, lambda _: None, failure=lambda _: None)

    def _warm(self) -> None:
        self.lookup()
        # Only modules are loaded here: no widget is made off the GUI thread.
        import desktop_app.ui.compose.window  # noqa: F401

    def offer_drafts(self) -> None:
        """Look for drafts left behind (after a crash) and offer them back."""
        store = self.draft_store()
        self.runner.run(store.recover, self._on_recovered, failure=self._on_recover_failed)

    def _on_recovered(self, recovery: Recovery) -> None:
        import dataclasses

        # Drafts the user saved belong to the Drafts view; only autosaves were left behind.
        recovery = dataclasses.replace(
            recovery, drafts=tuple(record for record in recovery.drafts if not record.kept)
        )
        if not recovery.drafts and not recovery.damaged:
            return
        from desktop_app.ui.compose.autosave import RecoveryDialog

        self.recovery_dialog = RecoveryDialog(
            recovery,
            restore=self._restore_drafts,
            discard=self._discard_drafts,
            parent=self.window,
        )
        self.recovery_dialog.finished.connect(self._forget_recovery)
        self.recovery_dialog.open()

    def _forget_recovery(self) -> None:
        self.recovery_dialog = None

    def _restore_drafts(self, records: Sequence[DraftRecord]) -> None:
        for record in records:
            self.restore_draft(record)

    def _discard_drafts(self, records: Sequence[DraftRecord]) -> None:
        store = self.draft_store()
        for record in records:
            store.delete(record.draft_id)

    def _on_recover_failed(self, error: BaseException) -> None:
        from desktop_app.ui.errors import error_text

        if self.window is not None:
            self.window.status_label.setText(error_text(error))

    def main_window(self) -> MainWindow:
        from desktop_app.ui.main_window import MainWindow

        if self.demo:
            status = text("main.demo_mode")
        else:
            status = "" if self.identity.stored() else text("sending.no_identity")
        self.window = MainWindow(
            theme=self.theme,
            runner=self.runner,
            open_source=self.open_source,
            compose=self.compose,
            status_text=status,
            policy_warning=policy_warning(self.policy),
            train=self.training,
            exchange_account=None if self.demo else self.exchange_account,
            # The demo's identity is part of the demo home: nothing to import there.
            own_certificate=None if self.demo else self.own_certificate,
            extras=self.tools.extras(),
        )
        self.window.firstPainted.connect(self.warm_up)
        if not self.demo:  # the demo's certificate is part of the demo home
            self.window.firstPainted.connect(self._warn_own_certificate)
        self.window.firstPainted.connect(self.offer_drafts)
        self.window.firstPainted.connect(self.window.folders.refresh_all)  # the counts
        if self._exchange_sending() or self.sending_account() is not None:
            self.window.firstPainted.connect(self.outbox_retry.try_now)
        return self.window

    def _warn_own_certificate(self) -> None:
        from desktop_app.ui.own_certificate_banner import show_own_certificate_banner

        if self.window is not None:
            show_own_certificate_banner(
                self.window, self.runner, self.home, self.clock, self.theme, self.own_certificate
            )

    def exchange_account(self) -> QWidget:
        """The Exchange account dialog; after a sign-in, lookups ask that directory."""
        return account_dialog(
            self.home, self.dialog_runner, self._signed_in, self.window, self.access
        )

    def own_certificate(self) -> QWidget:
        """The "My certificate" dialog; after an import, new windows use that identity."""
        return identity_dialog(
            self.home,
            self.dialog_runner,
            self.access,
            self.clock(),
            self._identity_imported,
            self.window,
        )

    def _identity_imported(self, _identity: object) -> None:
        self.identity.forget()
        self._context = None  # new compose windows send as the new identity
        self._drafts = None
        if self.window is not None:
            self.window.status_label.setText(text("identity_dialog.imported"))
            self.window.refresh_welcome()

    def mail_account(self) -> QWidget:
        """The mail account dialog (Microsoft 365, IMAP); an added account sends and lists."""
        from desktop_app.app.accounts import mail_account_dialog

        return mail_account_dialog(
            self.home, self.dialog_runner, self._account_added, self.window, self.access, self.clock
        )

    def _directory_maker(self) -> Callable[[CertStore], OrganisationDirectory] | None:
        """The account's directory for lookups: Exchange's, else Microsoft Graph's."""
        maker = exchange_directory_maker(self.home, self.clock, self.access)
        if maker is None:
            from desktop_app.app.accounts import account_directory_maker

            return account_directory_maker(self.home, self.clock, self.access)
        return maker

    def _account_added(self, _account: object) -> None:
        maker = self._directory_maker()
        self.runner.run(lambda: self.lookup.use_exchange(maker), lambda _: None)
        self._context = None  # new compose windows send through the account
        if self.window is not None:
            self.window.reload()  # the account's inbox in place of what was shown
            self.window.refresh_welcome()

    def _signed_in(self, _config: object) -> None:
        maker = exchange_directory_maker(self.home, self.clock, self.access)
        self._context = None  # new compose windows send through the account
        self.runner.run(lambda: self.lookup.use_exchange(maker), lambda _: None)
        if self.window is not None:
            self.window.reload()  # the Exchange inbox in place of what was shown
            self.window.refresh_welcome()

    def training(self) -> QWidget:
        """Open the training window (one at a time); scenarios run in a sandbox."""
        if self.training_window is None:
            from desktop_app.app.training import training_window

            self.training_window = training_window(self.home, self.theme, self.runner, self.clock)
        bring_forward(self.training_window)
        return self.training_window

    def shutdown(self) -> None:
        self.outbox_retry.stop()
        self.runner.shutdown()
        self.dialog_runner.shutdown()
        self.lookup.close()


def policy_warning(load: PolicyLoad) -> str:
    if not load.errors:
        return ""
    return text("policy.using_strictest", error=load.errors[0].message)
