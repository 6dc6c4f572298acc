"""The main window's menu bar, in the order desktop mail programs use, with Qt's standard
shortcuts where one exists (New, Save, Quit, Help) and Thunderbird's for replies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from desktop_app.core.messages import text

Run = Callable[[], object]


@dataclass(frozen=True, slots=True)
class MenuHandlers:
    """What the menus start; a missing one leaves its item out (the demo has no account)."""

    save_draft: Run | None = None
    settings: Run | None = None
    quit: Run | None = None
    certificates: Run | None = None
    own_certificate: Run | None = None
    exchange_account: Run | None = None
    mail_account: Run | None = None
    training: Run | None = None
    welcome: Run | None = None
    shortcuts: Run | None = None
    log_folder: Run | None = None
    about: Run | None = None


# Menu entries that are not compose actions: (name, words, keys or None). Keys are Qt's
# standard key where the platform defines one, else the usual keys (Qt's offscreen and
# minimal platforms define no Quit key).
_FILE = (
    ("save_draft", "menu.save_draft", (QKeySequence.StandardKey.Save, "Ctrl+S")),
    ("settings", "menu.settings", (QKeySequence.StandardKey.Preferences, "")),
    ("quit", "menu.quit", (QKeySequence.StandardKey.Quit, "Ctrl+Q")),
)
_TOOLS = (
    ("certificates", "menu.certificates", None),
    ("own_certificate", "menu.my_certificate", None),
    ("exchange_account", "menu.exchange_account", None),
    ("mail_account", "accounts.menu_mail_account", None),
    ("training", "menu.training", None),
)
_HELP = (
    ("welcome", "menu.welcome", None),
    ("shortcuts", "menu.shortcuts", (QKeySequence.StandardKey.HelpContents, "F1")),
    ("log_folder", "menu.log_folder", None),
    ("about", "menu.about", None),
)


def standard_keys(standard: QKeySequence.StandardKey, usual: str) -> list[QKeySequence]:
    """The platform's keys for ``standard``, else ``usual`` (none when it is empty)."""
    keys = QKeySequence.keyBindings(standard)
    if keys:
        return list(keys)
    return [QKeySequence(usual)] if usual else []


def build_menus(
    window: QMainWindow, compose_actions: dict[str, QAction], handlers: MenuHandlers
) -> dict[str, QAction]:
    """Fill ``window``'s menu bar; returns the new actions by name (compose actions are
    reused, so each shortcut belongs to one action)."""
    bar = window.menuBar()
    bar.setObjectName("mainMenuBar")
    made: dict[str, QAction] = {}

    def add(menu: QMenu, entries: tuple[tuple[str, str, object], ...]) -> None:
        for name, words, shortcut in entries:
            run = getattr(handlers, name)
            if run is None:
                continue
            action = QAction(text(words), window)
            action.setObjectName(f"menu_{name}")
            if isinstance(shortcut, tuple):
                action.setShortcuts(standard_keys(*shortcut))
            action.triggered.connect(lambda _=False, chosen=run: chosen())
            window.addAction(action)
            menu.addAction(action)
            made[name] = action

    file_menu = bar.addMenu(text("menu.file"))
    file_menu.setObjectName("menuFile")
    file_menu.addAction(compose_actions["new"])
    add(file_menu, _FILE[:2])
    file_menu.addSeparator()
    add(file_menu, _FILE[2:])
    message_menu = bar.addMenu(text("menu.message"))
    message_menu.setObjectName("menuMessage")
    for name in ("reply", "reply_all", "forward"):
        message_menu.addAction(compose_actions[name])
    tools_menu = bar.addMenu(text("menu.tools"))
    tools_menu.setObjectName("menuTools")
    add(tools_menu, _TOOLS)
    help_menu = bar.addMenu(text("menu.help"))
    help_menu.setObjectName("menuHelp")
    add(help_menu, _HELP[:3])
    help_menu.addSeparator()
    add(help_menu, _HELP[3:])
    return made
