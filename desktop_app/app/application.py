"""Builds the desktop application's object graph: the only place that wires parts together.

Imports are staged for a fast first paint: the window shows before the certificate code
(chain building, CMS structures) is loaded; compose windows load it on first use, and the
background helper warms it up meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop_app.app.exchange import (
    account_dialog,
    account_email,
    exchange_directory_maker,
)
from desktop_app.app.folders import WindowTools, bring_forward
from desktop_app.app.identity import identity_dialog
from desktop_app.app.sending import (
    OUTBOX_RETRY_SECONDS,
    compose_outbox,
    retry_outbox,
)
from desktop_app.core.messages import text
from desktop_app.core.policy.model import RevocationPolicy
from desktop_app.services.audit import AUDIT_FILE_NAME, AuditLog
from desktop_app.services.certificates.compose_evidence import ComposeEvidence
from desktop_app.services.certificates.compose_maker import sources_directory_maker
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.mailbox.source import (
    MessageListSource,
)
from desktop_app.services.paths import store_path
from desktop_app.services.policy_files import PolicyLoad, policy_warning
from desktop_app.services.user_identity import UserIdentity, mailbox_named, own_mailbox

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from desktop_app.core.recipients.addresses import Mailbox
    from desktop_app.core.recipients.after_send import SendOutcome
    from desktop_app.services.accounts.model import Account
    from desktop_app.services.certificates.directories import OrganisationDirectory
    from desktop_app.services.certstore.store import CertStore
    from desktop_app.services.drafts import DraftRecord, DraftStore
    from desktop_app.services.mailbox.source import MessageDetail
    from desktop_app.ui.background import BackgroundRunner
    from desktop_app.ui.compose.autosave import RecoveryDialog
    from desktop_app.ui.compose.session import ComposeContext
    from desktop_app.ui.compose.window import ComposeWindow
    from desktop_app.ui.draft_recovery import DraftRecovery
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.theme import Theme


class Application:
    """The running desktop application: main window, compose windows, shared services."""

    def __init__(
        self,
        app: QApplication,
        *,
        access: MailAccess,
        demo_user: tuple[str, str] | None,
        policy: PolicyLoad,
        theme: Theme,
    ) -> None:
        """``access``: the home, the clock, the keyring, Exchange settings and OAuth caches."""
        from desktop_app.ui.background import BackgroundRunner

        self.app = app
        self.access = access
        self.home = home = access.home
        self.demo = demo_user is not None
        self.theme = theme
        self.clock = clock = access.clock
        self.policy = policy
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
            sources=None if self.demo else sources_directory_maker(self.access),
            pins_home=home,
        )
        self.identities_text = demo_user
        self.identity = UserIdentity(self.access, demo=self.demo)
        from desktop_app.ui.outbox_retry import OutboxRetry

        self.outbox_retry = OutboxRetry(
            self.runner,
            lambda: retry_outbox(self.access),
            self._show_status,
            interval_seconds=OUTBOX_RETRY_SECONDS,
        )
        self._context: ComposeContext | None = None
        self._drafts: DraftStore | None = None
        self.compose_windows: list[ComposeWindow] = []
        self.training_window: QWidget | None = None
        self.tools = WindowTools(self)  # the main window's folders, menus, first-run steps
        self.window: MainWindow | None = None
        self.draft_recovery: DraftRecovery | None = None

    def open_source(self) -> MessageListSource:
        """The mailbox; its messages open through the S/MIME reader as they are shown.

        Called on the background thread.
        """
        from desktop_app.app.accounts import main_mailbox

        return main_mailbox(self.access, self.demo, self.identity)

    def _exchange_sending(self) -> bool:
        from desktop_app.services.exchange.account import account_configured

        return not self.demo and account_configured(self.home)

    def sending_account(self) -> Account | None:
        """The account of ``account add`` that sends, when there is no Exchange account."""
        if self.demo or self._exchange_sending():
            return None
        from desktop_app.app.accounts import mail_account

        return mail_account(self.home)

    def _identities(self) -> tuple[Mailbox, ...]:
        if self.identities_text is None:
            own = own_mailbox(self.home, account_email(self.home))
            return (own,) if own is not None else ()
        return (mailbox_named(*self.identities_text),)

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
                    self.access,
                    self.identity,
                    exchange=self._exchange_sending(),
                    revocation=self.policy.policy.revocation,
                    fetch_revocation=not self.demo,
                    sources=not self.demo,
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
        from desktop_app.services.mailbox.folders import LOCAL_OUTBOX_FOLDER

        recent = recent_correspondents(self.home / LOCAL_OUTBOX_FOLDER)
        directory = directory_addresses(self.home) if self._exchange_sending() else ()
        return (*recent, *directory)

    def draft_store(self) -> DraftStore:
        """Drafts sealed to the user's own certificate. Without one nothing is autosaved,
        and a draft is written unencrypted only after the user agreed to it on closing."""
        if self._drafts is None:
            from desktop_app.app.sending import draft_store

            identity = self.identity if self.identity.stored() else None
            # Sealed copies go to the account's Drafts folder too; a draft kept unencrypted
            # (by the user's choice, without a certificate) stays on this computer.
            sending = self.sending_account() if identity is not None else None
            self._drafts = draft_store(self.access, identity, sending)
        return self._drafts

    def compose(self, action: str, detail: MessageDetail | None) -> QWidget | None:
        """Open a compose window for ``action`` ("new", "reply", "reply_all", "forward");
        None when it opens later (see ``compose_opening.open_compose``)."""
        from desktop_app.app.compose_opening import open_compose

        return open_compose(self, action, detail)

    def restore_draft(self, record: DraftRecord) -> QWidget:
        """Reopen a saved draft in a compose window; it keeps saving to the same file."""
        from desktop_app.app.compose_opening import reopen_draft

        return reopen_draft(self, record)

    def on_sent(self, outcome: SendOutcome) -> None:
        """A compose window sent: say what happened, and keep trying what waits."""
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
        from desktop_app.ui.draft_recovery import DraftRecovery

        self.draft_recovery = DraftRecovery(
            self.runner, self.draft_store(), self.restore_draft, self.window
        )
        self.draft_recovery.offer()

    @property
    def recovery_dialog(self) -> RecoveryDialog | None:
        """The dialog offering drafts back, while it is open."""
        return self.draft_recovery.dialog if self.draft_recovery is not None else None

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
        return account_dialog(self.access, self.dialog_runner, self._signed_in, self.window)

    def own_certificate(self) -> QWidget:
        """The "My certificate" dialog; after an import, new windows use that identity."""
        return identity_dialog(
            self.access, self.dialog_runner, self._identity_imported, self.window
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
            self.access, self.dialog_runner, self._account_added, self.window
        )

    def _directory_maker(self) -> Callable[[CertStore], OrganisationDirectory] | None:
        """The account's directory for lookups: Exchange's, else Microsoft Graph's."""
        maker = exchange_directory_maker(self.access)
        if maker is None:
            from desktop_app.app.accounts import account_directory_maker

            return account_directory_maker(self.access)
        return maker

    def _account_added(self, _account: object) -> None:
        self._use_account(self._directory_maker())

    def _signed_in(self, _config: object) -> None:
        self._use_account(exchange_directory_maker(self.access))

    def _use_account(self, maker: Callable[[CertStore], OrganisationDirectory] | None) -> None:
        """After an account was added or signed in to: lookups ask its directory, new
        compose windows send through it, and the main window shows its inbox."""
        self.runner.run(lambda: self.lookup.use_exchange(maker), lambda _: None)
        self._context = None
        if self.window is not None:
            self.window.reload()
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
