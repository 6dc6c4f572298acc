"""Test-wide set-up: keep every test away from the real home, log and keyring folders."""

import os
from pathlib import Path

import pytest

# Windows are drawn off screen in every test (CI has no display); set before Qt loads.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _private_user_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = tmp_path_factory.mktemp("user")
    for variable in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(variable, str(base / variable.lower()))
    monkeypatch.delenv("SMIME_GUARD_HOME", raising=False)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """An empty smime-guard home folder."""
    return tmp_path / "home"
