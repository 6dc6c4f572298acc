"""The main window's banner about the user's own certificate running out.

At start the stored certificate is read off the GUI thread; when the core rule
(``own_expiry_stage``, the one ``seal`` warns with) says it is at the 30, 14 or 3 day stage
or expired, a banner under the toolbar says how long is left and what to do. It never
blocks: the user can carry on, open "My certificate…" from it, or dismiss it.
"""

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMainWindow, QPushButton, QVBoxLayout

from desktop_app.core.identity import OwnCertificate
from desktop_app.core.messages import text
from desktop_app.core.recipients.lifecycle import own_expiry_stage
from desktop_app.services.identity_store import load_own_certificate, stored_identity
from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.theme import Theme


def own_expiry_words(address: str, not_after: datetime, at: datetime) -> str | None:
    """What the banner says at ``at``; None while more than 30 days are left."""
    stage = own_expiry_stage(not_after, at)
    if stage is None:
        return None
    date = f"{not_after:%Y-%m-%d}"
    if stage == 0:
        return text("own_banner.expired", address=address, date=date)
    days = max(1, (not_after - at).days)
    key = "own_banner.expires_one" if days == 1 else "own_banner.expires"
    return text(key, address=address, days=days, date=date)


class OwnCertificateBanner(QFrame):
    def __init__(
        self, words: str, theme: Theme, open_certificate: Callable[[], object] | None
    ) -> None:
        super().__init__()
        self.setObjectName("ownCertificateBanner")
        self.setAccessibleName(text("own_banner.name"))
        self.setAccessibleDescription(words)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 8, 10, 8)
        row.setSpacing(10)
        icon = QLabel()
        icon.setPixmap(theme.pixmap("warning", 20))
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignVCenter)
        self.message = QLabel(words)
        self.message.setObjectName("ownCertificateMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.message, 1)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        self.open_button: QPushButton | None = None
        if open_certificate is not None:
            self.open_button = QPushButton(text("own_banner.open"))
            self.open_button.setObjectName("ownCertificateOpen")
            self.open_button.clicked.connect(lambda: open_certificate())
            buttons.addWidget(self.open_button)
        self.dismiss_button = QPushButton(text("own_banner.dismiss"))
        self.dismiss_button.setObjectName("ownCertificateDismiss")
        self.dismiss_button.clicked.connect(self.hide)
        buttons.addWidget(self.dismiss_button)
        row.addLayout(buttons)


def _own_certificate(home: Path) -> OwnCertificate | None:
    return load_own_certificate(home) if stored_identity(home) is not None else None


def show_own_certificate_banner(
    window: QMainWindow,
    runner: BackgroundRunner,
    home: Path,
    clock: Callable[[], datetime],
    theme: Theme,
    open_certificate: Callable[[], object] | None,
) -> None:
    """Read the stored certificate in the background; put up the banner if it is due.

    A damaged or missing identity shows nothing here: the window's status says so already."""

    def shown(own: OwnCertificate | None) -> None:
        if own is None:
            return
        address = own.addresses[0] if own.addresses else own.cert.subject.rfc4514_string()
        words = own_expiry_words(address, own.cert.not_valid_after_utc, clock())
        central = window.centralWidget()
        layout = central.layout() if central is not None else None
        if words is None or not isinstance(layout, QVBoxLayout):
            return
        banner = OwnCertificateBanner(words, theme, open_certificate)
        layout.insertWidget(1, banner)  # under the toolbar, above the folders

    runner.run(lambda: _own_certificate(home), shown, failure=lambda _error: None, owner=window)
