"""The mail account dialog: an address, the kind Autodiscover suggests, and signing in once.

Asking Autodiscover and signing in run in the background; the dialog stores nothing
itself (``add_account`` keeps the account once the server accepted the sign-in).

Signals of ``MailAccountDialog``: ``accountAdded(object)`` with the stored ``Account``;
``deviceFlowStarted(object)`` (internal: carries a device-code sign-in to the GUI thread).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.services.accounts.adding import new_account
from desktop_app.services.accounts.kinds import SignInRequest
from desktop_app.services.accounts.model import Account, AccountKind
from desktop_app.services.accounts.suggest import ServerSuggestion
from desktop_app.services.oauth.client import DeviceFlow
from desktop_app.ui.accounts.sign_in_dialog import DialogSetup, SignInDialog
from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.dialog_parts import message_label
from desktop_app.ui.errors import error_text

SUGGEST_CHANNEL = "account-suggest"
SETUP = DialogSetup(
    name="mailAccountDialog",
    title="accounts.dialog_title",
    intro="accounts.dialog_intro",
    sign_in="accounts.dialog_sign_in",
    sign_in_name="accountSignIn",
    message_name="accountMessage",
    channel="account-sign-in",
    minimum_width=520,
)

Suggest = Callable[[str], ServerSuggestion]
# (account, request, device_flow_started) -> a sentence; runs off the GUI thread.
AddAccount = Callable[[Account, SignInRequest, Callable[[DeviceFlow], None]], str]


class MailAccountDialog(SignInDialog):
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
        super().__init__(runner, SETUP, parent)
        self._suggest = suggest
        self._add = add
        self._asked = ""
        self.result_account: Account | None = None
        self._build()
        self.deviceFlowStarted.connect(self._code_started)
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
        self.form.addRow(text("accounts.dialog_email"), self.email)
        self.form.addRow(text("accounts.dialog_kind"), self.kind)
        self.form.addRow(text("accounts.dialog_client_id"), self.client_id)
        self.form.addRow(text("accounts.dialog_tenant"), self.tenant)
        self.form.addRow(text("accounts.dialog_imap"), self.imap)
        self.form.addRow(text("accounts.dialog_smtp"), self.smtp)
        self.form.addRow(text("accounts.dialog_username"), self.username)
        self.form.addRow(text("accounts.dialog_password"), self.password)
        self.suggestion = message_label("accountSuggestion")
        # Exchange accounts sign in in the Exchange account dialog.
        self.hint = QLabel(text("accounts.dialog_exchange_hint"))
        self.hint.setWordWrap(True)
        self._lay_out((self.suggestion, self.hint))

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
        self.progress.setVisible(self._busy)

    def _unstoppable(self) -> bool:
        return False  # closes while signing in; a wait for a code is stopped

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

    def _on_suggestion(self, address: str, found: ServerSuggestion) -> None:
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

    def _sign_in_clicked(self) -> None:
        self.sign_in()

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
            self._show(error_text(error), failed=True)
            return
        request = SignInRequest(password=self.password.text() or None)
        self._start(text("accounts.dialog_signing_in"))
        self._run(
            lambda: self._add(account, request, self.deviceFlowStarted.emit),
            lambda detail: self._on_added(account, detail),
        )

    def _code_started(self, flow: object) -> None:
        if isinstance(flow, DeviceFlow):
            self._show_code(flow)
            self.adjustSize()  # room for the code, readable at a glance

    def _on_added(self, account: Account, detail: str) -> None:
        self._idle()
        self.result_account = account
        self._show(text("accounts.dialog_added", name=account.name, detail=detail), failed=False)
        self._update()
        # Done: nothing more to sign in to here; Cancel would suggest it was undone.
        self.sign_in_button.hide()
        self._cancel_button().setText(text("accounts.dialog_close"))
        self.adjustSize()
        self.accountAdded.emit(account)
