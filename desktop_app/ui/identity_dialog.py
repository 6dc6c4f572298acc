"""The "My certificate" dialog: shows the user's own certificate and imports a PKCS#12 file.

Importing runs in the background (reading the file, deriving the key from the password,
the keyring). The dialog stores nothing itself: the import operation keeps the key
encrypted on disk and its passphrase in the OS keyring, or refuses and stores nothing.

Signals of ``IdentityDialog``: ``imported(object)`` with the imported ``Identity``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from cryptography import x509
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.identity import Identity
from desktop_app.core.messages import text
from desktop_app.core.pki.certificates import email_addresses, fingerprint_sha256
from desktop_app.services.user_identity import ImportIdentity
from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.dialog_parts import busy_bar, dialog_buttons, message_label
from desktop_app.ui.errors import error_text


def certificate_summary(cert: x509.Certificate, now: datetime) -> str:
    """Who the certificate is for, who issued it, until when, and its fingerprint."""
    addresses = ", ".join(email_addresses(cert)) or text("identity.no_address")
    state = text("identity.expired") if now > cert.not_valid_after_utc else ""
    return text(
        "identity_dialog.current",
        addresses=addresses,
        issuer=cert.issuer.rfc4514_string(),
        not_after=cert.not_valid_after_utc.date().isoformat(),
        state=state,
        fingerprint=fingerprint_sha256(cert)[:23],
    )


class IdentityDialog(QDialog):
    """Shows the current certificate, if any, and imports another from a .p12/.pfx file."""

    imported = Signal(object)

    def __init__(
        self,
        runner: BackgroundRunner,
        importing: ImportIdentity,
        current: x509.Certificate | None,
        now: datetime,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("identityDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(text("identity_dialog.title"))
        self._runner = runner
        self._importing = importing
        self._now = now
        self._busy = False
        intro = QLabel(text("identity_dialog.intro"))
        intro.setWordWrap(True)
        self.current = QLabel(
            certificate_summary(current, now) if current else text("identity_dialog.none")
        )
        self.current.setObjectName("identityCurrent")
        # Not wrapped: its lines are set explicitly, and a wrapped label in a form row is
        # given one line's height when its text grows.
        self.current.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.file = QLineEdit()
        self.file.setObjectName("identityFile")
        self.file.setPlaceholderText(text("identity_dialog.file_placeholder"))
        self.browse_button = QPushButton(text("identity_dialog.browse"))
        self.browse_button.clicked.connect(self.browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file, 1)
        file_row.addWidget(self.browse_button)
        self.password = QLineEdit()
        self.password.setObjectName("identityPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(text("identity_dialog.current_label"), self.current)
        form.addRow(text("identity_dialog.file_label"), file_row)
        form.addRow(text("identity_dialog.password_label"), self.password)
        self.progress = busy_bar()
        self.message = message_label("identityMessage")
        self.buttons, self.import_button = dialog_buttons(
            QDialogButtonBox.StandardButton.Close,
            text("identity_dialog.import"),
            "identityImport",
            self.start_import,
            self.reject,
        )
        column = QVBoxLayout(self)
        column.addWidget(intro)
        column.addLayout(form)
        column.addWidget(self.progress)
        column.addWidget(self.message)
        column.addWidget(self.buttons)
        self.setMinimumWidth(480)

    @property
    def busy(self) -> bool:
        return self._busy

    def browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, text("identity_dialog.title"), "", text("identity_dialog.file_filter")
        )
        if chosen:
            self.file.setText(chosen)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        # An import runs to its end: a closed dialog would leave the app unaware of it.
        for widget in (self.file, self.browse_button, self.password, self.import_button, close):
            if widget is not None:
                widget.setEnabled(not busy)
        self.progress.setVisible(busy)

    def reject(self) -> None:
        if not self._busy:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._busy:
            event.ignore()
            return
        super().closeEvent(event)

    def start_import(self) -> None:
        name = self.file.text().strip()
        if not name:
            self.message.setText(text("identity_dialog.no_file"))
            self.file.setFocus()
            return
        path = Path(name)
        # An empty password lets the reader try both "no password" and the empty one.
        password = self.password.text().encode("utf-8") or None
        self._set_busy(True)
        self.message.setText(text("identity_dialog.importing", file=path.name))
        self._runner.run(
            lambda: self._importing(path, password),
            self._on_imported,
            failure=self._on_failed,
            owner=self,
        )

    def _on_imported(self, identity: Identity) -> None:
        self._set_busy(False)
        self.password.clear()
        self.file.clear()
        self.current.setText(certificate_summary(identity.cert, self._now))
        self.message.setText(text("identity_dialog.imported"))
        QTimer.singleShot(0, self._fit_height)
        self.imported.emit(identity)

    def _fit_height(self) -> None:
        """Grow to show every line (the summary is three lines where "none" was one);
        called once the layout has taken the new texts in."""
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def _on_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.message.setText(error_text(error))
        QTimer.singleShot(0, self._fit_height)
        self.password.setFocus()
