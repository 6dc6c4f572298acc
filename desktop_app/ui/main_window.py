"""The main window: the mailbox's messages, the preview, and the compose actions.

Keyboard shortcuts: New Ctrl+N, Reply Ctrl+R, Reply All Ctrl+Shift+R, Forward Ctrl+L
(as in Thunderbird; Ctrl+F stays free for Find). A paged mailbox (Exchange) lists its
newest page first; the next older page loads in the background when the list is scrolled
to its end or "Load more messages" is pressed. Signals of ``MainWindow``:
``firstPainted()`` once, after the window first painted; ``messagesLoaded(int)`` with the
number of messages listed; ``pageLoaded(int)`` with the number a later page added.
"""

from collections.abc import Callable

from PySide6.QtCore import QEvent, QItemSelection, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.messages import text
from desktop_app.services.mailbox.source import MailboxSource, MessageDetail, MessagePage
from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.errors import error_text
from desktop_app.ui.message_list import LoadMoreBar, MessageDelegate, MessageListModel
from desktop_app.ui.preview_pane import PreviewPane
from desktop_app.ui.theme import Theme

# Compose actions by name, as the compose opener receives them ("new", "reply", ...).
SHORTCUTS = {
    "new": "Ctrl+N",
    "reply": "Ctrl+R",
    "reply_all": "Ctrl+Shift+R",
    "forward": "Ctrl+L",
}
_ACTIONS = (
    ("new", "compose", "main.new"),
    ("reply", "reply", "main.reply"),
    ("reply_all", "reply-all", "main.reply_all"),
    ("forward", "forward", "main.forward"),
)

EXCHANGE_ACCOUNT = text("exchange_mail.account_action")
EXCHANGE_ACCOUNT_TIP = text("exchange_mail.account_action_tip")

ComposeOpener = Callable[[str, MessageDetail | None], object]


