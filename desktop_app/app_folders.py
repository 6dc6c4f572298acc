"""The main window's extras, for ``app.py``: folder readers, first-run steps, the demo
started from the welcome page, and the Certificates and Settings windows."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.services.paths import store_path

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from desktop_app.services.drafts import DraftRecord, DraftStore
    from desktop_app.services.mailbox.folders import SentRecord, WaitingRecord
    from desktop_app.services.policy_files import PolicyLoad
    from desktop_app.ui.background import BackgroundRunner
    from desktop_app.ui.certificates_window import CertificatesWindow
    from desktop_app.ui.folders_view import FolderReaders
    from desktop_app.ui.theme import Theme
    from desktop_app.ui.welcome_page import WelcomeStep


def folder_readers(
    home: Path,
    clock: Callable[[], dt.datetime],
    drafts: Callable[[], DraftStore | None] | None,
    open_draft: Callable[[DraftRecord], object],
    retry: Callable[[], object] | None,
) -> FolderReaders:
    """Readers of the home's Sent and Outbox records and of its drafts (``drafts`` is None
    when drafts cannot be kept: no certificate of one's own); they run on the background
    helper."""
    from desktop_app.ui.folders_view import FolderReaders

    def sent() -> tuple[SentRecord, ...]:
        from desktop_app.services.mailbox.folders import read_sent

        return read_sent(home).records

    def waiting() -> tuple[WaitingRecord, ...]:
        from desktop_app.services.exchange.outbox import ExchangeOutbox
        from desktop_app.services.mailbox.folders import read_waiting

        return read_waiting(ExchangeOutbox(home, clock)).records

    def saved_drafts() -> tuple[DraftRecord, ...]:
        store = drafts() if drafts is not None else None
        if store is None:
            return ()
        return tuple(reversed(store.recover().drafts))  # newest first

    return FolderReaders(
        waiting=waiting,
        sent=sent,
        drafts=saved_drafts if drafts is not None else None,
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
