"""Strings about the desktop itself: what a window needs from the operating system."""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    "desktop.platform_libraries_missing": (
        "the window cannot open: Qt's xcb platform plugin ({plugin}) needs {libraries}, "
        "which this computer does not have. On Debian or Ubuntu install them with\n"
        "    {command}\n"
        "and start smime-guard again. Commands without a window (check, seal, open, lint) "
        "work without them."
    ),
    "desktop.selftest_qt_ok": (
        "Qt {version} on {platform}; the window's {window} platform plugin loads ({path})"
    ),
    "desktop.platform_plugin_not_loaded": "the {plugin} plugin ({path}) does not load: {reason}",
}
