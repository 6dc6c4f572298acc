"""The main window's row of tool buttons and the compose actions it shares with the menus."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFrame, QHBoxLayout, QToolButton, QWidget

from desktop_app.core.messages import text
from desktop_app.ui.theme import Theme

# Compose actions by name, as the compose opener receives them ("new", "reply", ...).
SHORTCUTS = {
    "new": "Ctrl+N",
    "reply": "Ctrl+R",
    "reply_all": "Ctrl+Shift+R",
    "forward": "Ctrl+L",
}
# Where Qt has a standard key it is used (the same keys on Linux and Windows).
STANDARD_KEYS = {"new": QKeySequence.StandardKey.New}
_ACTIONS = (
    ("new", "compose", "main.new", "menu.new"),
    ("reply", "reply", "main.reply", "menu.reply"),
    ("reply_all", "reply-all", "main.reply_all", "menu.reply_all"),
    ("forward", "forward", "main.forward", "menu.forward"),
)


def compose_actions(
    window: QWidget, theme: Theme, compose: Callable[[str], None]
) -> dict[str, QAction]:
    """New, Reply, Reply All and Forward, with their shortcuts, added to ``window``."""
    made: dict[str, QAction] = {}
    for name, icon, label, menu_words in _ACTIONS:
        action = QAction(theme.icon(icon), text(menu_words), window)
        action.setIconText(text(label))  # the tool button's shorter words
        action.setObjectName(f"menu_{name}")
        if name in STANDARD_KEYS and QKeySequence.keyBindings(STANDARD_KEYS[name]):
            action.setShortcuts(STANDARD_KEYS[name])
        else:
            action.setShortcut(QKeySequence(SHORTCUTS[name]))
        shown = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(text("main.action_tip", action=text(label), shortcut=shown))
        action.triggered.connect(lambda _=False, chosen=name: compose(chosen))
        window.addAction(action)
        made[name] = action
    return made


def _button(name: str, action: QAction) -> QToolButton:
    button = QToolButton()
    button.setObjectName(name)
    button.setDefaultAction(action)
    button.setIconSize(QSize(20, 20))
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    button.setAutoRaise(True)
    return button


def tool_action(
    window: QWidget, theme: Theme, icon: str, words: tuple[str, str], run: Callable[[], object]
) -> QAction:
    """An action that is not a compose action (no shortcut); ``words``: label and tip."""
    label, tip = words
    action = QAction(theme.icon(icon), label, window)
    action.setToolTip(tip)
    action.triggered.connect(lambda _=False: run())
    return action


def toolbar(compose: dict[str, QAction], tools: dict[str, QAction]) -> QFrame:
    """Compose actions on the left, tools (training, certificate, account) on the right.

    A row of tool buttons rather than a QToolBar: nothing here is movable, and Qt's
    offscreen platform (tests, screenshots) warns about a main window's tool bar.
    """
    bar = QFrame()
    bar.setObjectName("mainToolbar")
    row = QHBoxLayout(bar)
    row.setContentsMargins(10, 6, 10, 6)
    row.setSpacing(4)
    for name, action in compose.items():
        row.addWidget(_button(f"action_{name}", action))
    row.addStretch(1)
    for name, action in tools.items():
        row.addWidget(_button(name, action))
    return bar
