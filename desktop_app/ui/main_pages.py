"""The main window's pages beside the inbox: the other folders and the first-run welcome page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.ui.folder_models import Folder
from desktop_app.ui.welcome_page import WelcomePage

if TYPE_CHECKING:
    from PySide6.QtWidgets import QListView, QSplitter

    from desktop_app.ui.folder_models import FolderListModel
    from desktop_app.ui.folders_view import FolderStack
    from desktop_app.ui.main_window import WindowExtras
    from desktop_app.ui.theme import Theme


class MainPages:
    """Mixed into ``MainWindow``, whose attributes these are."""

    _extras: WindowExtras
    _theme: Theme
    _welcome: WelcomePage | None
    folders: FolderStack
    folder_model: FolderListModel
    folder_view: QListView
    inbox_splitter: QSplitter

    def show_folder(self, folder: Folder) -> None:
        """Show ``folder``'s view (the Inbox: the message list and preview)."""
        row = self.folder_model.row_of(folder)
        if self.folder_view.currentIndex().row() != row:
            self.folder_view.setCurrentIndex(self.folder_model.index(row))
            return  # the selection change comes back here
        if folder is Folder.INBOX:
            self.folders.pages.setCurrentWidget(self.inbox_splitter)
        else:
            self.folders.show(folder)

    def show_welcome(self) -> None:
        """The first-run steps in the message area (Help > Getting started)."""
        steps = self._extras.welcome_steps
        if steps is None:
            return
        self.welcome.set_steps(steps())
        self.show_folder(Folder.INBOX)
        self.folders.pages.setCurrentWidget(self.welcome)

    @property
    def welcome(self) -> WelcomePage:
        """The first-run page, made the first time it is asked for."""
        if self._welcome is None:
            self._welcome = WelcomePage(self._theme)
            self.folders.pages.addWidget(self._welcome)
        return self._welcome

    @property
    def welcome_shown(self) -> bool:
        page = self.folders.pages.currentWidget()
        return page is not None and page is self._welcome

    def refresh_welcome(self) -> None:
        """After a step was taken: the marks again, if the page is shown."""
        if self._extras.welcome_steps is not None and self.welcome_shown:
            self.welcome.set_steps(self._extras.welcome_steps())
