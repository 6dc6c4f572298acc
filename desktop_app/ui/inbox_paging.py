"""Later pages of a paged mailbox (Exchange) for the main window's message list.

The newest page is listed first; the next older page loads in the background when the list
is scrolled to its end or "Load more messages" is pressed, one page at a time. A page for
a listing no longer shown is dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.core.messages import text
from desktop_app.services.mailbox.source import MessageListSource, MessagePage, MessageSummary
from desktop_app.ui.errors import error_text

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QLabel, QListView

    from desktop_app.ui.background import BackgroundRunner
    from desktop_app.ui.message_list import LoadMoreBar, MessageListModel


class InboxPaging:
    """Mixed into ``MainWindow``, whose attributes these are."""

    _source: MessageListSource | None
    _next_offset: int | None
    _page_loading: bool
    _listing: int
    _runner: BackgroundRunner
    model: MessageListModel
    list_view: QListView
    load_more: LoadMoreBar
    status_label: QLabel
    pageLoaded: SignalInstance

    def _show_count(self) -> None: ...

    def _check_signatures(self, messages: tuple[MessageSummary, ...]) -> None: ...

    def _paged(self, page: MessagePage) -> None:
        """Remember where the next page starts and show it under the list."""
        listed = self.model.rowCount()
        self._next_offset = page.offset + len(page.messages) if page.more else None
        if page.more:
            self.load_more.show_more(listed)
        elif page.offset:
            self.load_more.show_all(listed)  # said only once paging has happened
        self.load_more.setVisible(page.more or page.offset > 0)

    # -- later pages -------------------------------------------------------------------------

    @property
    def more_to_load(self) -> bool:
        return self._next_offset is not None

    def _on_scrolled(self, value: int) -> None:
        bar = self.list_view.verticalScrollBar()
        if value > 0 and value >= bar.maximum():
            self.load_next_page()

    def load_next_page(self) -> None:
        """Ask for the next older page in the background; one at a time."""
        if self._source is None or self._next_offset is None or self._page_loading:
            return
        source, offset, listing = self._source, self._next_offset, self._listing
        self._page_loading = True
        self.load_more.show_loading()
        self.status_label.setText(text("inbox.loading_more"))
        self._runner.run(
            lambda: source.list_page(offset),
            lambda page: self._on_page(listing, page),
            channel="mailbox-page",
            failure=lambda error: self._on_page_failed(listing, error),
            owner=self.list_view,  # gone with the window: the page is dropped
        )

    def _on_page(self, listing: int, page: MessagePage) -> None:
        if listing != self._listing:
            return  # for a mailbox no longer shown
        self._page_loading = False
        focus_on_button = self.load_more.button.hasFocus()
        first_new = self.model.rowCount()
        added = self.model.append_messages(page.messages)
        self._check_signatures(page.messages)
        self._paged(page)
        self._show_count()
        if focus_on_button and not page.more and added:
            # The button is gone: the keyboard goes on at the first message just loaded.
            self.list_view.setFocus()
            self.list_view.setCurrentIndex(self.model.index(first_new))
        self.pageLoaded.emit(added)

    def _on_page_failed(self, listing: int, error: BaseException) -> None:
        if listing != self._listing:
            return
        self._page_loading = False
        # What is listed stays; the bar says why and offers to try again.
        reason = error_text(error)
        self.load_more.show_failure(reason)
        self.load_more.show()
        self._show_count()
        self.pageLoaded.emit(0)
