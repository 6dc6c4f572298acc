"""Render the training window on the motivating Reply All scenario to a PNG file.

Run ``QT_QPA_PLATFORM=offscreen python tests/ui/training/make_screenshot.py`` from the
checkout to write ``packaging/screenshots/training.png`` (``--dark`` for the dark palette,
``--out DIR`` for another folder). The tests call ``render`` into their temporary folder.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
if str(REPO) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO))

from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop_app.core.training.schema import Decision  # noqa: E402
from desktop_app.services.paths import resource_folder  # noqa: E402
from desktop_app.services.training.progress_file import ProgressFile  # noqa: E402
from desktop_app.services.training.scenarios import load_scenarios  # noqa: E402
from desktop_app.ui.background import BackgroundRunner  # noqa: E402
from desktop_app.ui.theme import Theme  # noqa: E402
from desktop_app.ui.training.window import TrainingWindow  # noqa: E402
from tests.ui.make_screenshots import DEMO_NOW, grab, wait_until  # noqa: E402

MOTIVATING = "01-reply-all-mixed"


def render(out: Path, home: Path, *, dark: bool = False) -> Path:
    """Write ``training.png``: the motivating scenario after "Send encrypted"."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    theme = Theme(resource_folder(), dark=dark)
    theme.apply(app)
    runner = BackgroundRunner()
    window = TrainingWindow(
        theme=theme,
        runner=runner,
        scenarios=load_scenarios(resource_folder() / "training"),
        progress_file=ProgressFile(home),
        clock=lambda: DEMO_NOW,
        informer=lambda *_: None,
    )
    try:
        window.show()
        window.open_scenario(window.model.row_of(MOTIVATING))
        wait_until(lambda: window.page.ready and not runner.busy)
        window.page.decision_buttons[Decision.SEND_ENCRYPTED].click()
        return grab(window, out / "training.png")
    finally:
        window.close()
        runner.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "packaging" / "screenshots")
    parser.add_argument("--dark", action="store_true")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        print(render(arguments.out, Path(home), dark=arguments.dark))


if __name__ == "__main__":
    main()
