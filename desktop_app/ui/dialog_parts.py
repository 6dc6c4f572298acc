"""Parts the dialogs share: a busy bar, a message line, and the button row."""

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QProgressBar, QPushButton


def busy_bar() -> QProgressBar:
    """A thin bar that moves while work of unknown length runs; hidden until then."""
    bar = QProgressBar()
    bar.setRange(0, 0)  # busy: how long it takes is not known
    bar.setTextVisible(False)
    bar.setMaximumHeight(6)
    bar.hide()
    return bar


def message_label(object_name: str) -> QLabel:
    """The line that says how the work went: wrapped, selectable (to copy an error)."""
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def dialog_buttons(
    standard: QDialogButtonBox.StandardButton,
    action: str,
    object_name: str,
    run: Callable[[], None],
    reject: Callable[[], None],
) -> tuple[QDialogButtonBox, QPushButton]:
    """The row with the dialog's default ``action`` button beside ``standard`` (Close or
    Cancel, which rejects)."""
    buttons = QDialogButtonBox(standard)
    button = QPushButton(action)
    button.setObjectName(object_name)
    button.setDefault(True)
    buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
    button.clicked.connect(run)
    buttons.rejected.connect(reject)
    return buttons, button
