"""Where windows open and file choosers start: sized to the screen the window is on, and
in the user's documents folder rather than wherever the program was started from."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, QSize, QStandardPaths
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Room for the title bar and frame the window manager adds around the window's content.
FRAME_ALLOWANCE = QSize(16, 48)


def available_area(window: QWidget) -> QRect:
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(window: QWidget, preferred: QSize, area: QRect | None = None) -> QSize:
    """Resize ``window`` to ``preferred``, or less so that it and its frame fit in ``area``
    (the available part of its screen: without task bars), and centre it there.

    Returns the size chosen. The window's own minimum size still applies.
    """
    area = area or available_area(window)
    width = min(preferred.width(), area.width() - FRAME_ALLOWANCE.width())
    height = min(preferred.height(), area.height() - FRAME_ALLOWANCE.height())
    size = QSize(max(width, window.minimumWidth()), max(height, window.minimumHeight()))
    window.resize(size)
    left = area.x() + max(0, (area.width() - size.width()) // 2)
    top = area.y() + max(0, (area.height() - size.height() - FRAME_ALLOWANCE.height()) // 2)
    window.move(left, top)
    return size


def documents_folder() -> str:
    """Where file choosers start: the documents folder, else the home folder."""
    for location in (
        QStandardPaths.StandardLocation.DocumentsLocation,
        QStandardPaths.StandardLocation.HomeLocation,
    ):
        folder = QStandardPaths.writableLocation(location)
        if folder and Path(folder).is_dir():
            return folder
    return str(Path.home())
