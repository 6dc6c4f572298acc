"""The training window, wired: built-in scenarios plus the home's own, progress in the home."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.services.clock import utc_now
from desktop_app.services.paths import resource_folder

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from desktop_app.ui.background import BackgroundRunner
    from desktop_app.ui.theme import Theme


def training_window(
    home: Path, theme: Theme, runner: BackgroundRunner, clock: Callable[[], dt.datetime]
) -> QWidget:
    """The training window over the built-in scenarios and the home's training folder."""
    from desktop_app.services.training.progress_file import ProgressFile
    from desktop_app.services.training.scenarios import load_scenarios, user_training_folder
    from desktop_app.ui.training.window import TrainingWindow

    scenarios = load_scenarios(resource_folder() / "training", user_training_folder(home))
    return TrainingWindow(
        theme=theme,
        runner=runner,
        scenarios=scenarios,
        progress_file=ProgressFile(home),
        clock=clock,
    )


def run_training(home: Path) -> int:
    """``smime-guard train``: the training window alone, until it is closed."""
    from PySide6.QtWidgets import QApplication

    from desktop_app.ui.background import BackgroundRunner
    from desktop_app.ui.theme import Theme, system_prefers_dark

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("smime-guard")
    theme = Theme(resource_folder(), dark=system_prefers_dark(app))
    theme.apply(app)
    runner = BackgroundRunner()
    window = training_window(home, theme, runner, utc_now)
    window.show()
    try:
        return app.exec()
    finally:
        runner.shutdown()
