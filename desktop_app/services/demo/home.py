"""Building the demo home once, and finding it quickly on every later run.

Everything is built in a staging folder and moved into place; the marker file that
says "this folder is a finished demo home" is written last. A folder that holds a
certificate store but no marker is somebody's real home and is never touched. A demo
home of another version is rebuilt in place: what the build makes is replaced, while
what the user did there (outbox, drafts, audit log, training progress, an edited policy)
stays.
"""

import json
import logging
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop_app.core.messages import text
from desktop_app.services.demo.errors import DemoError
from desktop_app.services.paths import STORE_FILE_NAME
from desktop_app.services.policy_files import POLICY_FILE_NAME

log = logging.getLogger(__name__)

# 2: demo messages are signed at their Date: (opening flags a signing time far from it).
DEMO_VERSION = 2
MARKER_FILE_NAME = "demo-home.json"
_STAGING = ".demo-staging"
# What the build moves into the home folder; the policy is copied only when absent so an
# edited demo policy survives a rebuild.
_BUILT = (STORE_FILE_NAME, "identity", "directory", "inbox")


@dataclass(frozen=True, slots=True)
class DemoHome:
    """The paths of a demo home and who its user is."""

    root: Path
    user_name: str
    user_address: str

    @property
    def store(self) -> Path:
        return self.root / STORE_FILE_NAME

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    @property
    def directory(self) -> Path:
        return self.root / "directory"

    @property
    def identity(self) -> Path:
        return self.root / "identity"


def _read_marker(root: Path) -> DemoHome | None:
    try:
        marker = json.loads((root / MARKER_FILE_NAME).read_text(encoding="utf-8"))
        if marker.get("version") != DEMO_VERSION:
            return None
        return DemoHome(root, str(marker["user_name"]), str(marker["user_address"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _marked_as_demo(root: Path) -> bool:
    """Whether ``root`` carries a demo marker of any version (a home this app built)."""
    try:
        marker = json.loads((root / MARKER_FILE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(marker, dict) and isinstance(marker.get("version"), int)


def ready_demo_home(root: Path) -> DemoHome | None:
    """The demo home in ``root`` if it is complete; cheap enough to call before first paint."""
    home = _read_marker(root)
    if home is None or not all((root / name).exists() for name in _BUILT):
        return None
    return home


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def ensure_demo_home(root: Path, templates: Path, now: datetime) -> DemoHome:
    """The demo home in ``root``, built first if it is not complete.

    ``templates`` is ``resources/demo`` (people, policy, inbox messages); ``now`` dates the
    certificates. A second call returns at once.

    Raises:
        DemoError: ``root`` holds a real certificate store, or the build failed.
    """
    existing = ready_demo_home(root)
    if existing is not None:
        return existing
    if not _marked_as_demo(root) and (root / STORE_FILE_NAME).exists():
        raise DemoError(text("demo.foreign_home", path=root))
    try:
        return _build(root, templates, now)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise DemoError(text("demo.cannot_build", path=root, reason=reason)) from None


def _build(root: Path, templates: Path, now: datetime) -> DemoHome:
    # Imported here: building needs cryptography and the store, a later run needs neither.
    from desktop_app.services.demo.build import build_into

    log.info("building the demo home")
    root.mkdir(parents=True, exist_ok=True)
    staging = root / _STAGING
    _remove(staging)
    staging.mkdir()
    user_name, user_address = build_into(staging, templates, now)
    marker = {
        "version": DEMO_VERSION,
        "created": now.isoformat(),
        "user_name": user_name,
        "user_address": user_address,
        "note": "Demo home of smime-guard: throwaway CA and keys, not for real mail.",
    }
    (staging / MARKER_FILE_NAME).write_text(json.dumps(marker, indent=2), encoding="utf-8")
    # The marker goes first: from then on the folder is known to be ours, so an
    # interrupted move is finished by the next run rather than refused.
    os.replace(staging / MARKER_FILE_NAME, root / MARKER_FILE_NAME)
    for suffix in ("-wal", "-shm"):
        (root / (STORE_FILE_NAME + suffix)).unlink(missing_ok=True)
    for name in _BUILT:
        _remove(root / name)
        os.replace(staging / name, root / name)
    if not (root / POLICY_FILE_NAME).exists():
        shutil.copyfile(templates / POLICY_FILE_NAME, root / POLICY_FILE_NAME)
    (root / "outbox").mkdir(exist_ok=True)
    _remove(staging)
    log.info("demo home built")
    return DemoHome(root, user_name, user_address)
