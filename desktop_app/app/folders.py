"""The main window's extras, for ``application.py``: folder readers, first-run steps, the demo
started from the welcome page, and the Certificates and Settings windows."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.errors import UserFacingError
from desktop_app.services.paths import store_path

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from desktop_app.app.application import Application
    from desktop_app.services.drafts import DraftRecord, DraftStore
    from desktop_app.services.mailbox.folders import SentRecord, WaitingRecord
    from desktop_app.services.policy_files import PolicyLoad
    from desktop_app.ui.background import BackgroundRunner
    from desktop_app.ui.certificates_window import CertificatesWindow
    from desktop_app.ui.folders_view import FolderReaders
    from desktop_app.ui.main_window import WindowExtras
    from desktop_app.ui.theme import Theme
    from desktop_app.ui.welcome_page import WelcomeStep


class DraftsUnavailableError(UserFacingError):
    """No drafts can be kept here (no certificate of one's own to seal them to)."""


def folder_readers(
    home: Path,
    clock: Callable[[], dt.datetime],
    drafts: Callable[[], DraftStore | None],
    open_draft: Callable[[DraftRecord], object],
    retry: Callable[[], object] | None,
) -> FolderReaders:
    """Readers of the home's Sent and Outbox records and of its drafts (``drafts`` gives
    the draft store, or None when drafts cannot be kept); they run on the background
    helper."""
    from desktop_app.ui.folders_view import FolderReaders

    def sent() -> tuple[SentRecord, ...]:
        from desktop_app.services.mailbox.folders import read_sent

        return read_sent(home).records

    def waiting() -> tuple[WaitingRecord, ...]:
        from desktop_app.app.accounts import mail_account
        from desktop_app.services.accounts.delivery import outbox_folder
        from desktop_app.services.mailbox.folders import read_waiting
        from desktop_app.services.outbox.queue import OutboxQueue

        records = read_waiting(OutboxQueue(home, clock)).records
        account = mail_account(home)  # an account of `account add` has its own outbox
        folder = outbox_folder(home, account) if account is not None else None
        if folder is not None:
            records += read_waiting(OutboxQueue(home, clock, folder=folder)).records
        return records

    def saved_drafts() -> tuple[DraftRecord, ...]:
        store = drafts()
        if store is None:  # the Drafts view says why
            from desktop_app.core.messages import text

            raise DraftsUnavailableError(text("folders.no_drafts_store"))
        return tuple(reversed(store.recover().drafts))  # newest first

    return FolderReaders(
        waiting=waiting,
        sent=sent,
        drafts=saved_drafts,
        open_draft=open_draft,
        retry=retry,
    )


def training_taken(home: Path) -> bool:
    from desktop_app.services.training.progress_file import PROGRESS_FILE_NAME

    return (home / PROGRESS_FILE_NAME).is_file()


def welcome_steps(
    *,
    identity: tuple[bool, Callable[[], object]],
    account: tuple[bool, Callable[[], object]],
    training: tuple[bool, Callable[[], object]],
    demo: Callable[[], object],
) -> tuple[WelcomeStep, ...]:
    """The first-run steps in their order; each is (done, what starts it)."""
    from desktop_app.ui.welcome_page import WelcomeStep

    return (
        WelcomeStep("identity", *identity),
        WelcomeStep("account", *account),
        WelcomeStep("training", *training),
        WelcomeStep("demo", False, demo),
    )


def demo_command() -> tuple[str, list[str]]:
    """How to start this program again with ``--demo`` (bundled or from Python)."""
    if getattr(sys, "frozen", False):
        return sys.executable, ["--demo"]
    return sys.executable, ["-m", "desktop_app", "--demo"]


def start_demo() -> bool:
    """Start the demo in a process of its own (its own home; nothing here changes)."""
    from PySide6.QtCore import QProcess

    program, arguments = demo_command()
    started, _pid = QProcess.startDetached(program, arguments)
    return bool(started)


def certificates_window(
    home: Path, theme: Theme, runner: BackgroundRunner, clock: Callable[[], dt.datetime]
) -> CertificatesWindow:
    from desktop_app.ui.certificates_window import CertificatesWindow

    return CertificatesWindow(store_path(home), theme, runner, clock)


def settings_dialog(
    home: Path,
    policy: PolicyLoad,
    account: str,
    change_account: Callable[[], object] | None,
    parent: QWidget | None,
) -> QWidget:
    from desktop_app.services.settings import Settings
    from desktop_app.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(Settings(home), policy, account, change_account, parent)
    dialog.open()
    return dialog


def bring_forward(window: QWidget) -> None:
    """Show ``window``; one already shown (perhaps behind others) is raised as well."""
    if window.isVisible():
        window.raise_()
    window.show()


class WindowTools:
    """What the main window offers beyond the inbox, for ``Application``: the folders,
    the File and Tools menu items it provides, and the first-run steps."""

    def __init__(self, app: Application) -> None:
        self._app = app
        self.certificates: CertificatesWindow | None = None
        self.settings: QWidget | None = None

    def extras(self) -> WindowExtras:
        from desktop_app.services.exchange.account import account_configured
        from desktop_app.ui.main_menus import MenuHandlers
        from desktop_app.ui.main_window import WindowExtras

        app = self._app
        stored = app.identity.stored()
        exchange = not app.demo and account_configured(app.home)
        sending_account = app.sending_account() is not None
        return WindowExtras(
            folders=folder_readers(
                app.home,
                app.clock,
                app.draft_store,  # called when the Drafts view is read
                app.restore_draft,
                app.outbox_retry.try_now if exchange or sending_account else None,
            ),
            menus=MenuHandlers(
                save_draft=self.save_draft,
                settings=self.open_settings,
                certificates=self.open_certificates,
                mail_account=None if app.demo else app.mail_account,
            ),
            welcome_steps=None if app.demo else self.welcome_steps,
            first_run=not app.demo and not stored and not account_configured(app.home),
        )

    def welcome_steps(self) -> tuple[WelcomeStep, ...]:
        from desktop_app.services.exchange.account import account_configured

        app = self._app
        return welcome_steps(
            identity=(app.identity.stored(), app.own_certificate),
            account=(account_configured(app.home), app.exchange_account),
            training=(training_taken(app.home), app.training),
            demo=self.open_demo,
        )

    def _say(self, line: str) -> None:
        if self._app.window is not None:
            self._app.window.status_label.setText(line)

    def open_demo(self) -> None:
        from desktop_app.core.messages import text

        self._say(text("welcome.demo_started" if start_demo() else "welcome.demo_failed"))

    def save_draft(self) -> None:
        """File > Save draft: saves the compose window in front now (it saves by itself
        too); with none open, says that drafts are saved from a compose window."""
        from PySide6.QtWidgets import QApplication

        from desktop_app.core.messages import text

        windows = self._app.compose_windows
        active = QApplication.activeWindow()
        chosen = active if active in windows else (windows[-1] if windows else None)
        autosave = getattr(chosen, "autosave", None)
        if autosave is None:
            self._say(text("menu.save_draft_none"))
            return
        autosave.save_now()

    def open_certificates(self) -> CertificatesWindow:
        """The Certificates window (one at a time), read afresh."""
        app = self._app
        if self.certificates is None:
            self.certificates = certificates_window(app.home, app.theme, app.runner, app.clock)
        else:
            self.certificates.refresh()
        bring_forward(self.certificates)
        return self.certificates

    def open_settings(self) -> QWidget:
        from desktop_app.app.exchange import account_email
        from desktop_app.core.messages import text

        app = self._app
        if app.demo:
            account = text("settings.account_demo")
        else:
            account = account_email(app.home) or text("settings.account_none")
        change = None if app.demo else app.exchange_account
        self.settings = settings_dialog(app.home, app.policy, account, change, app.window)
        return self.settings
