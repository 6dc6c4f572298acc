"""The main window: the mailbox's messages, the preview, and the compose actions.

Keyboard shortcuts: New Ctrl+N, Reply Ctrl+R, Reply All Ctrl+Shift+R, Forward Ctrl+L
(as in Thunderbird; Ctrl+F stays free for Find). Signals of ``MainWindow``:
``firstPainted()`` once, after the window first painted; ``messagesLoaded(int)`` with the
number of messages listed.
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
from desktop_app.services.mailbox.source import MailboxSource, MessageDetail, MessageSummary
from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.errors import error_text
from desktop_app.ui.message_list import MessageDelegate, MessageListModel
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

EXCHANGE_ACCOUNT = "Exchange account…"
EXCHANGE_ACCOUNT_TIP = "Sign in to Exchange: directory certificates, lists and sending"

ComposeOpener = Callable[[str, MessageDetail | None], object]


class MainWindow(QMainWindow):
    """The mailbox view. ``open_source`` runs on the background thread (it may build the
    demo home); ``compose(action, detail)`` opens a compose window."""

    firstPainted = Signal()
    messagesLoaded = Signal(int)

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
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._train = train
        self._exchange_account = exchange_account
        self.setObjectName("mainWindow")
        self.setWindowTitle(text("main.title"))
        self.resize(1120, 700)
        self._theme = theme
        self._runner = runner
        self._compose = compose
        self._source: MailboxSource | None = None
        self._detail: MessageDetail | None = None
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
        self.preview = PreviewPane(theme)
        splitter = QSplitter()
        splitter.setObjectName("mainSplitter")
        splitter.addWidget(self.list_view)
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
            train = self._train
            action = QAction(self._theme.icon("signed"), text("training.title"), self)
            action.setToolTip(text("training.open_tip"))
            action.triggered.connect(lambda _=False: train())
            button = QToolButton()
            button.setObjectName("action_training")
            button.setDefaultAction(action)
            button.setIconSize(QSize(20, 20))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setAutoRaise(True)
            row.addWidget(button)
            self.training_action = action  # not a compose action: no shortcut
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

    def _on_listed(self, listed: tuple[MailboxSource, tuple[MessageSummary, ...]]) -> None:
        self._source, messages = listed
        self.model.set_messages(messages)
        self.status_label.setText(
            text("main.status", mailbox=self._source.name, count=len(messages))
            + (f"  ·  {self._status_text}" if self._status_text else "")
        )
        if messages:
            self.list_view.setCurrentIndex(self.model.index(0))
        else:
            self.preview.show_nothing(text("preview.empty_mailbox"))
        self.messagesLoaded.emit(len(messages))

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


def _listing(
    open_source: Callable[[], MailboxSource],
) -> tuple[MailboxSource, tuple[MessageSummary, ...]]:
    source = open_source()
    return source, source.list_messages()
