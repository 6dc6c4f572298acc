"""A recipient field: tokens from its list model, then an editor for the next addresses.

Text becomes tokens on a comma or semicolon (outside quotes and brackets), on Enter, on
leaving the field and on paste. Backspace in an empty editor removes the last token.
"""

import time

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from desktop_app.core.messages import text
from desktop_app.core.recipients.address_entries import split_elements
from desktop_app.ui.compose.flow_layout import FlowLayout
from desktop_app.ui.compose.presentation import token_accessible_name
from desktop_app.ui.compose.recipient_model import RecipientListModel
from desktop_app.ui.compose.token_scroll import TokenScroll
from desktop_app.ui.status_icons import TokenState

_Index = QModelIndex | QPersistentModelIndex
# How long one batch of token updates may hold the GUI thread. With the layout and paint
# that follow it, a turn of the event loop stays well under the 50 ms the window allows.
_BATCH_SECONDS = 0.006
# Up to this many tokens to add or redo are done at once, in the change's own turn of
# the event loop (typing never shows a frame without its token); more wait for the next.
_AT_ONCE = 10
_SPACING = 6  # between tokens, and between their lines


def _open_element(value: str) -> bool:
    """True while the text ends inside quotes, angle brackets or a comment."""
    probe = value + ",x"
    return split_elements(probe)[-1:] != ["x"]


class TokenEditor(QLineEdit):
    """The editor after the tokens; commits what was typed at separators."""

    commit = Signal(str)
    removeLast = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tokenEditor")
        self.setFrame(False)
        self.setMinimumWidth(140)
        self.textEdited.connect(self._on_edited)

    def _on_edited(self, value: str) -> None:
        if (value and value[-1] in ",;" and not _open_element(value[:-1])) or "\n" in value:
            self.take()

    def take(self) -> None:
        value = self.text()
        if value.strip(" ,;"):
            self.clear()
            self.commit.emit(value)
        else:
            self.clear()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.take()
            return
        if event.key() == Qt.Key.Key_Backspace and not self.text():
            self.removeLast.emit()
            return
        super().keyPressEvent(event)
        if event.matches(QKeySequence.StandardKey.Paste):
            self.take()  # a pasted list becomes tokens at once

    def focusOutEvent(self, event: QFocusEvent) -> None:
        # The completion pop-up takes the focus for a moment: the typing goes on.
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.take()
        super().focusOutEvent(event)


