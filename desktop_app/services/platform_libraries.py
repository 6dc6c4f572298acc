"""Before a window opens on Linux: can Qt's xcb platform plugin load its shared libraries?

When it cannot, Qt aborts the process (SIGABRT) and blames ``libxcb-cursor0`` whatever is
really missing. This asks the dynamic loader first (``ldd`` on the plugin Qt would load)
and names the Debian packages that provide what is missing, so the user gets one line
to paste instead of a crash.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text

log = logging.getLogger(__name__)

XCB = "xcb"
PLUGIN_FOLDER_VARIABLE = "QT_QPA_PLATFORM_PLUGIN_PATH"

# What Qt's xcb plugin (and the Qt libraries it pulls in) needs beyond a bare system, by
# soname, with the Debian/Ubuntu package that ships it (DESIGN.md: ``ldd`` on libqxcb.so).
DEBIAN_PACKAGES: Mapping[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb.so.1": "libxcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
}

# "libfoo.so.1" in Debian's policy naming (section 8.1): the package is "libfoo1", or
# "libfoo2-1" when the name ends in a digit. Used for a library the table does not know.
_SONAME = re.compile(r"(?P<name>lib[A-Za-z0-9_.+-]+?)\.so\.(?P<version>[0-9][0-9.]*)")
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$")
_LOADER_ERROR = re.compile(r"(\S+\.so[.0-9]*): cannot open shared object file")


class PlatformLibrariesMissing(UserFacingError):
    """The window's platform plugin cannot load: libraries of the system are missing."""

    def __init__(self, message: str, libraries: Sequence[str], packages: Sequence[str]) -> None:
        super().__init__(message)
        self.libraries = tuple(libraries)
        self.packages = tuple(packages)


def window_platform(environ: Mapping[str, str] | None = None, system: str | None = None) -> str:
    """The platform plugin Qt would pick for a window of this process (without -platform).

    ``QT_QPA_PLATFORM`` wins ("wayland;xcb" means wayland first; "xcb:option" is xcb);
    otherwise a Wayland session gets wayland and any other Linux session xcb.
    """
    environ = os.environ if environ is None else environ
    system = sys.platform if system is None else system
    named = environ.get("QT_QPA_PLATFORM", "").strip()
    if named:
        return named.split(";", 1)[0].split(":", 1)[0].strip().lower()
    if system == "win32":
        return "windows"
    if system == "darwin":
        return "cocoa"
    if environ.get("XDG_SESSION_TYPE", "").strip().lower() == "wayland":
        return "wayland"
    return XCB


def debian_package(soname: str) -> str:
    """The Debian package that ships ``soname``: from the table, else by Debian's naming."""
    known = DEBIAN_PACKAGES.get(soname)
    if known is not None:
        return known
    match = _SONAME.fullmatch(soname)
    if match is None:
        return soname
    name, version = match.group("name").lower(), match.group("version").split(".")[0]
    return f"{name}-{version}" if name[-1].isdigit() else f"{name}{version}"


def platform_plugin(
    platform: str,
    plugin_folder: str | None,
    library_paths: Sequence[str] | None = None,
) -> Path | None:
    """The plugin file Qt would load for ``platform``, in Qt's own search order.

    ``plugin_folder`` (``QT_QPA_PLATFORM_PLUGIN_PATH``) is searched first (Qt loads from it
    directly), then ``platforms`` under each library path (``QT_PLUGIN_PATH``, then the
    installation's).
    """
    if library_paths is None:
        from PySide6.QtCore import QCoreApplication, QLibraryInfo

        library_paths = [
            *QCoreApplication.libraryPaths(),
            QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath),
        ]
    names = {f"libq{platform}", f"q{platform}"}
    folders = [Path(plugin_folder)] if plugin_folder else []
    folders += [Path(path) / "platforms" for path in library_paths]
    for folder in folders:
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            # libqxcb.so on Linux, qwindows.dll on Windows, libqcocoa.dylib on macOS.
            if entry.name.split(".", 1)[0] in names and entry.is_file():
                return entry
    return None


def _ldd_missing(plugin: Path, ldd: str) -> tuple[str, ...]:
    result = subprocess.run(
        [ldd, str(plugin)], capture_output=True, text=True, check=False, timeout=30
    )
    missing = (_NOT_FOUND.match(line) for line in result.stdout.splitlines())
    return tuple(dict.fromkeys(match.group(1) for match in missing if match))


def _loader_missing(plugin: Path) -> tuple[str, ...]:
    # Without ldd, the loader itself says which library it could not open (only the first).
    import ctypes

    try:
        ctypes.CDLL(str(plugin))
    except OSError as error:
        match = _LOADER_ERROR.search(str(error))
        return (match.group(1),) if match else ()
    return ()


def missing_libraries(plugin: Path) -> tuple[str, ...]:
    """Sonames that the dynamic loader cannot find for ``plugin`` (and what it needs)."""
    ldd = shutil.which("ldd")
    try:
        return _ldd_missing(plugin, ldd) if ldd else _loader_missing(plugin)
    except (OSError, subprocess.SubprocessError) as error:
        # Not knowing is no reason to stop: Qt then says what it says.
        log.warning("could not check the libraries of %s: %s", plugin, type(error).__name__)
        return ()


def missing_libraries_error(plugin: Path, libraries: Sequence[str]) -> PlatformLibrariesMissing:
    packages = tuple(dict.fromkeys(debian_package(soname) for soname in libraries))
    message = text(
        "desktop.platform_libraries_missing",
        plugin=plugin,
        libraries=", ".join(libraries),
        command="sudo apt-get install " + " ".join(packages),
    )
    return PlatformLibrariesMissing(message, libraries, packages)


def check_window_platform(
    environ: Mapping[str, str] | None = None, system: str | None = None
) -> Path | None:
    """Raise PlatformLibrariesMissing if the window's xcb plugin cannot load; else return
    the plugin checked (None when the window would not use xcb, or Qt has no xcb plugin)."""
    system = sys.platform if system is None else system
    if not system.startswith("linux") or window_platform(environ, system) != XCB:
        return None
    plugin_folder = (os.environ if environ is None else environ).get(PLUGIN_FOLDER_VARIABLE)
    plugin = platform_plugin(XCB, plugin_folder or None)
    if plugin is None:
        return None  # Qt will say it has no xcb plugin; nothing to add
    missing = missing_libraries(plugin)
    if missing:
        log.warning("xcb platform plugin cannot load: %d libraries missing", len(missing))
        raise missing_libraries_error(plugin, missing)
    return plugin
