"""The folder pages beside the folder list: Drafts, Outbox and Sent (the Inbox page and
the welcome page are the main window's). Each folder is read when it is shown and its
count is kept in the folder list.

Signals of ``FolderStack``: ``status(str)`` with a line for the status bar.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSize, Signal
from PySide6.QtWidgets import QListView, QStackedWidget

from desktop_app.core.messages import text
from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.folder_models import (
    DraftListModel,
    Folder,
    FolderListModel,
    SentListModel,
    WaitingListModel,
)
from desktop_app.ui.folder_pages import RecordsPage
from desktop_app.ui.list_icons import VisibleIconDelegate
from desktop_app.ui.theme import Theme

if TYPE_CHECKING:
    from desktop_app.services.drafts import DraftRecord
    from desktop_app.services.mailbox.folders import SentRecord, WaitingRecord


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


def folder_list_view(model: FolderListModel) -> QListView:
    """The folder column: Inbox first and chosen."""
    view = QListView()
    view.setObjectName("folderList")
    view.setModel(model)
    view.setItemDelegate(VisibleIconDelegate(view))
    view.setIconSize(QSize(18, 18))
    view.setSpacing(2)
    view.setAccessibleName(text("folders.title"))
    view.setMinimumWidth(130)
    view.setCurrentIndex(model.index(model.row_of(Folder.INBOX)))
    return view


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
        self._theme = theme
        self._runner = runner
        # Made on first use: the first paint shows only the Inbox.
        self._pages: dict[Folder, RecordsPage] = {}

    @property
    def drafts(self) -> RecordsPage:
        return self.page(Folder.DRAFTS)

    @property
    def outbox(self) -> RecordsPage:
        return self.page(Folder.OUTBOX)

    @property
    def sent(self) -> RecordsPage:
        return self.page(Folder.SENT)

    def page(self, folder: Folder) -> RecordsPage:
        """The view of ``folder`` (not the Inbox), made the first time it is asked for."""
        made = self._pages.get(folder)
        if made is None:
            made = self._make(folder)
            self._pages[folder] = made
            self.pages.addWidget(made)
            made.listed.connect(lambda count: self.model.set_count(folder, count))
        return made

    def _make(self, folder: Folder) -> RecordsPage:
        readers, icon = self.readers, self._theme.icon
        title = text(f"folders.{folder.value}")
        if folder is Folder.DRAFTS:
            note = "folders.empty_drafts" if readers.drafts else "folders.no_drafts_store"
            page = RecordsPage(
                "drafts",
                title,
                DraftListModel(icon, self),
                readers.drafts or _nothing,
                self._runner,
                empty=text(note),
                button=(text("folders.open_draft"), text("folders.open_draft")),
            )
            page.activated.connect(self._open_draft)
            return page
        if folder is Folder.OUTBOX:
            retry = (text("folders.retry_now"), text("folders.retry_tip"))
            page = RecordsPage(
                "outbox",
                title,
                WaitingListModel(icon, self),
                readers.waiting,
                self._runner,
                empty=text("folders.empty_outbox"),
                button=retry if readers.retry is not None else None,
            )
            if page.button is not None:
                page.button.clicked.disconnect()
                page.button.clicked.connect(self.retry_now)
            return page
        return RecordsPage(
            "sent",
            title,
            SentListModel(icon, self),
            readers.sent,
            self._runner,
            empty=text("folders.empty_sent"),
        )

    def show(self, folder: Folder) -> None:
        page = self.page(folder)
        self.pages.setCurrentWidget(page)
        page.refresh()

    def refresh_all(self) -> None:
        """Read every folder again (after first paint, after a send), for the counts."""
        for folder in (Folder.DRAFTS, Folder.OUTBOX, Folder.SENT):
            self.page(folder).refresh()

    def _open_draft(self, record: DraftRecord | None) -> None:
        if record is not None and self.readers.open_draft is not None:
            self.readers.open_draft(record)

    def retry_now(self) -> None:
        if self.readers.retry is not None:
            self.status.emit(text("folders.retrying"))
            self.readers.retry()
