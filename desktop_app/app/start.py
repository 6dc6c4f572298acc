"""Starting the desktop application: the home folder (the demo's built on first run), the
policy, the theme, and the main window until it is closed.

Only what the first paint needs is imported before the window shows.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

from desktop_app.app.application import Application
from desktop_app.services.clock import utc_now
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.paths import home_folder, resource_folder
from desktop_app.services.policy_files import load_policy

DEMO_FOLDER = "demo"
# The GUI thread and the one background helper share the interpreter lock. Whenever the
# GUI thread lets go of it (many Qt calls do) while the helper is busy in Python (judging
# certificates, reading revocation lists), it waits up to this long to get it back; at
# Python's default of 5 ms, pasting 200 recipients queued up such waits into event-loop
# stalls over 50 ms. The cost, a little more switching on the helper's side, did not
# show in the CPU time of tests/benchmarks/bench_gui.py (README, "Revocation").
GUI_SWITCH_INTERVAL_S = 0.001


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


def share_the_interpreter_lock_quickly() -> None:
    """Make a thread waiting for the interpreter lock get it sooner (see above)."""
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)


def set_start_up_objects_aside() -> None:
    """Leave what start-up made (modules, classes, Qt wrappers: most objects of the
    process, and kept for its life) out of later garbage collections.

    A full collection walks every object the collector tracks while holding the
    interpreter lock, on whichever thread happens to trigger it; with the start-up
    objects in, one took 40 ms in the middle of a 200-recipient paste. Nearly all of them
    live as long as the process; the few that may later end up in a garbage cycle are not
    freed, a small and bounded cost. Freezing is a moment's work (the lists are joined,
    nothing is walked), so the GUI thread can do it.
    """
    gc.freeze()


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
    share_the_interpreter_lock_quickly()
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
    access = MailAccess(home)
    application = Application(app, access=access, demo_user=demo_user, policy=policy, theme=theme)
    window = application.main_window()
    if arguments.measure_startup:

        def report() -> None:
            print(f"first_paint_ms: {round((time.monotonic() - started) * 1000)}", flush=True)
            app.quit()

        window.firstPainted.connect(report)
    # After the first paint (and its measurement): what start-up made is in by then.
    window.firstPainted.connect(set_start_up_objects_aside)
    window.show()
    try:
        return app.exec()
    finally:
        application.shutdown()
