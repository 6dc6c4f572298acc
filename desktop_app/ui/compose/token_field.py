"""A recipient field: tokens from its list model, then an editor for the next addresses.

Text becomes tokens on a comma or semicolon (outside quotes and brackets), on Enter, on
leaving the field and on paste. Backspace in an empty editor removes the last token.
"""

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
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
from desktop_app.ui.compose.flow_layout import FlowLayout
from desktop_app.ui.compose.recipient_model import RecipientListModel, split_elements

_Index = QModelIndex | QPersistentModelIndex


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
        self.take()
        super().focusOutEvent(event)


class TokenField(QWidget):
    """A labelled row of recipient tokens over a ``RecipientListModel``.

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
        self._flow = FlowLayout(self._area, spacing=6)
        row.addWidget(self._area, 1)
        self.editor = TokenEditor()
        self.editor.commit.connect(self.model.add_text)
        self.editor.removeLast.connect(self._remove_last)
        self._flow.addWidget(self.editor)
        self._buttons: list[QPushButton] = []
        model.rowsInserted.connect(self._rebuild)
        model.rowsRemoved.connect(self._rebuild)
        model.modelReset.connect(self._rebuild)
        model.dataChanged.connect(self._on_data_changed)
        self._rebuild()

    def tokens(self) -> list[QPushButton]:
        return list(self._buttons)

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

    def _rebuild(self) -> None:
        # Each queued show of a new token would lay the whole field out again: 200 pasted
        # addresses meant about 200 full passes (a 400 ms stall). Show them at once with
        # the layout off, then lay out once.
        self._flow.setEnabled(False)
        while len(self._buttons) > self.model.rowCount():
            button = self._buttons.pop()
            self._flow.removeWidget(button)
            button.deleteLater()
        new: list[QPushButton] = []
        while len(self._buttons) < self.model.rowCount():
            button = self._make_button()
            self._flow.insertWidget(len(self._buttons), button)
            self._buttons.append(button)
            new.append(button)
        for row in range(len(self._buttons)):
            self._update(row)
        for button in new:
            button.show()  # after _update: styled by its state once, when first shown
        self._flow.setEnabled(True)
        self._relayout()

    def _on_data_changed(self, top_left: _Index, bottom_right: _Index) -> None:
        for row in range(top_left.row(), bottom_right.row() + 1):
            if 0 <= row < len(self._buttons):
                self._update(row)
        self._relayout()

    def _relayout(self) -> None:
        # New texts change the tokens' widths, and so where the lines wrap and how tall
        # the field is.
        self._flow.invalidate()
        self._area.updateGeometry()
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
        button.setAccessibleName(label)
        button.setAccessibleDescription(tooltip)
        state = str(index.data(RecipientListModel.STATE_ROLE))
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
