"""The Exchange account dialog: where the server is, who signs in, and signing in once.

Signing in runs in the background (it talks to the server and the sign-in service); the
dialog stores nothing itself: the session keeps the account only once the server has
accepted the password or the OAuth 2.0 token.

Signals of ``ExchangeAccountDialog``: ``signedIn(object)`` with the stored ``AccountConfig``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.core.recipients.addresses import MailboxKind, parse_mailbox
from desktop_app.services.exchange.account import (
    EXCHANGE_ONLINE_EWS,
    AccountConfig,
    AuthType,
    check_oauth_url,
    check_url,
)
from desktop_app.services.exchange.oauth_sign_in import (
    DeviceCodeStart,
    OAuthFlow,
    SignInOperations,
)
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.oauth.config import OAuthConfig, authority_url
from desktop_app.ui.accounts.sign_in_dialog import DialogSetup, SignInDialog
from desktop_app.ui.background import BackgroundRunner

AUTH_KEYS = {
    AuthType.NTLM: "exchange.auth_ntlm",
    AuthType.BASIC: "exchange.auth_basic",
    AuthType.OAUTH2: "exchange.auth_oauth2",
}
FLOW_KEYS = {
    OAuthFlow.DEVICE_CODE: "exchange.dialog_flow_device",
    OAuthFlow.BROWSER: "exchange.dialog_flow_browser",
}
SETUP = DialogSetup(
    name="exchangeAccountDialog",
    title="exchange.dialog_title",
    intro="exchange.dialog_intro",
    sign_in="exchange.dialog_sign_in",
    sign_in_name="exchangeSignIn",
    message_name="exchangeMessage",
    channel="exchange-sign-in",
    minimum_width=480,
)


class AccountInputError(UserFacingError):
    """What was entered cannot be an account yet (missing or malformed)."""


# (config, password, autodiscover) -> the account as stored; runs off the GUI thread.
PasswordSignIn = Callable[[AccountConfig, str, bool], AccountConfig]


def sign_in_operation(access: MailAccess, timeout: float | None = None) -> SignInOperations:
    """The dialog's sign-in for ``access``'s home, with passwords and OAuth 2.0.

    Pass the process's one ``MailAccess`` (built in ``app``): where no encrypted token
    store exists, the sign-in lives in its OAuth context's memory and the connections
    need it. ``timeout`` shortens the Exchange settings' own.
    """
    return SignInOperations(access, timeout)


class ExchangeAccountDialog(SignInDialog):
    """Asks for the account's details and signs in with them in the background.

    OAuth 2.0 is offered when ``sign_in`` is a ``SignInOperations`` (what
    ``sign_in_operation`` returns); with a plain function only passwords are.
    """

    signedIn = Signal(object)

    def __init__(
        self,
        runner: BackgroundRunner,
        sign_in: PasswordSignIn | SignInOperations,
        current: AccountConfig | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, SETUP, parent)
        self._sign_in = sign_in
        self._operations = sign_in if isinstance(sign_in, SignInOperations) else None
        self.result_config: AccountConfig | None = None
        self._build_fields(current)
        self._build_form()
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

    def _build_form(self) -> None:
        self.form.addRow(text("exchange.dialog_email"), self.email)
        self.form.addRow("", self.autodiscover)
        self.form.addRow(text("exchange.dialog_server"), self.server)
        self.form.addRow(text("exchange.dialog_username"), self.username)
        self.form.addRow(text("exchange.dialog_auth"), self.auth)
        self.form.addRow(text("exchange.dialog_password"), self.password)
        self.form.addRow(text("exchange.dialog_tenant"), self.tenant)
        self.form.addRow(text("exchange.dialog_client_id"), self.client_id)
        self.form.addRow(text("exchange.dialog_oauth_flow"), self.flow)
        self._lay_out()

    def _disable_oauth(self) -> None:
        model = self.auth.model()
        if isinstance(model, QStandardItemModel):
            item = model.item(self.auth.findData(AuthType.OAUTH2))
            if item is not None:
                item.setEnabled(False)

    # -- state ----------------------------------------------------------------------

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

    def _sign_in_clicked(self) -> None:
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
        where = config.server if not autodiscover else config.email.rpartition("@")[2]
        self._start(text("exchange.dialog_signing_in", server=where))
        self._run(lambda: sign_in(config, password, autodiscover), self._on_signed_in)

    def _start_oauth(self, config: AccountConfig) -> None:
        operations = self._operations
        assert operations is not None and config.oauth is not None  # offered only then
        if OAuthFlow(self.flow.currentData()) is OAuthFlow.BROWSER:
            self._start(text("exchange.dialog_browser_waiting"))
            self._run(lambda: operations.sign_in_with_browser(config), self._on_signed_in)
            return
        host = config.oauth.authority_host
        self._start(text("exchange.dialog_asking_authority", authority=host))
        self._run(lambda: operations.start_device_code(config), self._on_device_code)

    def _on_device_code(self, start: DeviceCodeStart) -> None:
        operations = self._operations
        assert operations is not None
        self._show_code(start.flow)
        self._show("", failed=False)
        self._update()
        self._run(lambda: operations.finish_device_code(start), self._on_signed_in)

    def _on_signed_in(self, config: AccountConfig) -> None:
        self._idle()
        self._update()
        self.password.clear()
        self.result_config = config
        self._show(text("exchange.dialog_signed_in", email=config.email), failed=False)
        self.signedIn.emit(config)
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        super()._on_failed(error)
        if self._chosen_auth() is not AuthType.OAUTH2:
            self.password.setFocus()
            self.password.selectAll()
