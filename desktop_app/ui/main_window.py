"""The main window: folders (Inbox, Drafts, Outbox, Sent), the mailbox's messages, the
preview, the menus, and the welcome page of a first run.

Keyboard shortcuts: New Ctrl+N, Reply Ctrl+R, Reply All Ctrl+Shift+R, Forward Ctrl+L
(as in Thunderbird; Ctrl+F stays free for Find); Save draft Ctrl+S, Quit Ctrl+Q and
Help F1 are Qt's standard keys. Signed messages are checked in the background after
listing, and their icon changes from "checking" to signed or a warning. A paged mailbox
(Exchange) lists its newest page first (``InboxPaging`` loads the older ones). Signals of
``MainWindow``: ``firstPainted()`` once, after the window first painted;
``messagesLoaded(int)`` with the number of messages listed; ``pageLoaded(int)`` with the
number a later page added; ``signaturesChecked(int)`` with the number of messages whose
signature was checked after listing.
"""

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QItemSelection, QObject, QSize, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QListView,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.messages import text
from desktop_app.services.mailbox.opening import check_signatures, checked_summary
from desktop_app.services.mailbox.source import (
    MessageDetail,
    MessageListSource,
    MessagePage,
    MessageSummary,
)
from desktop_app.services.paths import log_folder
from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.errors import error_text
from desktop_app.ui.folder_models import Folder, FolderListModel
from desktop_app.ui.folders_view import FolderReaders, FolderStack, folder_list_view
from desktop_app.ui.inbox_paging import InboxPaging
from desktop_app.ui.main_menus import MenuHandlers, build_menus
from desktop_app.ui.main_pages import MainPages
from desktop_app.ui.main_toolbar import SHORTCUTS as SHORTCUTS  # the compose actions' keys
from desktop_app.ui.main_toolbar import compose_actions, tool_action, toolbar
from desktop_app.ui.message_list import LoadMoreBar, MessageDelegate, MessageListModel
from desktop_app.ui.preview_pane import PreviewPane
from desktop_app.ui.theme import Theme
from desktop_app.ui.welcome_page import WelcomePage, WelcomeStep
from desktop_app.ui.window_places import fit_to_screen

EXCHANGE_ACCOUNT = text("exchange_mail.account_action")
EXCHANGE_ACCOUNT_TIP = text("exchange_mail.account_action_tip")

PREFERRED_SIZE = QSize(1180, 700)
ComposeOpener = Callable[[str, MessageDetail | None], object]


@dataclass(frozen=True, slots=True)
class WindowExtras:
    """What the window offers beyond the inbox: folder readers, menu items the
    application provides, and the first-run steps (None: never a welcome page)."""

    folders: FolderReaders | None = None
    menus: MenuHandlers = dataclasses.field(default_factory=MenuHandlers)
    welcome_steps: Callable[[], tuple[WelcomeStep, ...]] | None = None
    first_run: bool = False


