"""What the bundle leaves out: unused Qt modules, plugins and translations, and the libraries
only they needed. Used by ``smime-guard.spec``; plain Python so that tests can check it.

The app uses QtCore, QtGui and QtWidgets only, with SVG icons. PySide6's wheel ships much
more (QML, Quick, PDF, Wayland compositors, EGL device integrations); PyInstaller's Qt
hooks collect every plugin of a used module's plugin types, and the libraries those
plugins link to (the GTK 3 platform theme alone brings about 16 MB of GTK, Cairo and
Pango). Left out here, with the libraries nothing that is kept still needs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence

# Python modules never imported by the app. PySide6 modules are excluded by name so a
# stray import fails loudly in the self-test instead of pulling a module in silently.
_UNUSED_QT_MODULES = [
    "Qt3DAnimation",
    "Qt3DCore",
    "Qt3DExtras",
    "Qt3DInput",
    "Qt3DLogic",
    "Qt3DRender",
    "QtAxContainer",
    "QtBluetooth",
    "QtCharts",
    "QtConcurrent",
    "QtDataVisualization",
    "QtDBus",
    "QtDesigner",
    "QtGraphs",
    "QtGraphsWidgets",
    "QtHelp",
    "QtHttpServer",
    "QtLocation",
    "QtMultimedia",
    "QtMultimediaWidgets",
    "QtNetwork",
    "QtNetworkAuth",
    "QtNfc",
    "QtOpenGL",
    "QtOpenGLWidgets",
    "QtPdf",
    "QtPdfWidgets",
    "QtPositioning",
    "QtPrintSupport",
    "QtQml",
    "QtQuick",
    "QtQuick3D",
    "QtQuickControls2",
    "QtQuickTest",
    "QtQuickWidgets",
    "QtRemoteObjects",
    "QtScxml",
    "QtSensors",
    "QtSerialBus",
    "QtSerialPort",
    "QtSpatialAudio",
    "QtSql",
    "QtStateMachine",
    "QtSvgWidgets",
    "QtTest",
    "QtTextToSpeech",
    "QtUiTools",
    "QtWebChannel",
    "QtWebEngineCore",
    "QtWebEngineQuick",
    "QtWebEngineWidgets",
    "QtWebSockets",
    "QtWebView",
    "QtXml",
]
EXCLUDED_MODULES: list[str] = [
    *(f"PySide6.{name}" for name in _UNUSED_QT_MODULES),
    # lxml (exchangelib's XML parser): only lxml.etree is used.
    "lxml.objectify",
    "lxml.html",
    "lxml.isoschematron",
    "lxml.cssselect",
    "lxml.doctestcompare",
    "lxml.usedoctest",
    # PyGObject is in the build's venv as a test dependency (the libsecret token-cache
    # test); the bundle stays as it was without it rather than carry a copy of the
    # system's GLib, so there the token cache stays in memory, as the app says.
    "gi",
    "cairo",
    "tkinter",
    "_tkinter",
    "pydoc_data",
    "lib2to3",
    "idlelib",
    "ensurepip",
    "venv",
]

# Qt libraries of modules and plugins left out, on every platform (Windows: Qt6Quick.dll,
# macOS: QtQuick.framework, Linux: libQt6Quick.so.6).
_UNUSED_QT_LIBRARY = re.compile(
    r"(^|/)(lib)?Qt6?(3D|Bluetooth|Charts|Concurrent|DataVisualization|Designer|EglFS|"
    r"EglFsKms|Graphs|Help|HttpServer|Labs|Location|Lottie|Multimedia|Network|Nfc|Pdf|"
    r"Positioning|PrintSupport|Qml|Quick|RemoteObjects|Scxml|Sensors|SerialBus|SerialPort|"
    r"ShaderTools|SpatialAudio|Sql|StateMachine|SvgWidgets|Test|TextToSpeech|UiTools|"
    r"VirtualKeyboard|Wayland|WebChannel|WebEngine|WebSockets|WebView|WlShell|Xml)",
)
# Plugin folders the app never loads: input devices for EGLFS, Wayland (the xcb plugin
# runs under XWayland), networking, SQL, QML tooling, print support.
_UNUSED_PLUGIN_FOLDERS = frozenset(
    {
        "designer",
        "egldeviceintegrations",
        "generic",
        "networkinformation",
        "printsupport",
        "qmllint",
        "qmltooling",
        "sqldrivers",
        "tls",
        "wayland-decoration-client",
        "wayland-graphics-integration-client",
        "wayland-graphics-integration-server",
        "wayland-shell-integration",
        "vectorimageformats",
    }
)
# Per plugin folder, the plugins kept (base names without "lib" and suffix). Offscreen is
# what the self-test and CI use; xcb, windows and cocoa are the desktops'.
_KEPT_PLUGINS = {
    "platforms": frozenset({"qoffscreen", "qminimal", "qxcb", "qwindows", "qcocoa"}),
    "platformthemes": frozenset({"qxdgdesktopportal"}),
    "imageformats": frozenset({"qsvg", "qico", "qicns", "qjpeg", "qgif"}),
    "iconengines": frozenset({"qsvgicon"}),
    "xcbglintegrations": frozenset({"qxcb-glx-integration", "qxcb-egl-integration"}),
    "platforminputcontexts": frozenset(
        {"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"}
    ),
    "styles": frozenset({"qmodernwindowsstyle", "qwindowsvistastyle", "qmacstyle"}),
}
# Windows: Mesa's software OpenGL (about 20 MB) is for Quick and OpenGL widgets; the
# app's widgets paint with Qt's raster engine.
_UNUSED_WINDOWS_DLLS = frozenset({"opengl32sw.dll"})
_PLUGIN = re.compile(r"(^|/)plugins/([^/]+)/(lib)?([^/]+?)(\.so|\.dll|\.dylib)$")


def _normal(name: str) -> str:
    return name.replace(os.sep, "/").replace("\\", "/")


def _in_unused_framework(name: str) -> bool:
    # macOS: everything inside QtQuick.framework/ goes with it, or codesign would meet a
    # framework folder without its binary.
    return any(
        part.endswith(".framework") and _UNUSED_QT_LIBRARY.search(part) is not None
        for part in name.split("/")[:-1]
    )


def keep_binary(name: str) -> bool:
    """False for a collected binary (its destination name) the app never loads."""
    name = _normal(name)
    if _in_unused_framework(name):
        return False
    if name.rsplit("/", 1)[-1].lower() in _UNUSED_WINDOWS_DLLS:
        return False
    plugin = _PLUGIN.search(name)
    if plugin is not None:
        folder, base = plugin.group(2), plugin.group(4)
        if folder in _UNUSED_PLUGIN_FOLDERS:
            return False
        kept = _KEPT_PLUGINS.get(folder)
        return kept is None or base.removesuffix("d") in kept or base in kept
    return _UNUSED_QT_LIBRARY.search(name.rsplit("/", 1)[-1]) is None


def keep_data(name: str) -> bool:
    """False for Qt's translations (the app is in English), QML files and unused frameworks."""
    name = _normal(name)
    if _in_unused_framework(name):
        return False
    return re.search(r"(^|/)Qt/(translations|qml)/", name) is None


