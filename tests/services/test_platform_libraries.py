"""A window whose platform plugin cannot load its libraries: one message naming the Debian
packages and exit 2, never Qt's abort; ``--self-test`` fails with the same message."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest
from PySide6.QtCore import QLibraryInfo

from desktop_app.cli.exit_codes import EXIT_FAILURE, EXIT_USAGE
from desktop_app.services.platform_libraries import (
    PLUGIN_FOLDER_VARIABLE,
    PlatformLibrariesMissing,
    check_window_platform,
    debian_package,
    missing_libraries,
    window_platform,
)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="xcb is Linux's")

REPO = Path(__file__).resolve().parents[2]
QT_PLUGINS = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
# The copy of Qt's xcb plugin asks for this library in place of libxcb-icccm.so.4, so the
# dynamic loader cannot find it on any machine (the name is shorter: it fits in place).
NEEDED = b"libxcb-icccm.so.4\0"
HIDDEN = "libxcb-gone.so.4"


@pytest.fixture
def hidden_plugin_folder(tmp_path: Path) -> Path:
    """A ``platforms`` folder with Qt's real xcb plugin whose libxcb-icccm is not there.

    The plugin finds Qt's own libraries through its RUNPATH ($ORIGIN/../../lib), so the
    folder sits two levels below a link to the real ones; only the hidden library is missing.
    """
    qt = tmp_path / "Qt"
    folder = qt / "plugins" / "platforms"
    folder.mkdir(parents=True)
    (qt / "lib").symlink_to(QT_PLUGINS.parent / "lib")
    plugin = (QT_PLUGINS / "platforms" / "libqxcb.so").read_bytes()
    assert plugin.count(NEEDED) == 1
    hidden = HIDDEN.encode().ljust(len(NEEDED), b"\0")
    (folder / "libqxcb.so").write_bytes(plugin.replace(NEEDED, hidden))
    return folder


def _environment(**extra: str) -> dict[str, str]:
    """This environment as a desktop session would start the program: no platform chosen."""
    names = ("QT_QPA_PLATFORM", "XDG_SESSION_TYPE", PLUGIN_FOLDER_VARIABLE)
    environment = {k: v for k, v in os.environ.items() if k not in names}
    environment["PYTHONPATH"] = str(REPO)
    return {**environment, **extra}


def _run(arguments: list[str], environment: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "desktop_app", *arguments]
    return subprocess.run(
        command, capture_output=True, text=True, env=environment, timeout=120, check=False
    )


def test_the_loader_check_finds_the_hidden_library(hidden_plugin_folder: Path) -> None:
    assert HIDDEN in missing_libraries(hidden_plugin_folder / "libqxcb.so")
    assert HIDDEN not in missing_libraries(QT_PLUGINS / "platforms" / "libqxcb.so")


@pytest.mark.parametrize("window", [["--demo"], ["train"]], ids=["main-window", "training"])
def test_the_window_refuses_to_start_and_names_the_packages(
    hidden_plugin_folder: Path, tmp_path: Path, window: list[str]
) -> None:
    environment = _environment(**{PLUGIN_FOLDER_VARIABLE: str(hidden_plugin_folder)})

    result = _run(["--home", str(tmp_path / "home"), *window], environment)

    assert result.returncode == EXIT_USAGE  # not -6 (SIGABRT), Qt never started
    assert "libxcb-cursor0" not in result.stderr  # Qt's misleading hint is not given
    lines = result.stderr.splitlines()
    assert lines[0].startswith("smime-guard: the window cannot open")
    assert str(hidden_plugin_folder / "libqxcb.so") in lines[0]
    assert HIDDEN in lines[0]
    install = [line.strip() for line in lines if "apt-get" in line]
    assert len(install) == 1
    assert install[0].startswith("sudo apt-get install ")
    assert "libxcb-gone4" in install[0].split()
    assert not (tmp_path / "home").exists()  # nothing was built before the refusal


def test_the_self_test_loads_the_window_plugin_and_fails_with_the_same_message(
    hidden_plugin_folder: Path, tmp_path: Path
) -> None:
    environment = _environment(**{PLUGIN_FOLDER_VARIABLE: str(hidden_plugin_folder)})
    window = _run(["--home", str(tmp_path / "home"), "--demo"], environment)

    result = _run(["--home", str(tmp_path / "home"), "--self-test"], environment)

    assert result.returncode == EXIT_FAILURE
    message = window.stderr.removeprefix("smime-guard: ").rstrip("\n")
    assert f"FAIL Qt: {message}\n" in result.stdout
    assert "ok   resources" in result.stdout  # the self-test itself paints offscreen


def test_an_offscreen_or_wayland_window_needs_no_xcb(hidden_plugin_folder: Path) -> None:
    folder = {PLUGIN_FOLDER_VARIABLE: str(hidden_plugin_folder)}
    for environment in (
        {**folder, "QT_QPA_PLATFORM": "offscreen"},
        {**folder, "QT_QPA_PLATFORM": "wayland;xcb"},
        {**folder, "XDG_SESSION_TYPE": "wayland"},
    ):
        assert check_window_platform(environment, "linux") is None
    assert check_window_platform(folder, "win32") is None
    with pytest.raises(PlatformLibrariesMissing) as refused:
        check_window_platform({**folder, "QT_QPA_PLATFORM": "xcb:dpi=96"}, "linux")
    assert "libxcb-gone4" in refused.value.packages


def test_the_window_platform_is_qt_s_choice() -> None:
    assert window_platform({}, "linux") == "xcb"
    assert window_platform({"XDG_SESSION_TYPE": "x11"}, "linux") == "xcb"
    assert window_platform({"XDG_SESSION_TYPE": "wayland"}, "linux") == "wayland"
    assert window_platform({"QT_QPA_PLATFORM": "Offscreen"}, "linux") == "offscreen"
    assert window_platform({"QT_QPA_PLATFORM": " xcb;wayland"}, "linux") == "xcb"
    assert window_platform({}, "win32") == "windows"
    assert window_platform({}, "darwin") == "cocoa"


@pytest.mark.parametrize(
    ("soname", "package"),
    [
        ("libxcb-icccm.so.4", "libxcb-icccm4"),
        ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
        ("libxcb-cursor.so.0", "libxcb-cursor0"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libX11-xcb.so.1", "libx11-xcb1"),
        ("libglib-2.0.so.0", "libglib2.0-0"),
        # Not in the table: Debian's naming of library packages.
        ("libxcb-xinput.so.0", "libxcb-xinput0"),
        ("libwayland-client.so.0", "libwayland-client0"),
        ("libfoo2.so.5.1", "libfoo2-5"),
    ],
)
def test_a_library_is_named_by_its_debian_package(soname: str, package: str) -> None:
    assert debian_package(soname) == package
