"""The Exchange account dialog: where the server is, who signs in, and signing in once.

Signing in runs in the background (it talks to the server); the dialog stores nothing
itself: ``sign_in`` keeps the account only once the server has accepted the password.

Signals of ``AccountDialog``: ``signedIn(object)`` with the stored ``AccountConfig``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import UserFacingError
from desktop_app.core.recipients.addresses import MailboxKind, parse_mailbox
from desktop_app.services.exchange.account import (
    AccountConfig,
    AuthType,
    ExchangeSettings,
    check_url,
)
from desktop_app.services.exchange.session import sign_in
from desktop_app.services.secrets import SecretStore
from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.errors import error_text

TITLE = "Exchange account"
INTRO = (
    "smime-guard looks up your colleagues' certificates in the Exchange directory and "
    "sends through your mailbox. The password is kept in the system keyring only."
)
EMAIL_LABEL = "E-mail address"
AUTODISCOVER_LABEL = "Find the server automatically (autodiscover)"
SERVER_LABEL = "EWS address"
SERVER_PLACEHOLDER = "https://mail.example.org/EWS/Exchange.asmx"
USERNAME_LABEL = "User name"
USERNAME_PLACEHOLDER = "The e-mail address, or DOMAIN\\user"
AUTH_LABEL = "Sign-in method"
PASSWORD_LABEL = "Password"
SIGN_IN = "Sign in"
SIGNING_IN = "Signing in to {server}…"
SIGNED_IN = "Signed in as {email}."
AUTH_NAMES = {
    AuthType.NTLM: "NTLM (Windows sign-in)",
    AuthType.BASIC: "Basic",
    AuthType.OAUTH2: "OAuth 2.0 (Exchange Online): not available yet",
}
BAD_EMAIL = "Enter your e-mail address, for example you@example.org."
NO_SERVER = "Enter the EWS address of your Exchange server, or choose autodiscover."
NO_PASSWORD = "Enter your password."
OAUTH_NOT_YET = (
    "Signing in with OAuth 2.0 is not available yet; choose NTLM or Basic for an "
    "on-premises Exchange server."
)


class AccountInputError(UserFacingError):
    """What was entered cannot be an account yet (missing or malformed)."""


# (config, password, autodiscover) -> the account as stored; runs off the GUI thread.
SignIn = Callable[[AccountConfig, str, bool], AccountConfig]


def sign_in_operation(
    home: Path, open_secrets: Callable[[], SecretStore], settings: ExchangeSettings
) -> SignIn:
    """The dialog's sign-in for ``home``: the keyring is opened first, so a missing one is
    reported before the server is asked; nothing is stored unless the server agrees."""

    def run(config: AccountConfig, password: str, autodiscover: bool) -> AccountConfig:
        secrets = open_secrets()
        return sign_in(home, config, password, secrets, settings, autodiscover=autodiscover)

    return run


class AccountDialog(QDialog):
    """Asks for the account's details and signs in with them in the background."""

    signedIn = Signal(object)

    def __init__(
        self,
        runner: BackgroundRunner,
        sign_in: SignIn,
        current: AccountConfig | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exchangeAccountDialog")
        # Deleted on the GUI thread when closed, never by a garbage collection that happens
        # to run on the background helper's thread.
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(TITLE)
        self._runner = runner
        self._sign_in = sign_in
        self.result_config: AccountConfig | None = None
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.email = QLineEdit(current.email if current else "")
        self.email.setObjectName("exchangeEmail")
        self.autodiscover = QCheckBox(AUTODISCOVER_LABEL)
        self.autodiscover.toggled.connect(self._update)
        self.server = QLineEdit(current.ews_url if current else "")
        self.server.setObjectName("exchangeServer")
        self.server.setPlaceholderText(SERVER_PLACEHOLDER)
        self.username = QLineEdit((current.username or "") if current else "")
        self.username.setPlaceholderText(USERNAME_PLACEHOLDER)
        self.auth = QComboBox()
        for auth, name in AUTH_NAMES.items():
            self.auth.addItem(name, auth)
        self._disable_oauth()
        self.auth.setCurrentIndex(self.auth.findData(current.auth if current else AuthType.NTLM))
        self.password = QLineEdit()
        self.password.setObjectName("exchangePassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(EMAIL_LABEL, self.email)
        form.addRow("", self.autodiscover)
        form.addRow(SERVER_LABEL, self.server)
        form.addRow(USERNAME_LABEL, self.username)
        form.addRow(AUTH_LABEL, self.auth)
        form.addRow(PASSWORD_LABEL, self.password)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: how long the server takes is not known
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(6)
        self.progress.hide()
        self.message = QLabel()
        self.message.setObjectName("exchangeMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_in_button = QPushButton(SIGN_IN)
        self.sign_in_button.setObjectName("exchangeSignIn")
        self.sign_in_button.setDefault(True)
        self.buttons.addButton(self.sign_in_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.sign_in_button.clicked.connect(self.start_sign_in)
        self.buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(intro)
        column.addLayout(form)
        column.addWidget(self.progress)
        column.addWidget(self.message)
        column.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self._busy = False
        self._update()

    def _disable_oauth(self) -> None:
        model = self.auth.model()
        if isinstance(model, QStandardItemModel):
            item = model.item(self.auth.findData(AuthType.OAUTH2))
            if item is not None:
                item.setEnabled(False)

    def _update(self) -> None:
        idle = not self._busy
        for widget in (self.email, self.autodiscover, self.username, self.auth, self.password):
            widget.setEnabled(idle)
        self.server.setEnabled(idle and not self.autodiscover.isChecked())
        self.sign_in_button.setEnabled(idle)
        self.progress.setVisible(self._busy)

    @property
    def busy(self) -> bool:
        return self._busy

    def _config(self) -> AccountConfig:
        """The account as entered; a UserFacingError names what is missing or wrong."""
        try:
            mailbox = parse_mailbox(self.email.text().strip())
        except UserFacingError:
            raise AccountInputError(BAD_EMAIL) from None
        if mailbox.kind is not MailboxKind.SMTP:
            raise AccountInputError(BAD_EMAIL)
        auth = AuthType(self.auth.currentData())
        if auth is AuthType.OAUTH2:
            raise AccountInputError(OAUTH_NOT_YET)
        url = self.server.text().strip()
        if not self.autodiscover.isChecked():
            if not url:
                raise AccountInputError(NO_SERVER)
            check_url(url)
        if not self.password.text():
            raise AccountInputError(NO_PASSWORD)
        return AccountConfig(
            email=mailbox.address,
            ews_url=url,
            auth=auth,
            username=self.username.text().strip() or None,
        )

    def start_sign_in(self) -> None:
        try:
            config = self._config()
        except UserFacingError as error:
            self._show(error.message, failed=True)
            return
        password = self.password.text()
        autodiscover = self.autodiscover.isChecked()
        sign_in = self._sign_in
        self._busy = True
        self._update()
        where = config.server if not autodiscover else config.email.rpartition("@")[2]
        self._show(SIGNING_IN.format(server=where), failed=False)
        self._runner.run(
            lambda: sign_in(config, password, autodiscover),
            self._on_signed_in,
            channel="exchange-sign-in",
            failure=self._on_failed,
            owner=self,
        )

    def _show(self, message: str, *, failed: bool) -> None:
        self.message.setText(message)
        self.message.setProperty("failed", failed)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def _on_signed_in(self, config: AccountConfig) -> None:
        self._busy = False
        self._update()
        self.password.clear()
        self.result_config = config
        self._show(SIGNED_IN.format(email=config.email), failed=False)
        self.signedIn.emit(config)
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self._busy = False
        self._update()
        self._show(error_text(error), failed=True)
        self.password.setFocus()
        self.password.selectAll()