Entry = tuple[str, str, str]


def prune_orphans(
    kept: Sequence[Entry],
    dropped: Iterable[Entry],
    imports_of: Callable[[str], Iterable[str]],
) -> tuple[list[Entry], list[Entry]]:
    """``kept`` without the shared libraries that only ``dropped`` binaries needed.

    ``imports_of(path)`` lists the resolved paths a binary links to (PyInstaller's
    ``bindepend.get_imports``). Returns the binaries to keep and the orphans removed.
    """
    by_source = {os.path.realpath(source): entry for entry in kept for source in [entry[1]]}

    def closure(roots: Iterable[str]) -> set[str]:
        seen: set[str] = set()
        pending = [os.path.realpath(root) for root in roots]
        while pending:
            path = pending.pop()
            if path in seen:
                continue
            seen.add(path)
            try:
                found = [os.path.realpath(p) for p in imports_of(path) if p]
            except Exception:  # an unreadable binary keeps everything it might need
                found = []
            pending.extend(p for p in found if p in by_source)
        return seen

    dropped_needs = closure(entry[1] for entry in dropped) - {
        os.path.realpath(entry[1]) for entry in dropped
    }
    candidates = {path for path in dropped_needs if path in by_source}
    if not candidates:
        return list(kept), []
    # Everything kept that is not itself a candidate is a root: its needs stay.
    roots = [entry[1] for entry in kept if os.path.realpath(entry[1]) not in candidates]
    still_needed = closure(roots)
    orphans = candidates - still_needed
    return (
        [entry for entry in kept if os.path.realpath(entry[1]) not in orphans],
        [entry for entry in kept if os.path.realpath(entry[1]) in orphans],
    )
