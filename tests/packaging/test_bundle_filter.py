"""What the bundle leaves out: unused Qt plugins and libraries, and what only they needed."""

import pytest
from bundle_filter import EXCLUDED_MODULES, keep_binary, keep_data, prune_orphans

PLUGINS = "PySide6/Qt/plugins"


@pytest.mark.parametrize(
    "name",
    [
        f"{PLUGINS}/platforms/libqxcb.so",
        f"{PLUGINS}/platforms/libqoffscreen.so",
        f"{PLUGINS}/platforms/qwindows.dll",
        f"{PLUGINS}/platforms/libqcocoa.dylib",
        f"{PLUGINS}/imageformats/libqsvg.so",
        f"{PLUGINS}/imageformats/qsvg.dll",
        f"{PLUGINS}/iconengines/libqsvgicon.so",
        f"{PLUGINS}/styles/qmodernwindowsstyle.dll",
        f"{PLUGINS}/xcbglintegrations/libqxcb-glx-integration.so",
        "PySide6/Qt/lib/libQt6Core.so.6",
        "PySide6/Qt/lib/libQt6Gui.so.6",
        "PySide6/Qt/lib/libQt6Widgets.so.6",
        "PySide6/Qt/lib/libQt6Svg.so.6",
        "PySide6/Qt/lib/libQt6DBus.so.6",
        "PySide6/Qt/lib/libQt6XcbQpa.so.6",
        "PySide6/Qt/lib/libicudata.so.73",
        "PySide6/Qt6Core.dll",
        "PySide6/Qt/lib/QtGui.framework/Versions/A/QtGui",
        "PySide6/QtWidgets.abi3.so",
        "cryptography/hazmat/bindings/_rust.abi3.so",
    ],
)
def test_kept(name: str) -> None:
    assert keep_binary(name)


@pytest.mark.parametrize(
    "name",
    [
        f"{PLUGINS}/platforms/libqwayland.so",
        f"{PLUGINS}/platforms/libqeglfs.so",
        f"{PLUGINS}/platforms/libqvnc.so",
        f"{PLUGINS}/platformthemes/libqgtk3.so",
        f"{PLUGINS}/imageformats/libqtiff.so",
        f"{PLUGINS}/imageformats/libqpdf.so",
        f"{PLUGINS}/generic/libqevdevmouseplugin.so",
        f"{PLUGINS}/tls/libqopensslbackend.so",
        f"{PLUGINS}/wayland-shell-integration/libxdg-shell.so",
        "PySide6/Qt/lib/libQt6Quick.so.6",
        "PySide6/Qt/lib/libQt6Qml.so.6",
        "PySide6/Qt/lib/libQt6Pdf.so.6",
        "PySide6/Qt/lib/libQt6WaylandClient.so.6",
        "PySide6/Qt/lib/libQt6Network.so.6",
        "PySide6/Qt6WebEngineCore.dll",
        "PySide6/Qt/lib/QtQuick.framework/Versions/A/QtQuick",
        "PySide6\\Qt6Qml.dll",
        "PySide6/opengl32sw.dll",
    ],
)
def test_left_out(name: str) -> None:
    assert not keep_binary(name)


def test_unused_macos_frameworks_go_whole() -> None:
    framework = "PySide6/Qt/lib/QtQuick.framework"
    assert not keep_binary(f"{framework}/Versions/A/QtQuick")
    assert not keep_data(f"{framework}/Versions/A/Resources/Info.plist")
    assert keep_data("PySide6/Qt/lib/QtGui.framework/Versions/A/Resources/Info.plist")


def test_translations_left_out_resources_kept() -> None:
    assert not keep_data("PySide6/Qt/translations/qtbase_de.qm")
    assert keep_data("resources/icons/lock-closed.svg")
    assert keep_data("keyring-25.7.0.dist-info/entry_points.txt")


def test_unused_qt_modules_are_excluded_and_used_ones_not() -> None:
    assert {"PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtWebEngineCore"} <= set(EXCLUDED_MODULES)
    assert not {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtSvg"} & set(
        EXCLUDED_MODULES
    )


def entry(path: str) -> tuple[str, str, str]:
    return (path.rsplit("/", 1)[-1], path, "BINARY")


def test_libraries_only_dropped_plugins_need_are_pruned() -> None:
    graph = {
        "/q/gtk3.so": ["/s/libgtk.so", "/s/libglib.so"],
        "/s/libgtk.so": ["/s/libcairo.so", "/s/libglib.so"],
        "/q/xcb.so": ["/s/libglib.so", "/s/libX11.so"],
        "/p/QtGui.so": ["/s/libglib.so"],
    }
    kept = [entry(p) for p in ("/q/xcb.so", "/p/QtGui.so", "/s/libgtk.so", "/s/libcairo.so")]
    kept += [entry("/s/libglib.so"), entry("/s/libX11.so")]
    remaining, orphans = prune_orphans(kept, [entry("/q/gtk3.so")], lambda p: graph.get(p, []))
    assert sorted(e[1] for e in orphans) == ["/s/libcairo.so", "/s/libgtk.so"]
    assert sorted(e[1] for e in remaining) == [
        "/p/QtGui.so",
        "/q/xcb.so",
        "/s/libX11.so",
        "/s/libglib.so",
    ]


def test_nothing_is_pruned_when_nothing_was_dropped() -> None:
    kept = [entry("/s/liba.so")]
    assert prune_orphans(kept, [], lambda p: []) == (kept, [])
