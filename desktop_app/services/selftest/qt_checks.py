"""Self-test checks that need Qt: the toolkit starts, and the bundled resources load."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from email import policy as email_policy
from email.parser import BytesParser
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QPluginLoader, QSize, qVersion
from PySide6.QtGui import QIcon, QImage
from PySide6.QtWidgets import QApplication, QLabel

from desktop_app.core.messages import text
from desktop_app.core.pki.certificates import load_certificates
from desktop_app.core.policy.parse import parse_policy
from desktop_app.services.demo.pki import read_people
from desktop_app.services.platform_libraries import (
    PLUGIN_FOLDER_VARIABLE,
    XCB,
    check_window_platform,
    platform_plugin,
    window_platform,
)
from desktop_app.services.selftest.runner import CheckFailed

# Icons the compose window cannot do without; every other SVG found is checked as well.
REQUIRED_ICONS = ("lock-closed", "lock-open", "warning", "attachment")
STYLES = ("base.qss", "light.qss", "dark.qss")
EXAMPLES = ("examples/reply-all.eml", "examples/demo-ca.pem")


def _application(platform: str) -> QApplication:
    existing = QCoreApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    if existing is not None:
        raise CheckFailed(text("selftest.qt_not_gui", kind=type(existing).__name__))
    # The window's own platform plugin is only loaded (below), not started: starting it on
    # a box with no display would end the process before the report is written.
    os.environ.setdefault("QT_QPA_PLATFORM", platform)
    return QApplication([sys.argv[0] if sys.argv else "smime-guard", "--self-test"])


def _plugin_loads(platform: str, environ: Mapping[str, str]) -> Path:
    """Load the plugin file a window would use for ``platform`` with Qt's own loader.

    Loading is what fails when a library is missing; it does not start the platform (which
    would end the process on a box with no display before the report is written).
    """
    plugin_folder = environ.get(PLUGIN_FOLDER_VARIABLE) or None
    if platform == XCB:
        # Same message as at start-up: the missing libraries and the packages to install.
        check_window_platform(environ)
    plugin = platform_plugin(platform, plugin_folder)
    if plugin is None:
        folders = [*QCoreApplication.libraryPaths()]
        folders.append(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
        raise CheckFailed(
            text("selftest.platform_plugin_missing", plugin=platform, folders=", ".join(folders))
        )
    loader = QPluginLoader(str(plugin))
    if not loader.load():
        raise CheckFailed(
            text(
                "desktop.platform_plugin_not_loaded",
                plugin=platform,
                path=plugin,
                reason=loader.errorString(),
            )
        )
    return plugin


def check_qt(platform: str) -> str:
    """A QApplication starts, a widget paints, and the window's platform plugin loads.

    ``platform`` is what the self-test itself paints with (offscreen: it may run with no
    display); the window's plugin is the one Qt would choose from the environment.
    """
    environ = dict(os.environ)  # as a window would see it, before the self-test's own choice
    window = window_platform(environ)
    app = _application(platform)
    label = QLabel("smime-guard")
    label.resize(120, 30)
    if label.grab().isNull():
        raise CheckFailed(text("selftest.widget_not_painted"))
    label.deleteLater()
    plugin = _plugin_loads(window, environ)
    return text(
        "desktop.selftest_qt_ok",
        version=qVersion(),
        platform=app.platformName(),
        window=window,
        path=plugin,
    )


def _check_icons(folder: Path) -> int:
    icons = sorted(folder.rglob("*.svg"))
    names = {path.stem for path in folder.glob("*.svg")}  # dark/ only overrides these
    missing = [name for name in REQUIRED_ICONS if name not in names]
    if missing:
        raise CheckFailed(text("selftest.icons_missing", folder=folder, names=", ".join(missing)))
    for path in icons:
        # Rendering needs Qt's SVG plugins: a bundle without them shows blank icons.
        image = QIcon(str(path)).pixmap(QSize(32, 32)).toImage()
        if image.isNull() or image.convertToFormat(QImage.Format.Format_ARGB32).isNull():
            raise CheckFailed(text("selftest.icon_not_rendered", path=path))
    return len(icons)


def _check_demo(folder: Path) -> tuple[int, int]:
    """People and inbox messages of the demo: the templates here, plus the signed and
    encrypted messages built with the demo's certificates when its home is made."""
    from desktop_app.services.demo.build import SECURE_INBOX

    people = read_people((folder / "people.toml").read_text(encoding="utf-8"))
    parse_policy(
        (folder / "policy.toml").read_text(encoding="utf-8"),
        source=text("selftest.demo_policy_source"),
    )
    messages = sorted((folder / "inbox").glob("*.eml"))
    if not messages:
        raise CheckFailed(text("selftest.no_demo_messages", folder=folder / "inbox"))
    parser = BytesParser(policy=email_policy.default)
    for path in messages:
        if parser.parsebytes(path.read_bytes()).get("From") is None:
            raise CheckFailed(text("selftest.demo_message_no_from", path=path))
    return len(people), len(messages) + len(SECURE_INBOX)


def check_resources(resources: Path) -> str:
    """Icons render, style sheets read, demo templates and the example parse."""
    if not resources.is_dir():
        raise CheckFailed(text("selftest.resources_missing", folder=resources))
    _application("offscreen")
    icons = _check_icons(resources / "icons")
    for name in STYLES:
        if not (resources / "styles" / name).read_text(encoding="utf-8").strip():
            raise CheckFailed(text("selftest.style_empty", path=resources / "styles" / name))
    people, messages = _check_demo(resources / "demo")
    for name in EXAMPLES:
        if not (resources / name).is_file():
            raise CheckFailed(text("selftest.example_missing", path=resources / name))
    load_certificates(
        (resources / "examples" / "demo-ca.pem").read_bytes(),
        source_name=text("selftest.example_source"),
    )
    return text(
        "selftest.resources_ok",
        icons=icons,
        styles=len(STYLES),
        people=people,
        messages=messages,
        folder=resources,
    )
