"""``smime-guard train``: the training window on its own."""

import argparse
from pathlib import Path


def run_train(arguments: argparse.Namespace, home: Path) -> int:
    """Open the training window; progress is kept in ``home``, scenarios also come from its
    ``training`` folder."""
    from desktop_app.app_training import run_training

    return run_training(home)
