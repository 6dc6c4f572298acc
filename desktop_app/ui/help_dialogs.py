"""Help menu windows: About (versions of the app and the libraries it runs on) and the
list of keyboard shortcuts, read from the window's own actions so it cannot drift."""

from __future__ import annotations

import platform
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenu,
    QMenuBar,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app import __version__
from desktop_app.core.messages import text


def _library(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


def about_text() -> str:
    return text(
        "about.text",
        version=__version__,
        python=platform.python_version(),
        qt=qVersion(),
        pyside=pyside_version,
        cryptography=_library("cryptography"),
        asn1crypto=_library("asn1crypto"),
        exchangelib=_library("exchangelib"),
    )


def about_box(parent: QWidget) -> QMessageBox:
    box = QMessageBox(
        QMessageBox.Icon.Information, text("about.title"), about_text(), parent=parent
    )
    box.setObjectName("aboutBox")
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.open()
    return box


def menu_actions(bar: QMenuBar) -> list[QAction]:
    """Every action of the menu bar's menus, in menu order."""
    found: list[QAction] = []
    for menu_action in bar.actions():
        menu = menu_action.menu()
        if isinstance(menu, QMenu):
            found += [action for action in menu.actions() if not action.isSeparator()]
    return found


def shortcut_rows(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    """(action, keys) for every action with a shortcut, in menu order, without repeats."""
    rows: list[tuple[str, str]] = []
    for action in actions:
        keys = ", ".join(
            sequence.toString(QKeySequence.SequenceFormat.NativeText)
            for sequence in action.shortcuts()
            if not sequence.isEmpty()
        )
        name = action.text().replace("&", "").removesuffix("…")
        if keys and (name, keys) not in rows:
            rows.append((name, keys))
    return rows


class ShortcutsDialog(QDialog):
    """A two-column table: what an action does and its keys."""

    def __init__(self, actions: Iterable[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(text("shortcuts.title"))
        rows = shortcut_rows(actions)
        self.table = QTableWidget(len(rows), 2)
        self.table.setObjectName("shortcutsTable")
        self.table.setHorizontalHeaderLabels([text("shortcuts.action"), text("shortcuts.keys")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for row, (name, keys) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(name))
            self.table.setItem(row, 1, QTableWidgetItem(keys))
        self.table.resizeColumnToContents(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(460, 420)


def open_folder(folder: Path) -> bool:
    """Show ``folder`` in the desktop's file manager (made first if it does not exist)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
