"""The panel that shows a device-code sign-in: where to go and the code to type there."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.core.messages import text
from desktop_app.services.oauth.client import DeviceCode

CODE_POINT_SIZE_FACTOR = 1.8  # the code is read off the screen and typed elsewhere


class DeviceCodePanel(QFrame):
    """The verification page as a link and the user code, large, selectable and copyable."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exchangeCodePanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.link = QLabel()
        self.link.setObjectName("exchangeCodeLink")
        self.link.setOpenExternalLinks(True)
        self.link.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.code = QLabel()
        self.code.setObjectName("exchangeDeviceCode")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), 9.0) * CODE_POINT_SIZE_FACTOR)
        font.setBold(True)
        self.code.setFont(font)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy = QPushButton(text("exchange.dialog_copy_code"))
        self.copy.setObjectName("exchangeCopyCode")
        self.copy.clicked.connect(self._copy)
        row = QHBoxLayout()
        row.addWidget(self.code)
        row.addStretch(1)
        row.addWidget(self.copy)
        column = QVBoxLayout(self)
        column.addWidget(self.hint)
        column.addWidget(self.link)
        column.addLayout(row)

    def show_code(self, code: DeviceCode) -> None:
        until = dt.datetime.fromtimestamp(code.expires_at).strftime("%H:%M")
        uri = code.verification_uri
        self.hint.setText(text("exchange.dialog_device_code", until=until))
        # The page comes from the sign-in service; shown as the very address it opens,
        # and a link only for https (the tests' local authority included).
        shown = html.escape(uri)
        is_web = uri.lower().startswith("https://")
        self.link.setText(f'<a href="{shown}">{shown}</a>' if is_web else shown)
        self.code.setText(code.user_code)

    def _copy(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.code.text())
