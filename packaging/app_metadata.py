"""The app's name, identifiers and version, from the installed package's metadata.

One place for the spec, the build script, the Windows version resource and the Inno Setup
defines, so that the installer, the executables and ``smime-guard --version`` agree.
"""

from __future__ import annotations

import re
from importlib.metadata import metadata

DISTRIBUTION = "smime-guard"
APP_ID = "org.smimeguard.SmimeGuard"  # reverse-DNS: AppStream id, macOS bundle id
DISPLAY_NAME = "smime-guard"
PUBLISHER = "smime-guard"
CONSOLE_NAME = "smime-guard"  # the command, and the bundle folder's name
WINDOWED_NAME = "smime-guard-app"  # the windowed program the menus and the .app start
# Inno Setup's AppId: a fixed GUID, so that upgrades replace the installed copy.
WINDOWS_APP_GUID = "{6D1C7E0B-3F7A-4C55-9C61-2B8E5A0F4D19}"


def version() -> str:
    return str(metadata(DISTRIBUTION)["Version"])


def summary() -> str:
    return str(metadata(DISTRIBUTION)["Summary"])


def numeric_version(text: str | None = None) -> tuple[int, int, int, int]:
    """Four numbers for a Windows version resource: "0.1.0" is (0, 1, 0, 0).

    Pre-release and local parts are dropped ("1.2.0rc1" is (1, 2, 0, 0)); each number
    must fit in 16 bits.
    """
    release = re.match(r"\d+(?:\.\d+)*", text or version())
    numbers = [int(part) for part in release.group(0).split(".")] if release else []
    numbers = [*numbers, 0, 0, 0, 0][:4]
    if any(number > 0xFFFF for number in numbers):
        raise ValueError(f"version {text!r} does not fit a Windows version resource")
    return (numbers[0], numbers[1], numbers[2], numbers[3])


def windows_version_strings(program: str) -> dict[str, str]:
    """The StringFileInfo entries of ``program``'s version resource (shown by Explorer)."""
    text = version()
    return {
        "CompanyName": PUBLISHER,
        "FileDescription": summary(),
        "FileVersion": text,
        "InternalName": program,
        "LegalCopyright": f"Copyright {PUBLISHER}",
        "OriginalFilename": f"{program}.exe",
        "ProductName": DISPLAY_NAME,
        "ProductVersion": text,
    }


def windows_version_info(program: str) -> object:
    """A PyInstaller VSVersionInfo for ``program`` (needs PyInstaller's Windows extras)."""
    from PyInstaller.utils.win32.versioninfo import (  # type: ignore[import-untyped]
        FixedFileInfo,
        StringFileInfo,
        StringStruct,
        StringTable,
        VarFileInfo,
        VarStruct,
        VSVersionInfo,
    )

    numbers = numeric_version()
    strings = [StringStruct(k, v) for k, v in windows_version_strings(program).items()]
    return VSVersionInfo(
        ffi=FixedFileInfo(filevers=numbers, prodvers=numbers),
        kids=[
            # 0409 = U.S. English, 04B0 = Unicode (1200).
            StringFileInfo([StringTable("040904B0", strings)]),
            VarFileInfo([VarStruct("Translation", [0x0409, 1200])]),
        ],
    )
