"""Where the program keeps its files: the home folder (store) and the log folder."""

import os
from pathlib import Path

import platformdirs

APP_NAME = "smime-guard"
HOME_ENVIRONMENT_VARIABLE = "SMIME_GUARD_HOME"
STORE_FILE_NAME = "certificates.sqlite3"


def home_folder(explicit: str | os.PathLike[str] | None) -> Path:
    """``--home`` if given, else ``$SMIME_GUARD_HOME``, else the platform's user data folder."""
    if explicit:
        return Path(explicit).expanduser()
    from_environment = os.environ.get(HOME_ENVIRONMENT_VARIABLE)
    if from_environment:
        return Path(from_environment).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def store_path(home: Path) -> Path:
    return home / STORE_FILE_NAME


def log_folder() -> Path:
    """The platform's user log folder (``~/.local/state/smime-guard/log`` on Linux)."""
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
