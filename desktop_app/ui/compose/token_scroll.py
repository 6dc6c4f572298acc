"""The scrolling part of a recipient field: it grows with its tokens, then scrolls."""

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QLineEdit, QScrollArea, QSizePolicy, QWidget

# A field grows with its tokens up to this many lines, then scrolls: with 200 recipients
# the editor and the fields below it stay in sight.
_MAX_LINES = 5


class TokenScroll(QScrollArea):
    """Holds the tokens and the editor: as tall as they are, up to ``_MAX_LINES`` lines.

    While the editor has the focus, new tokens scroll it back into sight (it comes last).
    """

    def __init__(
        self, area: QWidget, editor: QLineEdit, spacing: int, parent: QWidget | None = None
    ) -> None:
        """``spacing``: between the lines of tokens in ``area``."""
        super().__init__(parent)
        self.setObjectName("tokenScroll")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the editor and tokens in it are tab stops
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidgetResizable(True)
        self.setWidget(area)
        self._area = area
        self.viewport().setAutoFillBackground(False)  # the field row's background shows
        area.setAutoFillBackground(False)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._editor = editor
        self._spacing = spacing
        self.verticalScrollBar().rangeChanged.connect(self._follow_editor)

    def _line_height(self) -> int:
        return self._editor.sizeHint().height() + self._spacing

    def _cap(self) -> int:
        return _MAX_LINES * self._line_height()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return min(self._area.heightForWidth(width), self._cap())

    def sizeHint(self) -> QSize:
        return QSize(self._editor.minimumWidth(), self.heightForWidth(self.width()))

    def minimumSizeHint(self) -> QSize:
        return QSize(self._editor.minimumWidth(), self._line_height())

    def _follow_editor(self, _low: int, high: int) -> None:
        # The window's focus widget, not hasFocus(): that is False while the window is
        # not the active one, and the editor should still be in sight when it is again.
        if self.window().focusWidget() is self._editor:
            self.verticalScrollBar().setValue(high)