class MainWindow(MainPages, InboxPaging, QMainWindow):
    """The mailbox view. ``open_source`` runs on the background thread (it may build the
    demo home); ``compose(action, detail)`` opens a compose window."""

    firstPainted = Signal()
    messagesLoaded = Signal(int)
    pageLoaded = Signal(int)
    signaturesChecked = Signal(int)

    def __init__(
        self,
        *,
        theme: Theme,
        runner: BackgroundRunner,
        open_source: Callable[[], MessageListSource],
        compose: ComposeOpener,
        status_text: str = "",
        policy_warning: str = "",
        train: Callable[[], object] | None = None,
        exchange_account: Callable[[], object] | None = None,
        own_certificate: Callable[[], object] | None = None,
        extras: WindowExtras | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._extras = extras or WindowExtras()
        self._train = train
        self._exchange_account = exchange_account
        self._own_certificate = own_certificate
        self.setObjectName("mainWindow")
        self.setWindowTitle(text("main.title"))
        fit_to_screen(self, PREFERRED_SIZE)
        self._theme = theme
        self._runner = runner
        self._compose = compose
        self._source: MessageListSource | None = None
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
        self.inbox_splitter = QSplitter()
        self.inbox_splitter.setObjectName("mainSplitter")
        self.inbox_splitter.addWidget(messages)
        self.inbox_splitter.addWidget(self.preview)
        self.inbox_splitter.setStretchFactor(1, 1)
        self.inbox_splitter.setSizes([360, 640])
        self.inbox_splitter.setChildrenCollapsible(False)
        self._welcome: WelcomePage | None = None  # made when first shown
        self.folders = FolderStack(theme, runner, self._extras.folders, self)
        self.folders.pages.addWidget(self.inbox_splitter)
        self.folder_model = self.folders.model
        self.folder_view = folder_list_view(self.folder_model)
        self.folder_view.selectionModel().currentChanged.connect(
            lambda current, _previous: self.show_folder(
                Folder(current.data(FolderListModel.FOLDER_ROLE) or Folder.INBOX)
            )
        )
        outer = QSplitter()
        outer.setObjectName("folderSplitter")
        outer.addWidget(self.folder_view)
        outer.addWidget(self.folders.pages)
        outer.setStretchFactor(1, 1)
        outer.setSizes([170, 1010])
        outer.setChildrenCollapsible(False)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self._toolbar_widget)
        column.addWidget(outer, 1)
        self.setCentralWidget(central)
        self.menu_actions = build_menus(self, self.actions_by_name, self._menu_handlers())
        # Tab goes folders, messages, then the message's text.
        QWidget.setTabOrder(self.folder_view, self.list_view)
        QWidget.setTabOrder(self.list_view, self.load_more.button)
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
        self.folders.status.connect(self.status_label.setText)
        self._update_actions()
        for painted in (self.list_view.viewport(), self.preview, self._toolbar_widget):
            painted.installEventFilter(self)
        self._open_source = open_source
        self._status_text = status_text
        # Listed once the window has painted: the worker reading the mailbox would
        # otherwise compete with the window's own start for the interpreter.
        self.firstPainted.connect(self.reload)

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
        self.actions_by_name.update(compose_actions(self, self._theme, self.compose))
        tools: dict[str, QAction] = {}
        if self._train is not None:
            words = (text("training.title"), text("training.open_tip"))
            self.training_action = tool_action(self, self._theme, "signed", words, self._train)
            tools["action_training"] = self.training_action
        if self._own_certificate is not None:
            words = (text("identity_dialog.action"), text("identity_dialog.action_tip"))
            self.certificate_action = tool_action(
                self, self._theme, "lock-closed", words, self._own_certificate
            )
            tools["action_certificate"] = self.certificate_action
        if self._exchange_account is not None:
            words = (EXCHANGE_ACCOUNT, EXCHANGE_ACCOUNT_TIP)
            self.exchange_action = tool_action(
                self, self._theme, "mail", words, self._exchange_account
            )
            tools["action_exchange"] = self.exchange_action
        return toolbar(self.actions_by_name, tools)

    def _menu_handlers(self) -> MenuHandlers:
        return dataclasses.replace(
            self._extras.menus,
            quit=QApplication.closeAllWindows,  # compose windows may still ask about drafts
            own_certificate=self._own_certificate,
            exchange_account=self._exchange_account,
            training=self._train,
            welcome=self.show_welcome if self._extras.welcome_steps is not None else None,
            shortcuts=self.show_shortcuts,
            log_folder=self.open_log_folder,
            about=self.show_about,
        )

    # -- help ------------------------------------------------------------------------------

    def show_shortcuts(self) -> QWidget:
        from desktop_app.ui.help_dialogs import ShortcutsDialog, menu_actions

        self.shortcuts_dialog = ShortcutsDialog(menu_actions(self.menuBar()), self)
        self.shortcuts_dialog.open()
        return self.shortcuts_dialog

    def show_about(self) -> QWidget:
        from desktop_app.ui.help_dialogs import about_box

        self.about_dialog = about_box(self)
        return self.about_dialog

    def open_log_folder(self) -> None:
        from desktop_app.ui.help_dialogs import open_folder

        folder = log_folder()
        if not open_folder(folder):
            self.status_label.setText(text("menu.log_folder_failed", folder=folder))

    # -- first paint -------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._painted and event.type() == QEvent.Type.Paint:
            self._painted = True
            # Queued: the paint in progress finishes and is flushed before this runs.
            QTimer.singleShot(0, self.firstPainted.emit)
        return super().eventFilter(watched, event)

    # -- the list ----------------------------------------------------------------------------

    def _on_listed(self, listed: tuple[MessageListSource, MessagePage]) -> None:
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
            if self.welcome_shown:  # a mailbox just connected from the welcome page
                self.show_folder(Folder.INBOX)
            self.list_view.setCurrentIndex(self.model.index(0))
        else:
            self.preview.show_nothing(text("preview.empty_mailbox"))
            if self._extras.first_run:
                self.show_welcome()
        self._check_signatures(messages)
        self.messagesLoaded.emit(len(messages))

    def _check_signatures(self, messages: tuple[MessageSummary, ...]) -> None:
        """Check the signatures of listed messages, after the preview's own fetch."""
        if self._source is None or not messages:
            return
        source, listing = self._source, self._listing
        self._runner.run(
            lambda: check_signatures(source, messages),
            lambda checked: self._on_signatures(listing, checked),
            failure=lambda _error: None,  # the icons keep saying "checking"; the preview tells
            owner=self,
        )

    def _on_signatures(self, listing: int, checked: tuple[MessageSummary, ...]) -> None:
        if listing != self._listing:
            return
        self.model.update_summaries(checked)
        self.signaturesChecked.emit(len(checked))

    def _show_count(self) -> None:
        assert self._source is not None
        self.folder_model.set_count(Folder.INBOX, self.model.rowCount())
        self.status_label.setText(
            text("main.status", mailbox=self._source.name, count=self.model.rowCount())
            + (f"  ·  {self._status_text}" if self._status_text else "")
        )

    def _on_list_failed(self, error: BaseException) -> None:
        self.preview.show_nothing(error_text(error))
        self.messagesLoaded.emit(0)

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
        self.model.update_summaries((checked_summary(detail),))
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


def _listing(open_source: Callable[[], MessageListSource]) -> tuple[MessageListSource, MessagePage]:
    source = open_source()
    return source, source.list_page(0)
