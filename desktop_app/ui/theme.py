"""Icons and the style sheet, read from ``resources/`` at run time, and the colour palette."""

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

# The Fusion palette roles set for each scheme; the style sheets take the rest from them.
_PALETTES = {
    False: {
        QPalette.ColorRole.Window: "#f4f5f7",
        QPalette.ColorRole.WindowText: "#1d1d1f",
        QPalette.ColorRole.Base: "#ffffff",
        QPalette.ColorRole.AlternateBase: "#f7f8fa",
        QPalette.ColorRole.Text: "#1d1d1f",
        QPalette.ColorRole.PlaceholderText: "#8a8f98",
        QPalette.ColorRole.Button: "#ffffff",
        QPalette.ColorRole.ButtonText: "#1d1d1f",
        QPalette.ColorRole.Highlight: "#0a64d6",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#ffffff",
        QPalette.ColorRole.ToolTipText: "#1d1d1f",
        QPalette.ColorRole.Link: "#0a64d6",
        QPalette.ColorRole.Mid: "#d5d8de",
        QPalette.ColorRole.Dark: "#a0a4ab",
    },
    True: {
        QPalette.ColorRole.Window: "#1f2023",
        QPalette.ColorRole.WindowText: "#e8e9eb",
        QPalette.ColorRole.Base: "#26272b",
        QPalette.ColorRole.AlternateBase: "#2c2d31",
        QPalette.ColorRole.Text: "#e8e9eb",
        QPalette.ColorRole.PlaceholderText: "#8d9199",
        QPalette.ColorRole.Button: "#2f3035",
        QPalette.ColorRole.ButtonText: "#e8e9eb",
        QPalette.ColorRole.Highlight: "#3d8bfd",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#2f3035",
        QPalette.ColorRole.ToolTipText: "#e8e9eb",
        QPalette.ColorRole.Link: "#6ea8fe",
        QPalette.ColorRole.Mid: "#3a3b40",
        QPalette.ColorRole.Dark: "#5c5f66",
    },
}


def system_prefers_dark(app: QGuiApplication) -> bool:
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


class Theme:
    """The light or dark look: palette, style sheet and icons, with icons cached.

    Icons are ``resources/icons/<name>.svg``; in the dark scheme a file of the same name
    in ``resources/icons/dark/`` is preferred (for monochrome icons that need light ink).
    """

    def __init__(self, resources: Path, *, dark: bool) -> None:
        self._icons_folder = resources / "icons"
        self._styles_folder = resources / "styles"
        self.dark = dark
        self._icons: dict[str, QIcon] = {}

    def icon_path(self, name: str) -> Path:
        if self.dark:
            dark = self._icons_folder / "dark" / f"{name}.svg"
            if dark.exists():
                return dark
        return self._icons_folder / f"{name}.svg"

    def icon(self, name: str) -> QIcon:
        cached = self._icons.get(name)
        if cached is None:
            cached = QIcon(str(self.icon_path(name)))
            self._icons[name] = cached
        return cached

    def pixmap(self, name: str, size: int) -> QPixmap:
        return self.icon(name).pixmap(QSize(size, size))

    def style_sheet(self) -> str:
        scheme = "dark.qss" if self.dark else "light.qss"
        parts = [
            (self._styles_folder / name).read_text(encoding="utf-8")
            for name in ("base.qss", scheme)
        ]
        return "\n".join(parts).replace("@icons@", self._icons_folder.as_posix())

    def palette(self) -> QPalette:
        palette = QPalette()
        for role, colour in _PALETTES[self.dark].items():
            palette.setColor(role, QColor(colour))
        disabled = QColor(_PALETTES[self.dark][QPalette.ColorRole.PlaceholderText])
        for role in (
            QPalette.ColorRole.Text,
            QPalette.ColorRole.ButtonText,
            QPalette.ColorRole.WindowText,
        ):
            palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
        return palette

    def apply(self, app: QApplication) -> None:
        app.setStyle("Fusion")
        app.setPalette(self.palette())
        app.setStyleSheet(self.style_sheet())
