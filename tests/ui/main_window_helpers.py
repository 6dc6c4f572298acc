"""Helpers for the main window tests: the demo application, listed and checked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QAccessible, QColor, QIcon, QImage
from PySide6.QtWidgets import QApplication, QListView, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.app.application import Application
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.message_list import MessageListModel
from tests.ui.make_screenshots import demo_application


@pytest.fixture
def demo(qapp: QApplication, demo_copy: Path) -> Iterator[Application]:
    app = demo_application(qapp, demo_copy)
    yield app
    for window in list(app.compose_windows):
        window.discard()
    if app.window is not None:
        app.window.close()
    app.shutdown()


def shown_and_checked(qtbot: QtBot, app: Application) -> MainWindow:
    """The main window, listed, with the listed signatures checked."""
    window = app.main_window()
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.signaturesChecked, timeout=20_000):
        window.show()
    return window


def row_of(model: MessageListModel, subject: str) -> int:
    rows = range(model.rowCount())
    return next(row for row in rows if model.summary(row).subject == subject)  # type: ignore[union-attr]


def same_icon(found: object, expected: QIcon) -> bool:
    return isinstance(found, QIcon) and found.cacheKey() == expected.cacheKey()


def _differing_pixels(image: QImage, rect: QRect, colour: QColor) -> int:
    """Pixels of ``rect`` far from ``colour`` (the icon's own, or its chip's)."""
    count = 0
    for x in range(rect.left(), rect.right() + 1):
        for y in range(rect.top(), rect.bottom() + 1):
            pixel = image.pixelColor(x, y)
            distance = abs(pixel.red() - colour.red()) + abs(pixel.green() - colour.green())
            if distance + abs(pixel.blue() - colour.blue()) > 120:
                count += 1
    return count


def icon_stays_visible(view: QListView, row: int, icon_rect: QRect) -> bool:
    """Whether most of the icon's square on the selected ``row`` stands out from the
    selection colour (a blue lock on the blue selection does not)."""
    view.setCurrentIndex(view.model().index(row, 0))
    view.viewport().repaint()
    image = view.viewport().grab().toImage()
    highlight = view.palette().color(view.palette().ColorRole.Highlight)
    return (
        _differing_pixels(image, icon_rect, highlight) > icon_rect.width() * icon_rect.height() // 3
    )


def accessible_names(widget: QWidget) -> list[str]:
    """What a screen reader reads for each item of a list or table, through QAccessible."""
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    names = []
    for number in range(interface.childCount()):
        child = interface.child(number)
        if child is not None and child.role() in (QAccessible.Role.ListItem, QAccessible.Role.Cell):
            names.append(child.text(QAccessible.Text.Name))
    return names
