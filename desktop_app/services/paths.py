"""Where the program keeps its files: the home folder (store) and the log folder."""

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "smime-guard"
HOME_ENVIRONMENT_VARIABLE = "SMIME_GUARD_HOME"
STORE_FILE_NAME = "certificates.sqlite3"
# The Exchange account, the OAuth token cache and the first outbox live here; the folder
# kept its name from when Exchange was the only kind of account.
EXCHANGE_FOLDER_NAME = "exchange"


def home_folder(explicit: str | os.PathLike[str] | None) -> Path:
    """``--home`` if given, else ``$SMIME_GUARD_HOME``, else the platform's user data folder."""
    if explicit:
        return Path(explicit).expanduser()
    from_environment = os.environ.get(HOME_ENVIRONMENT_VARIABLE)
    if from_environment:
        return Path(from_environment).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resource_folder() -> Path:
    """``resources/``: of the PyInstaller bundle, of the checkout, or of the installed copy.

    ``pip install .`` puts it under ``<prefix>/share/smime-guard`` (pyproject's data-files).
    """
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    checkout = Path(__file__).resolve().parents[2] / "resources"
    if checkout.is_dir():
        return checkout
    return Path(sys.prefix) / "share" / APP_NAME / "resources"


def system_folder() -> Path:
    """The folder an administrator fills for every user of this computer.

    ``%PROGRAMDATA%\\smime-guard`` on Windows, ``/Library/Application Support/smime-guard``
    on macOS, ``/etc/smime-guard`` elsewhere; it holds ``policy.toml`` and
    ``trust-anchors/``. ``policy_files.system_policy_path`` is the one place that says where
    (it imports this module, hence the import here).
    """
    from desktop_app.services.policy_files import system_policy_path

    return system_policy_path().parent


def system_trust_anchor_folder() -> Path:
    """Where an administrator puts the practice's CA certificates (PEM or DER files)."""
    return system_folder() / "trust-anchors"


def store_path(home: Path) -> Path:
    return home / STORE_FILE_NAME


def exchange_folder(home: Path) -> Path:
    return home / EXCHANGE_FOLDER_NAME


def log_folder() -> Path:
    """The platform's user log folder (``~/.local/state/smime-guard/log`` on Linux)."""
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
