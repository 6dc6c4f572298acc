"""The two commands that open a window, as the program's top layer hands them to the
command line: ``cli`` never imports the windows itself, so it runs without Qt."""

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class WindowCommands:
    """``main_window``: no command given (the arguments as parsed); ``training``:
    ``smime-guard train`` (the home folder). Each returns the exit status."""

    main_window: Callable[[argparse.Namespace], int]
    training: Callable[[Path], int]
