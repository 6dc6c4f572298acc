"""The Exchange account dialog: where the server is, who signs in, and signing in once.

Signing in runs in the background (it talks to the server and the sign-in service); the
dialog stores nothing itself: the session keeps the account only once the server has
accepted the password or the OAuth 2.0 token.

Signals of ``AccountDialog``: ``signedIn(object)`` with the stored ``AccountConfig``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.core.recipients.addresses import MailboxKind, parse_mailbox
from desktop_app.services.exchange.account import (
    EXCHANGE_ONLINE_EWS,
    AccountConfig,
    AuthType,
    ExchangeSettings,
    OAuthConfig,
    authority_url,
    check_oauth_url,
    check_url,
)
from desktop_app.services.exchange.oauth import DeviceFlow, OAuthContext
from desktop_app.services.exchange.oauth_sign_in import (
    DeviceCodeStart,
    OAuthFlow,
    SignInOperations,
)
from desktop_app.services.secrets import SecretStore
from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.dialog_parts import busy_bar, dialog_buttons, message_label
from desktop_app.ui.errors import error_text
from desktop_app.ui.exchange.device_code_panel import DeviceCodePanel

AUTH_KEYS = {
    AuthType.NTLM: "exchange.auth_ntlm",
    AuthType.BASIC: "exchange.auth_basic",
    AuthType.OAUTH2: "exchange.auth_oauth2",
}
FLOW_KEYS = {
    OAuthFlow.DEVICE_CODE: "exchange.dialog_flow_device",
    OAuthFlow.BROWSER: "exchange.dialog_flow_browser",
}
CHANNEL = "exchange-sign-in"


class AccountInputError(UserFacingError):
    """What was entered cannot be an account yet (missing or malformed)."""


# (config, password, autodiscover) -> the account as stored; runs off the GUI thread.
SignIn = Callable[[AccountConfig, str, bool], AccountConfig]


def sign_in_operation(
    home: Path,
    open_secrets: Callable[[], SecretStore],
    settings: ExchangeSettings,
    oauth: OAuthContext | None = None,
) -> SignInOperations:
    """The dialog's sign-in for ``home``, with passwords and OAuth 2.0.

    Pass the process's one ``OAuthContext`` (built in ``app.py``): where no encrypted
    token store exists, the sign-in lives in its memory and the connections need it.
    """
    return SignInOperations(home, open_secrets, settings, oauth)


class AccountDialog(QDialog):
    """Asks for the account's details and signs in with them in the background.

    OAuth 2.0 is offered when ``sign_in`` is a ``SignInOperations`` (what
    ``sign_in_operation`` returns); with a plain function only passwords are.
    """

    signedIn = Signal(object)

    def __init__(
        self,
        runner: BackgroundRunner,
        sign_in: SignIn | SignInOperations,
        current: AccountConfig | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exchangeAccountDialog")
        # Deleted on the GUI thread when closed, never by a garbage collection that happens
        # to run on the background helper's thread.
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(text("exchange.dialog_title"))
        self._runner = runner
        self._sign_in = sign_in
        self._operations = sign_in if isinstance(sign_in, SignInOperations) else None
        self._flow: DeviceFlow | None = None
        self._busy = False
        self.result_config: AccountConfig | None = None
        self._build_fields(current)
        self.code_panel = DeviceCodePanel()
        self.code_panel.hide()
        self._build_layout()
        self._update()

    # -- building -------------------------------------------------------------------

    def _build_fields(self, current: AccountConfig | None) -> None:
        self.email = QLineEdit(current.email if current else "")
        self.email.setObjectName("exchangeEmail")
        self.autodiscover = QCheckBox(text("exchange.dialog_autodiscover"))
        self.autodiscover.toggled.connect(self._update)
        self.server = QLineEdit(current.ews_url if current else "")
        self.server.setObjectName("exchangeServer")
        self.server.setPlaceholderText(text("exchange.dialog_server_placeholder"))
        self.username = QLineEdit((current.username or "") if current else "")
        self.username.setPlaceholderText(text("exchange.dialog_username_placeholder"))
        self.auth = QComboBox()
        for auth, key in AUTH_KEYS.items():
            self.auth.addItem(text(key), auth)
        if self._operations is None:
            self._disable_oauth()
        self.auth.setCurrentIndex(self.auth.findData(current.auth if current else AuthType.NTLM))
        self.auth.currentIndexChanged.connect(self._update)
        self.password = QLineEdit()
        self.password.setObjectName("exchangePassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        oauth = current.oauth if current else None
        self.tenant = QLineEdit(oauth.authority if oauth else "")
        self.tenant.setObjectName("exchangeTenant")
        self.tenant.setPlaceholderText(text("exchange.dialog_tenant_placeholder"))
        default_client = self._operations.default_client_id if self._operations else None
        self.client_id = QLineEdit(oauth.client_id if oauth else (default_client or ""))
        self.client_id.setObjectName("exchangeClientId")
        self.client_id.setPlaceholderText(text("exchange.dialog_client_id_placeholder"))
        self.flow = QComboBox()
        self.flow.setObjectName("exchangeOAuthFlow")
        for flow, key in FLOW_KEYS.items():
            self.flow.addItem(text(key), flow)

    def _build_layout(self) -> None:
        intro = QLabel(text("exchange.dialog_intro"))
        intro.setWordWrap(True)
        self.form = QFormLayout()
        self.form.addRow(text("exchange.dialog_email"), self.email)
        self.form.addRow("", self.autodiscover)
        self.form.addRow(text("exchange.dialog_server"), self.server)
        self.form.addRow(text("exchange.dialog_username"), self.username)
        self.form.addRow(text("exchange.dialog_auth"), self.auth)
        self.form.addRow(text("exchange.dialog_password"), self.password)
        self.form.addRow(text("exchange.dialog_tenant"), self.tenant)
        self.form.addRow(text("exchange.dialog_client_id"), self.client_id)
        self.form.addRow(text("exchange.dialog_oauth_flow"), self.flow)
        self.progress = busy_bar()
        self.message = message_label("exchangeMessage")
        self.buttons, self.sign_in_button = dialog_buttons(
            QDialogButtonBox.StandardButton.Cancel,
            text("exchange.dialog_sign_in"),
            "exchangeSignIn",
            self._sign_in_or_stop,
            self.reject,
        )
        column = QVBoxLayout(self)
        column.addWidget(intro)
        column.addLayout(self.form)
        column.addWidget(self.code_panel)
        column.addWidget(self.progress)
        column.addWidget(self.message)
        column.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def _disable_oauth(self) -> None:
        model = self.auth.model()
        if isinstance(model, QStandardItemModel):
            item = model.item(self.auth.findData(AuthType.OAUTH2))
            if item is not None:
                item.setEnabled(False)

    # -- state ----------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def waiting_for_code(self) -> bool:
        """True while the user is to enter the shown code in a browser."""
        return self._flow is not None

    def _chosen_auth(self) -> AuthType:
        return AuthType(self.auth.currentData())

    def _update(self) -> None:
        idle = not self._busy
        oauth = self._chosen_auth() is AuthType.OAUTH2
        for widget in (self.email, self.autodiscover, self.username, self.auth, self.password):
            widget.setEnabled(idle)
        for widget in (self.tenant, self.client_id, self.flow):
            widget.setEnabled(idle)
        self.server.setEnabled(idle and not self.autodiscover.isChecked())
        self.form.setRowVisible(self.password, not oauth)
        for widget in (self.tenant, self.client_id, self.flow):
            self.form.setRowVisible(widget, oauth)
        stoppable = self._flow is not None and not self._flow.cancelled
        self.sign_in_button.setText(
            text("exchange.dialog_cancel_sign_in" if self._flow else "exchange.dialog_sign_in")
        )
        self.sign_in_button.setEnabled(idle or stoppable)
        # A sign-in that cannot be stopped (a password check, a browser sign-in) must not
        # be left behind by a closed dialog: it would store the account unseen.
        self._cancel_button().setEnabled(idle or stoppable)
        self.progress.setVisible(self._busy)
        self.code_panel.setVisible(self._flow is not None)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        if not busy:
            self._flow = None
        self._update()

    # -- input ----------------------------------------------------------------------

    def _config(self) -> AccountConfig:
        """The account as entered; a UserFacingError names what is missing or wrong."""
        try:
            mailbox = parse_mailbox(self.email.text().strip())
        except UserFacingError:
            raise AccountInputError(text("exchange.dialog_bad_email")) from None
        if mailbox.kind is not MailboxKind.SMTP:
            raise AccountInputError(text("exchange.dialog_bad_email"))
        auth = self._chosen_auth()
        url = self.server.text().strip()
        username = self.username.text().strip() or None
        if auth is AuthType.OAUTH2:
            return self._oauth_config(mailbox.address, url, username)
        if not self.autodiscover.isChecked():
            if not url:
                raise AccountInputError(text("exchange.dialog_no_server"))
            check_url(url)
        if not self.password.text():
            raise AccountInputError(text("exchange.dialog_no_password"))
        return AccountConfig(email=mailbox.address, ews_url=url, auth=auth, username=username)

    def _oauth_config(self, email: str, url: str, username: str | None) -> AccountConfig:
        if self.autodiscover.isChecked():
            url = EXCHANGE_ONLINE_EWS
        elif not url:
            raise AccountInputError(text("exchange.dialog_no_server"))
        check_oauth_url(url)
        client_id = self.client_id.text().strip()
        if not client_id:
            raise AccountInputError(text("exchange.dialog_no_client_id"))
        oauth = OAuthConfig(authority_url(self.tenant.text()), client_id)
        return AccountConfig(email, url, AuthType.OAUTH2, username, oauth=oauth)

    # -- signing in -----------------------------------------------------------------

    def _sign_in_or_stop(self) -> None:
        if self._flow is not None:
            self.stop_sign_in()
        else:
            self.start_sign_in()

    def start_sign_in(self) -> None:
        try:
            config = self._config()
        except UserFacingError as error:
            self._show(error.message, failed=True)
            return
        if config.auth is AuthType.OAUTH2:
            self._start_oauth(config)
            return
        password = self.password.text()
        autodiscover = self.autodiscover.isChecked()
        sign_in = self._sign_in
        self._set_busy(True)
        where = config.server if not autodiscover else config.email.rpartition("@")[2]
        self._show(text("exchange.dialog_signing_in", server=where), failed=False)
        self._runner.run(
            lambda: sign_in(config, password, autodiscover),
            self._on_signed_in,
            channel=CHANNEL,
            failure=self._on_failed,
            owner=self,
        )

    def _start_oauth(self, config: AccountConfig) -> None:
        operations = self._operations
        assert operations is not None and config.oauth is not None  # offered only then
        self._set_busy(True)
        if OAuthFlow(self.flow.currentData()) is OAuthFlow.BROWSER:
            self._show(text("exchange.dialog_browser_waiting"), failed=False)
            self._runner.run(
                lambda: operations.sign_in_with_browser(config),
                self._on_signed_in,
                channel=CHANNEL,
                failure=self._on_failed,
                owner=self,
            )
            return
        host = config.oauth.authority_host
        self._show(text("exchange.dialog_asking_authority", authority=host), failed=False)
        self._runner.run(
            lambda: operations.start_device_code(config),
            self._on_device_code,
            channel=CHANNEL,
            failure=self._on_failed,
            owner=self,
        )

    def _on_device_code(self, start: DeviceCodeStart) -> None:
        operations = self._operations
        assert operations is not None
        self._flow = start.flow
        self.code_panel.show_code(start.flow.code)
        self._show("", failed=False)
        self._update()
        self._runner.run(
            lambda: operations.finish_device_code(start),
            self._on_signed_in,
            channel=CHANNEL,
            failure=self._on_failed,
            owner=self,
        )

    def stop_sign_in(self) -> None:
        """Stop waiting for the code; the wait ends within a second, storing nothing."""
        if self._flow is not None:
            self._flow.cancel()
            self._update()

    def _show(self, message: str, *, failed: bool) -> None:
        self.message.setText(message)
        self.message.setProperty("failed", failed)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def _on_signed_in(self, config: AccountConfig) -> None:
        self._set_busy(False)
        self.password.clear()
        self.result_config = config
        self._show(text("exchange.dialog_signed_in", email=config.email), failed=False)
        self.signedIn.emit(config)
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._show(error_text(error), failed=True)
        if self._chosen_auth() is not AuthType.OAUTH2:
            self.password.setFocus()
            self.password.selectAll()

    # -- closing --------------------------------------------------------------------

    def _cancel_button(self) -> QPushButton:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert button is not None
        return button

    def _unstoppable(self) -> bool:
        return self._busy and self._flow is None

    def reject(self) -> None:
        if self._unstoppable():
            return  # Escape while a sign-in that cannot be stopped runs: it ends on its own
        self.stop_sign_in()  # a wait for a code must not outlive the dialog
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._unstoppable():
            event.ignore()
            return
        self.stop_sign_in()
        super().closeEvent(event)
