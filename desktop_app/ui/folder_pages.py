"""The Drafts, Outbox and Sent views: a list of records read in the background.

Signals of ``RecordsPage``: ``activated(object)`` with the record double-clicked or
acted on with the page's button; ``listed(int)`` with how many records a reading found.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.errors import error_text
from desktop_app.ui.folder_models import _RecordModel
from desktop_app.ui.list_icons import VisibleIconDelegate


class RecordsPage(QWidget):
    """One folder view: its title, its records, what to say when empty, and one button."""

    activated = Signal(object)
    listed = Signal(int)

    def __init__(
        self,
        name: str,
        title: str,
        model: _RecordModel[Any],
        read: Callable[[], tuple[Any, ...]],
        runner: BackgroundRunner,
        *,
        empty: str,
        button: tuple[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}Page")
        self.model = model
        self._read = read
        self._runner = runner
        self._name = name
        self._empty = empty
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 12, 16, 12)
        column.setSpacing(8)
        heading = QLabel(title)
        heading.setObjectName("folderTitle")
        column.addWidget(heading)
        self.note = QLabel()
        self.note.setObjectName("folderNote")
        self.note.setWordWrap(True)
        column.addWidget(self.note)
        self.list_view = QListView()
        self.list_view.setObjectName(f"{name}List")
        self.list_view.setModel(model)
        self.list_view.setItemDelegate(VisibleIconDelegate(self.list_view))
        self.list_view.setIconSize(QSize(20, 20))
        self.list_view.setSpacing(2)
        self.list_view.setWordWrap(True)
        self.list_view.setAccessibleName(title)
        self.list_view.doubleClicked.connect(lambda index: self._activate(index.row()))
        column.addWidget(self.list_view, 1)
        self.button: QPushButton | None = None
        if button is not None:
            label, tip = button
            row = QHBoxLayout()
            row.addStretch(1)
            self.button = QPushButton(label)
            self.button.setObjectName(f"{name}Action")
            self.button.setToolTip(tip)
            self.button.clicked.connect(self._on_button)
            row.addWidget(self.button)
            column.addLayout(row)

    def refresh(self) -> None:
        """Read the folder again, off the GUI thread."""
        read = self._read
        self._runner.run(
            read,
            self._on_read,
            channel=f"folder-{self._name}",
            failure=self._on_failed,
            owner=self,
        )

    def _on_read(self, records: tuple[Any, ...]) -> None:
        self.model.set_records(records)
        self.note.setText("" if records else self._empty)
        self.note.setVisible(not records)
        if records:
            self.list_view.setCurrentIndex(self.model.index(0))
        self.listed.emit(len(records))

    def _on_failed(self, error: BaseException) -> None:
        self.model.set_records(())
        self.note.setText(error_text(error))
        self.note.show()
        self.listed.emit(0)

    def show_note(self, words: str) -> None:
        self.note.setText(words)
        self.note.setVisible(bool(words))

    def _on_button(self) -> None:
        self._activate(self.list_view.currentIndex().row())

    def _activate(self, row: int) -> None:
        self.activated.emit(self.model.record(row))