class TokenField(QWidget):
    """A labelled row of recipient tokens over a ``RecipientListModel``.

    The model is the truth and changes at once (the verdict covers every recipient the
    moment a list is pasted); the tokens catch up with it in batches of a few
    milliseconds each, one per turn of the event loop, so 200 pasted addresses never
    freeze the window.

    Signals:
        tokenActivated(int): a token was clicked (row in the model).
    """

    tokenActivated = Signal(int)

    def __init__(
        self, label: str, model: RecipientListModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("fieldRow")
        self.model = model
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 6, 12, 6)
        row.setSpacing(8)
        caption = QLabel(label)
        caption.setObjectName("fieldLabel")
        caption.setFixedWidth(58)
        caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        caption.setContentsMargins(0, 5, 0, 0)
        row.addWidget(caption)
        self._area = QWidget()
        self._area.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._flow = FlowLayout(self._area, spacing=_SPACING)
        self.editor = TokenEditor()
        self.editor.commit.connect(self.model.add_text)
        self.editor.removeLast.connect(self._remove_last)
        self._flow.addWidget(self.editor)
        self.token_scroll = TokenScroll(self._area, self.editor, _SPACING)
        row.addWidget(self.token_scroll, 1)
        # Token i shows row i; tokens exist for a prefix of the rows, and ``_stale`` holds
        # the rows among them whose token shows older data.
        self._buttons: list[QPushButton] = []
        self._stale: set[int] = set()
        self._next_batch = QTimer(self)
        self._next_batch.setSingleShot(True)
        self._next_batch.setInterval(0)
        self._next_batch.timeout.connect(self._catch_up)
        model.rowsInserted.connect(self._on_rows_inserted)
        model.rowsRemoved.connect(self._on_rows_removed)
        model.modelReset.connect(self._on_reset)
        model.dataChanged.connect(self._on_data_changed)
        self._catch_up()

    def tokens(self) -> list[QPushButton]:
        return list(self._buttons)

    @property
    def up_to_date(self) -> bool:
        """True when every row has its token and every token shows its row's data."""
        return not self._stale and len(self._buttons) == self.model.rowCount()

    def _make_button(self) -> QPushButton:
        button = QPushButton()
        button.setObjectName("token")
        button.setAutoDefault(False)
        button.setIconSize(QSize(16, 16))
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        button.clicked.connect(lambda: self._activate(button))
        button.customContextMenuRequested.connect(lambda _: self._menu(button))
        return button

    # -- following the model ---------------------------------------------------------------

    def _on_rows_inserted(self, _parent: _Index, first: int, _last: int) -> None:
        # The tokens from ``first`` on now stand at rows that show other recipients.
        self._stale = {row for row in self._stale if row < first}
        self._stale.update(range(first, len(self._buttons)))
        self._follow()

    def _on_rows_removed(self, _parent: _Index, first: int, last: int) -> None:
        for row in reversed(range(first, min(last + 1, len(self._buttons)))):
            button = self._buttons.pop(row)
            self._flow.removeWidget(button)
            button.hide()  # not painted again where it stood until it is deleted
            button.deleteLater()
        gone = last - first + 1  # the tokens after them move up with their rows
        self._stale = {
            row if row < first else row - gone for row in self._stale if row < first or row > last
        }
        self._relayout()
        self._follow()

    def _on_reset(self) -> None:
        self._on_rows_removed(QModelIndex(), 0, len(self._buttons) - 1)

    def _on_data_changed(self, top_left: _Index, bottom_right: _Index) -> None:
        self._stale.update(range(top_left.row(), min(bottom_right.row() + 1, len(self._buttons))))
        self._follow()

    def _follow(self) -> None:
        """Catch up with a change: at once for a few tokens, else from the next turn on.

        A paste's own turn already parses the list and applies the rule to every
        recipient; its tokens follow in the turns after it.
        """
        if self._next_batch.isActive():
            return  # the queued batch will see this change too
        if len(self._stale) + self.model.rowCount() - len(self._buttons) <= _AT_ONCE:
            self._catch_up()
        else:
            self._next_batch.start()

    def _catch_up(self) -> None:
        """Bring tokens up to the model for one batch's time; the next batch is queued.

        Shown tokens with old data come first, then new tokens in row order. The layout is
        off during a batch and runs once after it: each new token shown with it on would
        lay the whole field out again (200 pasted addresses meant 200 full passes).
        """
        if self.up_to_date:
            return
        deadline = time.perf_counter() + _BATCH_SECONDS
        self._flow.setEnabled(False)
        done = 0
        for row in sorted(self._stale):
            if done and time.perf_counter() > deadline:
                break
            self._stale.discard(row)
            self._update(row)
            done += 1
        while len(self._buttons) < self.model.rowCount():
            if done and time.perf_counter() > deadline:
                break
            button = self._make_button()
            self._flow.insertWidget(len(self._buttons), button)
            self._buttons.append(button)
            self._update(len(self._buttons) - 1)
            button.show()  # after _update: styled by its state once, when first shown
            done += 1
        self._flow.setEnabled(True)
        self._flow.activate()  # new tokens take their places before the next paint
        self._relayout()
        if not self.up_to_date:
            self._next_batch.start()

    def _relayout(self) -> None:
        # New texts change the tokens' widths, and so where the lines wrap and how tall
        # the field is.
        self._flow.invalidate()
        self._area.updateGeometry()
        self.token_scroll.updateGeometry()
        self.updateGeometry()

    def _update(self, row: int) -> None:
        button = self._buttons[row]
        index = self.model.index(row)
        label = str(index.data(Qt.ItemDataRole.DisplayRole))
        resized = label != button.text()  # every icon is 16 x 16: only the text changes size
        button.setText(label)
        button.setIcon(index.data(Qt.ItemDataRole.DecorationRole))
        tooltip = str(index.data(Qt.ItemDataRole.ToolTipRole) or "")
        button.setToolTip(tooltip)
        state = str(index.data(RecipientListModel.STATE_ROLE))
        button.setAccessibleName(token_accessible_name(label, TokenState(state)))
        button.setAccessibleDescription(tooltip)
        if button.property("tokenState") != state:
            button.setProperty("tokenState", state)
            resized = True  # the state's style may change padding and font weight
            if button.isVisible():  # a hidden button is polished when it is first shown
                button.style().unpolish(button)
                button.style().polish(button)
        if resized:
            button.adjustSize()

    def _activate(self, button: QPushButton) -> None:
        if button in self._buttons:
            self.tokenActivated.emit(self._buttons.index(button))

    def _menu(self, button: QPushButton) -> None:
        if button not in self._buttons:
            return
        menu = QMenu(self)
        remove = menu.addAction(text("compose.remove_recipient"))
        remove.triggered.connect(lambda: self.remove_token(button))
        menu.popup(button.mapToGlobal(button.rect().bottomLeft()))

    def remove_token(self, button: QPushButton) -> None:
        if button in self._buttons:
            self.model.remove_row(self._buttons.index(button))

    def _remove_last(self) -> None:
        if self.model.rowCount():
            self.model.remove_row(self.model.rowCount() - 1)

    def edit_row(self, row: int) -> None:
        """Put a token's text back into the editor (for an invalid one)."""
        entry = self.model.remove_row(row)
        self.editor.setText(entry.written)
        self.editor.setFocus()

    def sizeHint(self) -> QSize:
        return self.minimumSizeHint()
