"""Offering back the drafts a crash left behind, once the main window has painted."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from desktop_app.ui.errors import error_text

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from desktop_app.services.drafts import DraftRecord, DraftStore, Recovery
    from desktop_app.ui.background import BackgroundRunner
    from desktop_app.ui.compose.autosave import RecoveryDialog
    from desktop_app.ui.main_window import MainWindow


class DraftRecovery:
    """Looks for autosaved drafts in the background and, if any, asks the user whether to
    restore or discard them; a failure to look is shown on the status line."""

    def __init__(
        self,
        runner: BackgroundRunner,
        store: DraftStore,
        restore: Callable[[DraftRecord], QWidget],
        window: MainWindow | None,
    ) -> None:
        """``restore`` reopens one draft in a compose window."""
        self._runner = runner
        self._store = store
        self._restore = restore
        self._window = window
        self.dialog: RecoveryDialog | None = None

    def offer(self) -> None:
        self._runner.run(self._store.recover, self._on_recovered, failure=self._on_failed)

    def _on_recovered(self, recovery: Recovery) -> None:
        # Drafts the user saved belong to the Drafts view; only autosaves were left behind.
        recovery = dataclasses.replace(
            recovery, drafts=tuple(record for record in recovery.drafts if not record.kept)
        )
        if not recovery.drafts and not recovery.damaged:
            return
        from desktop_app.ui.compose.autosave import RecoveryDialog

        self.dialog = RecoveryDialog(
            recovery, restore=self._restore_all, discard=self._discard_all, parent=self._window
        )
        self.dialog.finished.connect(self._forget_dialog)
        self.dialog.open()

    def _forget_dialog(self) -> None:
        self.dialog = None

    def _restore_all(self, records: Sequence[DraftRecord]) -> None:
        for record in records:
            self._restore(record)

    def _discard_all(self, records: Sequence[DraftRecord]) -> None:
        for record in records:
            self._store.delete(record.draft_id)

    def _on_failed(self, error: BaseException) -> None:
        if self._window is not None:
            self._window.status_label.setText(error_text(error))
