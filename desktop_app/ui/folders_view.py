"""The folder pages beside the folder list: Drafts, Outbox and Sent (the Inbox page and
the welcome page are the main window's). Each folder is read when it is shown and its
count is kept in the folder list.

Signals of ``FolderStack``: ``status(str)`` with a line for the status bar.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStackedWidget

from desktop_app.core.messages import text
from desktop_app.services.drafts import DraftRecord
from desktop_app.services.mailbox.folders import SentRecord, WaitingRecord
from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.folder_models import (
    DraftListModel,
    Folder,
    FolderListModel,
    SentListModel,
    WaitingListModel,
)
from desktop_app.ui.folder_pages import RecordsPage
from desktop_app.ui.theme import Theme


@dataclass(frozen=True, slots=True)
class FolderReaders:
    """Reads each folder (on the background helper) and acts on a record.

    ``drafts`` is None when drafts cannot be kept (no certificate of one's own);
    ``retry`` is None when nothing sends from the outbox here (no Exchange account).
    """

    waiting: Callable[[], tuple[WaitingRecord, ...]]
    sent: Callable[[], tuple[SentRecord, ...]]
    drafts: Callable[[], tuple[DraftRecord, ...]] | None = None
    open_draft: Callable[[DraftRecord], object] | None = None
    retry: Callable[[], object] | None = None


def _nothing() -> tuple[Any, ...]:
    return ()


class FolderStack(QObject):
    """The folder list's model and the stacked pages it switches between."""

    status = Signal(str)

    def __init__(
        self,
        theme: Theme,
        runner: BackgroundRunner,
        readers: FolderReaders | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.readers = readers or FolderReaders(waiting=_nothing, sent=_nothing)
        self.model = FolderListModel(theme.icon, self)
        self.pages = QStackedWidget()
        self.pages.setObjectName("folderPages")
        drafts_note = "folders.empty_drafts" if self.readers.drafts else "folders.no_drafts_store"
        self.drafts = RecordsPage(
            "drafts",
            text("folders.drafts"),
            DraftListModel(theme.icon, self),
            self.readers.drafts or _nothing,
            runner,
            empty=text(drafts_note),
            button=(text("folders.open_draft"), text("folders.open_draft")),
        )
        self.outbox = RecordsPage(
            "outbox",
            text("folders.outbox"),
            WaitingListModel(theme.icon, self),
            self.readers.waiting,
            runner,
            empty=text("folders.empty_outbox"),
            button=(text("folders.retry_now"), text("folders.retry_tip"))
            if self.readers.retry is not None
            else None,
        )
        self.sent = RecordsPage(
            "sent",
            text("folders.sent"),
            SentListModel(theme.icon, self),
            self.readers.sent,
            runner,
            empty=text("folders.empty_sent"),
        )
        self.by_folder = {
            Folder.DRAFTS: self.drafts,
            Folder.OUTBOX: self.outbox,
            Folder.SENT: self.sent,
        }
        for folder, page in self.by_folder.items():
            self.pages.addWidget(page)
            page.listed.connect(lambda count, chosen=folder: self.model.set_count(chosen, count))
        self.drafts.activated.connect(self._open_draft)
        if self.outbox.button is not None:
            self.outbox.button.clicked.disconnect()
            self.outbox.button.clicked.connect(self.retry_now)

    def show(self, folder: Folder) -> None:
        page = self.by_folder[folder]
        self.pages.setCurrentWidget(page)
        page.refresh()

    def refresh_all(self) -> None:
        """Read every folder again (after a send), for the counts."""
        for page in self.by_folder.values():
            page.refresh()

    def _open_draft(self, record: object) -> None:
        if isinstance(record, DraftRecord) and self.readers.open_draft is not None:
            self.readers.open_draft(record)

    def retry_now(self) -> None:
        if self.readers.retry is not None:
            self.status.emit(text("folders.retrying"))
            self.readers.retry()
