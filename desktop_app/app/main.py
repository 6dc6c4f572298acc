"""The ``smime-guard`` program: the command line, with the main window and the training
window as its window commands. Each window loads only when it is asked for."""

import argparse
from collections.abc import Sequence
from pathlib import Path

from desktop_app.cli import run_command_line
from desktop_app.cli.windows import WindowCommands


def _main_window(arguments: argparse.Namespace) -> int:
    from desktop_app.app.start import run_gui

    return run_gui(arguments)


def _training(home: Path) -> int:
    from desktop_app.app.training import run_training

    return run_training(home)


WINDOWS = WindowCommands(main_window=_main_window, training=_training)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``smime-guard`` with ``argv``; returns the exit status."""
    return run_command_line(argv, WINDOWS)
