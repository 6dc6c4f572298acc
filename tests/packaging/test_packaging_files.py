"""The installers' and desktop files agree with each other and with the package metadata."""

import configparser
import plistlib
import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import app_metadata
import make_icons
import pytest
from pytestqt.qtbot import QtBot

from desktop_app import __version__
from desktop_app.core.policy.parse import parse_policy

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"
APP_ID = app_metadata.APP_ID


def test_version_comes_from_the_package_metadata() -> None:
    assert app_metadata.version() == __version__
    assert app_metadata.numeric_version("0.1.0") == (0, 1, 0, 0)
    assert app_metadata.numeric_version("1.2.0rc1") == (1, 2, 0, 0)
    assert app_metadata.numeric_version("2.3.4.5.6") == (2, 3, 4, 5)
    with pytest.raises(ValueError, match="does not fit"):
        app_metadata.numeric_version("70000.0")
    strings = app_metadata.windows_version_strings("smime-guard")
    assert strings["ProductVersion"] == __version__
    assert strings["OriginalFilename"] == "smime-guard.exe"


def test_sample_policy_uses_only_known_keys() -> None:
    text = (PACKAGING / "policy.toml").read_text(encoding="utf-8")
    policy = parse_policy(text, source="packaging/policy.toml")
    assert policy.require_encryption.value == "external"
    assert "clinic.example" in policy.internal_domains


def test_desktop_entry() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(PACKAGING / "linux" / f"{APP_ID}.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Exec"].split()[0] == app_metadata.WINDOWED_NAME
    assert desktop["Icon"] == APP_ID
    assert desktop["Categories"].endswith(";")


def test_metainfo_names_the_desktop_file_and_existing_screenshots() -> None:
    root = ET.parse(PACKAGING / "linux" / f"{APP_ID}.metainfo.xml").getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    binaries = {b.text for b in root.iter("binary")}
    assert binaries == {app_metadata.CONSOLE_NAME, app_metadata.WINDOWED_NAME}
    images = [image.text or "" for image in root.iter("image")]
    assert images
    for url in images:
        assert (PACKAGING / "screenshots" / url.rsplit("/", 1)[-1]).is_file(), url
    release = root.find("releases/release")
    assert release is not None
    assert (release.get("version"), release.get("date")) == ("@VERSION@", "@DATE@")


def test_info_plist() -> None:
    with open(PACKAGING / "macos" / "Info.plist", "rb") as file:
        info = plistlib.load(file)
    assert info["CFBundleIdentifier"] == APP_ID
    assert info["CFBundleExecutable"] == app_metadata.WINDOWED_NAME
    assert info["CFBundleIconFile"] == "smime-guard.icns"
    assert info["CFBundlePackageType"] == "APPL"
    assert info["NSHighResolutionCapable"] is True
    with open(PACKAGING / "macos" / "entitlements.plist", "rb") as file:
        assert plistlib.load(file)


def test_inno_setup_script() -> None:
    script = (PACKAGING / "windows" / "smime-guard.iss").read_text(encoding="utf-8")
    assert "AppId={" + app_metadata.WINDOWS_APP_GUID in script
    assert re.search(r"^PrivilegesRequired=admin$", script, re.M)
    assert re.search(r"^DefaultDirName=\{autopf\}\\smime-guard$", script, re.M)
    assert "{autoprograms}\\smime-guard" in script
    assert "GetFileProductVersionString" in script  # the version from the exe's resource
    assert "{commonappdata}\\smime-guard" in script
    for source in re.findall(r'^Source: "([^"{]+)"', script, re.M):
        assert (PACKAGING / "windows" / source.replace("\\", "/")).is_file(), source


def test_icons_render_from_the_svg(tmp_path: Path, qtbot: QtBot) -> None:
    del qtbot  # make_icons uses the running QApplication
    written = make_icons.make_icons(make_icons.DEFAULT_SVG, tmp_path)
    assert tmp_path / "smime-guard-256.png" in written
    for size in make_icons.PNG_SIZES:
        png = (tmp_path / f"smime-guard-{size}.png").read_bytes()
        assert png.startswith(b"\x89PNG")
        assert struct.unpack(">II", png[16:24]) == (size, size)
    ico = (tmp_path / "smime-guard.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind, count) == (0, 1, len(make_icons.ICO_SIZES))
    icns = (tmp_path / "smime-guard.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    assert len(list((tmp_path / "smime-guard.iconset").glob("icon_*.png"))) == 10
