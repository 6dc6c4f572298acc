"""Starting the desktop application: the home folder (the demo's built on first run), the
policy, the theme, and the main window until it is closed.

Only what the first paint needs is imported before the window shows.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from desktop_app.app import Application
from desktop_app.services.clock import utc_now
from desktop_app.services.paths import home_folder, resource_folder
from desktop_app.services.policy_files import load_policy

DEMO_FOLDER = "demo"


def process_started() -> float:
    """When this process started, on the ``time.monotonic`` clock (Linux), else now.

    Linux counts a process's start in clock ticks since boot, on the same clock as
    CLOCK_BOOTTIME; the difference to now is the time spent so far, interpreter included.
    """
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        ticks = int(fields[19])
        since = time.clock_gettime(time.CLOCK_BOOTTIME) - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return time.monotonic()
    return time.monotonic() - since


def _home_for(arguments: argparse.Namespace) -> Path:
    if arguments.demo and not arguments.home:
        return home_folder(None) / DEMO_FOLDER
    return home_folder(arguments.home)


def wants_dark(home: Path, system_dark: bool) -> bool:
    """The appearance setting of ``home``: light, dark, or as the system says."""
    from desktop_app.services.settings import APPEARANCE, Appearance, Settings

    chosen = Settings(home).get(APPEARANCE)
    return system_dark if chosen is Appearance.SYSTEM else chosen is Appearance.DARK


def run_gui(arguments: argparse.Namespace, started: float | None = None) -> int:
    """Show the main window until it is closed; ``--measure-startup`` prints the time to
    its first paint (``first_paint_ms: N``) and exits."""
    started = process_started() if started is None else started
    home = _home_for(arguments)
    demo_user: tuple[str, str] | None = None
    if arguments.demo:
        from desktop_app.services.demo.home import ensure_demo_home, ready_demo_home

        demo = ready_demo_home(home) or ensure_demo_home(
            home, resource_folder() / "demo", utc_now()
        )
        demo_user = (demo.user_name, demo.user_address)
    policy = load_policy(home)

    from PySide6.QtWidgets import QApplication

    from desktop_app.ui.theme import Theme, system_prefers_dark

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("smime-guard")
    theme = Theme(resource_folder(), dark=wants_dark(home, system_prefers_dark(app)))
    theme.apply(app)
    application = Application(app, home=home, demo_user=demo_user, policy=policy, theme=theme)
    window = application.main_window()
    if arguments.measure_startup:

        def report() -> None:
            print(f"first_paint_ms: {round((time.monotonic() - started) * 1000)}", flush=True)
            app.quit()

        window.firstPainted.connect(report)
    window.show()
    try:
        return app.exec()
    finally:
        application.shutdown()
