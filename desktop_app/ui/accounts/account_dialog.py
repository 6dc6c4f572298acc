"""The mail account dialog: an address, the kind Autodiscover suggests, and signing in once.

Asking Autodiscover and signing in run in the background; the dialog stores nothing
itself (``add_account`` keeps the account once the server accepted the sign-in).

Signals of ``MailAccountDialog``: ``accountAdded(object)`` with the stored ``Account``;
``deviceFlowStarted(object)`` (internal: carries a device-code sign-in to the GUI thread).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.services.accounts.adding import new_account
from desktop_app.services.accounts.kinds import SignInRequest
from desktop_app.services.accounts.model import Account, AccountKind
from desktop_app.services.accounts.suggest import Suggestion
from desktop_app.services.exchange.oauth import DeviceFlow
from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.dialog_parts import busy_bar, dialog_buttons, message_label
from desktop_app.ui.errors import error_text
from desktop_app.ui.exchange.device_code_panel import DeviceCodePanel

SUGGEST_CHANNEL = "account-suggest"
SIGN_IN_CHANNEL = "account-sign-in"

Suggest = Callable[[str], Suggestion]
# (account, request, device_flow_started) -> a sentence; runs off the GUI thread.
AddAccount = Callable[[Account, SignInRequest, Callable[[DeviceFlow], None]], str]


class MailAccountDialog(QDialog):
    """Asks for an address, suggests the kind, and adds the account in the background."""

    accountAdded = Signal(object)
    deviceFlowStarted = Signal(object)

    def __init__(
        self,
        runner: BackgroundRunner,
        suggest: Suggest,
        add: AddAccount,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mailAccountDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(text("accounts.dialog_title"))
        self._runner = runner
        self._suggest = suggest
        self._add = add
        self._flow: DeviceFlow | None = None
        self._busy = False
        self._asked = ""
        self.result_account: Account | None = None
        self._build()
        self.deviceFlowStarted.connect(self._show_code)
        self._update()

    def _build(self) -> None:
        self.email = QLineEdit()
        self.email.setObjectName("accountEmail")
        self.email.editingFinished.connect(self.ask_suggestion)
        self.kind = QComboBox()
        self.kind.setObjectName("accountKind")
        for kind in (AccountKind.M365, AccountKind.IMAP, AccountKind.EXCHANGE):
            # By value: findData does not compare Python objects reliably.
            self.kind.addItem(text(f"accounts.kind.{kind.value}"), kind.value)
        self.kind.currentIndexChanged.connect(self._update)
        self.client_id = QLineEdit()
        self.tenant = QLineEdit()
        self.tenant.setPlaceholderText(text("accounts.dialog_tenant_placeholder"))
        self.imap = QLineEdit()
        self.smtp = QLineEdit()
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.form = QFormLayout()
        self.form.addRow(text("accounts.dialog_email"), self.email)
        self.form.addRow(text("accounts.dialog_kind"), self.kind)
        self.form.addRow(text("accounts.dialog_client_id"), self.client_id)
        self.form.addRow(text("accounts.dialog_tenant"), self.tenant)
        self.form.addRow(text("accounts.dialog_imap"), self.imap)
        self.form.addRow(text("accounts.dialog_smtp"), self.smtp)
        self.form.addRow(text("accounts.dialog_username"), self.username)
        self.form.addRow(text("accounts.dialog_password"), self.password)
        self.suggestion = message_label("accountSuggestion")
        self.hint = QLabel(text("accounts.dialog_exchange_hint"))
        self.hint.setWordWrap(True)
        self.code_panel = DeviceCodePanel()
        self.code_panel.hide()
        self.busy = busy_bar()
        self.message = message_label("accountMessage")
        self.buttons, self.sign_in_button = dialog_buttons(
            QDialogButtonBox.StandardButton.Cancel,
            text("accounts.dialog_sign_in"),
            "accountSignIn",
            self.sign_in,
            self.reject,
        )
        intro = QLabel(text("accounts.dialog_intro"))
        intro.setWordWrap(True)
        column = QVBoxLayout(self)
        column.addWidget(intro)
        column.addLayout(self.form)
        for widget in (self.suggestion, self.hint, self.code_panel, self.busy, self.message):
            column.addWidget(widget)
        column.addWidget(self.buttons)
        self.setMinimumWidth(520)

    # -- state ---------------------------------------------------------------------

    @property
    def chosen_kind(self) -> AccountKind:
        return AccountKind(self.kind.currentData() or AccountKind.M365.value)

    def choose_kind(self, kind: AccountKind) -> None:
        self.kind.setCurrentIndex(self.kind.findData(kind.value))

    def _update(self) -> None:
        kind = self.chosen_kind
        rows = {
            self.client_id: kind is AccountKind.M365,
            self.tenant: kind is AccountKind.M365,
            self.imap: kind is AccountKind.IMAP,
            self.smtp: kind is AccountKind.IMAP,
            self.username: kind is AccountKind.IMAP,
            self.password: kind is AccountKind.IMAP,
        }
        for field, shown in rows.items():
            self.form.setRowVisible(field, shown)
        self.hint.setVisible(kind is AccountKind.EXCHANGE)
        self.sign_in_button.setEnabled(not self._busy and kind is not AccountKind.EXCHANGE)
        for widget in (self.email, self.kind, self.client_id, self.tenant, self.imap, self.smtp):
            widget.setEnabled(not self._busy)
        self.busy.setVisible(self._busy)

    # -- suggestion ------------------------------------------------------------------

    def ask_suggestion(self) -> None:
        address = self.email.text().strip()
        if "@" not in address or address == self._asked:
            return
        self._asked = address
        self.suggestion.setText(text("accounts.dialog_checking", email=address))
        self._runner.run(
            lambda: self._suggest(address),
            lambda found: self._on_suggestion(address, found),
            channel=SUGGEST_CHANNEL,
            failure=lambda _error: self.suggestion.clear(),
            owner=self,
        )

    def _on_suggestion(self, address: str, found: Suggestion) -> None:
        if address != self.email.text().strip():
            return  # the address changed since: a later answer will come
        self.choose_kind(found.kind)
        if found.kind is AccountKind.M365:
            key = "accounts.dialog_suggested_m365"
        else:
            key = (
                "accounts.dialog_suggested_imap"
                if found.answered
                else "accounts.dialog_suggested_guess"
            )
            if found.imap and not self.imap.text():
                self.imap.setText(found.imap)
            if found.smtp and not self.smtp.text():
                self.smtp.setText(found.smtp)
        self.suggestion.setText(text(key, email=address))

    # -- signing in --------------------------------------------------------------------

    def sign_in(self) -> None:
        try:
            account = new_account(
                self.chosen_kind,
                self.email.text().strip(),
                client_id=self.client_id.text().strip() or None,
                authority=self.tenant.text().strip() or None,
                imap=self.imap.text().strip() or None,
                smtp=self.smtp.text().strip() or None,
                username=self.username.text().strip() or None,
            )
        except UserFacingError as error:
            self.message.setText(error_text(error))
            return
        request = SignInRequest(password=self.password.text() or None)
        self._busy = True
        self.message.setText(text("accounts.dialog_signing_in"))
        self._update()
        self._runner.run(
            lambda: self._add(account, request, self.deviceFlowStarted.emit),
            lambda detail: self._on_added(account, detail),
            channel=SIGN_IN_CHANNEL,
            failure=self._on_failed,
            owner=self,
        )

    def _show_code(self, flow: object) -> None:
        if isinstance(flow, DeviceFlow):
            self._flow = flow
            self.code_panel.show_code(flow.code)
            self.code_panel.show()
            self.adjustSize()  # room for the code, readable at a glance

    def _on_added(self, account: Account, detail: str) -> None:
        self._busy = False
        self._flow = None
        self.code_panel.hide()
        self.result_account = account
        self.message.setText(text("accounts.dialog_added", name=account.name, detail=detail))
        self._update()
        # Done: nothing more to sign in to here; Cancel would suggest it was undone.
        self.sign_in_button.hide()
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.setText(text("accounts.dialog_close"))
        self.adjustSize()
        self.accountAdded.emit(account)

    def _on_failed(self, error: BaseException) -> None:
        self._busy = False
        self._flow = None
        self.code_panel.hide()
        self.message.setText(error_text(error))
        self._update()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._flow is not None:
            self._flow.cancel()  # the wait for the code ends within a second
        super().closeEvent(event)

    def reject(self) -> None:
        if self._flow is not None:
            self._flow.cancel()
        super().reject()