class MainWindow(QMainWindow):
    """The mailbox view. ``open_source`` runs on the background thread (it may build the
    demo home); ``compose(action, detail)`` opens a compose window."""

    firstPainted = Signal()
    messagesLoaded = Signal(int)
    pageLoaded = Signal(int)

    def __init__(
        self,
        *,
        theme: Theme,
        runner: BackgroundRunner,
        open_source: Callable[[], MailboxSource],
        compose: ComposeOpener,
        status_text: str = "",
        policy_warning: str = "",
        train: Callable[[], object] | None = None,
        exchange_account: Callable[[], object] | None = None,
        own_certificate: Callable[[], object] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._train = train
        self._exchange_account = exchange_account
        self._own_certificate = own_certificate
        self.setObjectName("mainWindow")
        self.setWindowTitle(text("main.title"))
        self.resize(1120, 700)
        self._theme = theme
        self._runner = runner
        self._compose = compose
        self._source: MailboxSource | None = None
        self._detail: MessageDetail | None = None
        self._next_offset: int | None = None  # where the next page starts; None: no more
        self._page_loading = False
        self._listing = 0  # counts listings: a page for an earlier one is dropped
        self._painted = False
        self.actions_by_name: dict[str, QAction] = {}
        self._toolbar_widget = self._toolbar()
        self.model = MessageListModel(theme.icon, self)
        self.list_view = QListView()
        self.list_view.setObjectName("messageList")
        self.list_view.setModel(self.model)
        self.list_view.setItemDelegate(MessageDelegate(self.list_view))
        self.list_view.setUniformItemSizes(True)
        self.list_view.setFrameShape(QListView.Shape.NoFrame)
        self.list_view.selectionModel().selectionChanged.connect(self._on_selection)
        self.list_view.doubleClicked.connect(lambda _: self.compose("reply"))
        self.list_view.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.load_more = LoadMoreBar()
        self.load_more.button.clicked.connect(self.load_next_page)
        self.load_more.hide()
        messages = QWidget()
        messages.setObjectName("messageColumn")
        messages_column = QVBoxLayout(messages)
        messages_column.setContentsMargins(0, 0, 0, 0)
        messages_column.setSpacing(0)
        messages_column.addWidget(self.list_view, 1)
        messages_column.addWidget(self.load_more)
        self.preview = PreviewPane(theme)
        splitter = QSplitter()
        splitter.setObjectName("mainSplitter")
        splitter.addWidget(messages)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([380, 740])
        splitter.setChildrenCollapsible(False)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self._toolbar_widget)
        column.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self.status_label = QLabel(status_text)
        self.status_label.setObjectName("statusText")
        # No size grip: window edges resize on today's desktops, and Qt's offscreen platform
        # (tests, screenshots) warns about the grip's size hints.
        self.statusBar().setSizeGripEnabled(False)
        self.statusBar().addWidget(self.status_label, 1)
        self.policy_label = QLabel(policy_warning)
        self.policy_label.setObjectName("policyWarning")
        self.policy_label.setWordWrap(True)
        self.policy_label.setVisible(bool(policy_warning))
        self.statusBar().addPermanentWidget(self.policy_label)
        self.preview.show_nothing(text("preview.loading"))
        self._update_actions()
        for painted in (self.list_view.viewport(), self.preview, self._toolbar_widget):
            painted.installEventFilter(self)
        self._open_source = open_source
        self._status_text = status_text
        self.reload()

    def reload(self) -> None:
        """List the mailbox (again, after signing in to another one), off the GUI thread."""
        self._listing += 1
        self._next_offset, self._page_loading = None, False
        open_source = self._open_source
        self._runner.run(
            lambda: _listing(open_source),
            self._on_listed,
            channel="mailbox-listing",
            failure=self._on_list_failed,
            owner=self,
        )

    def _toolbar(self) -> QFrame:
        # A row of tool buttons rather than a QToolBar: nothing here is movable, and Qt's
        # offscreen platform (tests, screenshots) warns about a main window's tool bar.
        bar = QFrame()
        bar.setObjectName("mainToolbar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(10, 6, 10, 6)
        row.setSpacing(4)
        for name, icon, label in _ACTIONS:
            action = QAction(self._theme.icon(icon), text(label), self)
            shortcut = QKeySequence(SHORTCUTS[name])
            action.setShortcut(shortcut)
            shown = shortcut.toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(text("main.action_tip", action=text(label), shortcut=shown))
            action.triggered.connect(lambda _=False, chosen=name: self.compose(chosen))
            self.addAction(action)
            button = QToolButton()
            button.setObjectName(f"action_{name}")
            button.setDefaultAction(action)
            button.setIconSize(QSize(20, 20))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setAutoRaise(True)
            row.addWidget(button)
            self.actions_by_name[name] = action
        row.addStretch(1)
        if self._train is not None:
            self.training_action = self._tool_action(  # not a compose action: no shortcut
                "action_training",
                "signed",
                (text("training.title"), text("training.open_tip")),
                self._train,
                row,
            )
        if self._own_certificate is not None:
            self.certificate_action = self._tool_action(
                "action_certificate",
                "lock-closed",
                (text("identity_dialog.action"), text("identity_dialog.action_tip")),
                self._own_certificate,
                row,
            )
        if self._exchange_account is not None:
            self.exchange_action = self._tool_action(
                "action_exchange",
                "mail",
                (EXCHANGE_ACCOUNT, EXCHANGE_ACCOUNT_TIP),
                self._exchange_account,
                row,
            )
        return bar

    def _tool_action(
        self,
        name: str,
        icon: str,
        words: tuple[str, str],
        run: Callable[[], object],
        row: QHBoxLayout,
    ) -> QAction:
        """A tool button that is not a compose action; ``words`` are its label and tip."""
        label, tip = words
        action = QAction(self._theme.icon(icon), label, self)
        action.setToolTip(tip)
        action.triggered.connect(lambda _=False: run())
        button = QToolButton()
        button.setObjectName(name)
        button.setDefaultAction(action)
        button.setIconSize(QSize(20, 20))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setAutoRaise(True)
        row.addWidget(button)
        return action

    # -- first paint -------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._painted and event.type() == QEvent.Type.Paint:
            self._painted = True
            # Queued: the paint in progress finishes and is flushed before this runs.
            QTimer.singleShot(0, self.firstPainted.emit)
        return super().eventFilter(watched, event)

    # -- the list ----------------------------------------------------------------------------

    def _on_listed(self, listed: tuple[MailboxSource, MessagePage]) -> None:
        previous = self._source
        self._source, page = listed
        if previous is not None and previous is not self._source:
            # The mailbox listed before (another account's, say) lets go of its
            # connections; off the GUI thread, as closing may talk to the server.
            self._runner.run(previous.close, lambda _: None, failure=lambda _: None)
        messages = page.messages
        self.model.set_messages(messages)
        self._show_count()
        self._paged(page)
        if messages:
            self.list_view.setCurrentIndex(self.model.index(0))
        else:
            self.preview.show_nothing(text("preview.empty_mailbox"))
        self.messagesLoaded.emit(len(messages))

    def _show_count(self) -> None:
        assert self._source is not None
        self.status_label.setText(
            text("main.status", mailbox=self._source.name, count=self.model.rowCount())
            + (f"  ·  {self._status_text}" if self._status_text else "")
        )

    def _paged(self, page: MessagePage) -> None:
        """Remember where the next page starts and show it under the list."""
        listed = self.model.rowCount()
        self._next_offset = page.offset + len(page.messages) if page.more else None
        if page.more:
            self.load_more.show_more(listed)
        elif page.offset:
            self.load_more.show_all(listed)  # said only once paging has happened
        self.load_more.setVisible(page.more or page.offset > 0)

    def _on_list_failed(self, error: BaseException) -> None:
        self.preview.show_nothing(error_text(error))
        self.messagesLoaded.emit(0)

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
            owner=self,
        )

    def _on_page(self, listing: int, page: MessagePage) -> None:
        if listing != self._listing:
            return  # for a mailbox no longer shown
        self._page_loading = False
        focus_on_button = self.load_more.button.hasFocus()
        first_new = self.model.rowCount()
        added = self.model.append_messages(page.messages)
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

    def _on_selection(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        summary = self.model.summary(indexes[0].row()) if indexes else None
        self._detail = None
        self._update_actions()
        if summary is None or self._source is None:
            return
        source = self._source
        self._runner.run(
            lambda: source.fetch(summary.message_id),
            self._on_fetched,
            channel="preview",
            failure=lambda error: self.preview.show_nothing(error_text(error)),
            owner=self,
        )

    def _on_fetched(self, detail: MessageDetail) -> None:
        self._detail = detail
        self.preview.show_message(detail)
        self._update_actions()

    def _update_actions(self) -> None:
        for name in ("reply", "reply_all", "forward"):
            self.actions_by_name[name].setEnabled(self._detail is not None)

    @property
    def current_detail(self) -> MessageDetail | None:
        return self._detail

    def compose(self, action: str) -> None:
        """Open a compose window for ``action`` on the shown message."""
        if action != "new" and self._detail is None:
            return
        try:
            self._compose(action, None if action == "new" else self._detail)
        except Exception as error:  # the opener's errors are the user's to read, not a crash
            QMessageBox.warning(self, text("main.compose_failed"), error_text(error))


def _listing(open_source: Callable[[], MailboxSource]) -> tuple[MailboxSource, MessagePage]:
    source = open_source()
    return source, source.list_page(0)
