"""The compose window, laid out like the phone's: Cancel / title / Send, then the status line.

Signals of ``ComposeWindow``: ``sent(object)`` with the ``SendOutcome`` once a message has
left (``after_send_line`` says it in words); ``closed()`` when the window closes. The
draft autosaves, sealed, while the window is open; sending deletes the saved draft.
Cancel, Ctrl+W or closing the window with anything typed asks Save draft (the default),
Discard or Keep editing; ``discard()`` closes without asking.
"""

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.messages import text
from desktop_app.core.phi.message_scan import PhiReport
from desktop_app.core.recipients.after_send import SendOutcome
from desktop_app.core.recipients.replies import ComposeAction
from desktop_app.core.recipients.send_gate import SendPlan
from desktop_app.core.recipients.status import Field, RecipientStatus
from desktop_app.services.certificates.facts import CertificateFacts
from desktop_app.services.drafts import DraftRecord
from desktop_app.services.mailbox.outbox import Submitted
from desktop_app.ui.compose.attachment_model import Attachment
from desktop_app.ui.compose.autosave import DraftAutosave, start_autosave
from desktop_app.ui.compose.certificate_dialog import CertificateDialog
from desktop_app.ui.compose.closing import may_close
from desktop_app.ui.compose.completion import AddressCompletion, Suggestion, load_suggestions
from desktop_app.ui.compose.details import certificate_details
from desktop_app.ui.compose.phi_guard import SubjectNote, scan_before_send
from desktop_app.ui.compose.prompts import DialogPrompts, Prompts
from desktop_app.ui.compose.recipient_model import RecipientListModel
from desktop_app.ui.compose.send_flow import outcome_of_submitted, plan_send, ready_to_send
from desktop_app.ui.compose.session import ComposeContext, ComposeSession, ComposeStart
from desktop_app.ui.compose.status_line import StatusLineWidget
from desktop_app.ui.compose.token_field import TokenField
from desktop_app.ui.errors import error_text

_TITLES = {
    ComposeAction.NEW: "compose.title_new",
    ComposeAction.REPLY: "compose.title_reply",
    ComposeAction.REPLY_ALL: "compose.title_reply_all",
    ComposeAction.FORWARD: "compose.title_forward",
}
_FIELD_LABELS = {Field.TO: "compose.to", Field.CC: "compose.cc", Field.BCC: "compose.bcc"}
# Fits a 1280x720 screen with its panel; smaller screens get what they have (the body
# shrinks and the recipient fields scroll).
_SIZE = QSize(680, 640)


def _separator() -> QFrame:
    line = QFrame()
    line.setObjectName("separator")
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFixedHeight(1)
    return line


def _row(label: str, widget: QWidget) -> QWidget:
    row = QWidget()
    row.setObjectName("fieldRow")
    layout = QHBoxLayout(row)
    layout.setContentsMargins(16, 6, 12, 6)
    layout.setSpacing(8)
    caption = QLabel(label)
    caption.setObjectName("fieldLabel")
    caption.setFixedWidth(58)
    layout.addWidget(caption)
    layout.addWidget(widget, 1)
    return row


class ComposeWindow(QWidget):
    """One draft. ``prompts`` asks the send questions (dialogs unless a test swaps them)."""

    sent = Signal(object)
    closed = Signal()

    def __init__(
        self,
        context: ComposeContext,
        start: ComposeStart,
        prompts: Prompts | None = None,
        parent: QWidget | None = None,
        *,
        draft: DraftRecord | None = None,
    ) -> None:
        """``draft``: a saved draft to continue (``start`` then comes from ``start_of``)."""
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("composeWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.context = context
        self.session = ComposeSession(context, start, self)
        self.prompts: Prompts = prompts or DialogPrompts(self, context.theme)
        self.details_dialog: CertificateDialog | None = None
        self._send_when_checked = False
        self._scanned: tuple[str, str, tuple[Path, ...]] | None = None
        self._sending = False
        self._closing_decided = False
        self.outcome: SendOutcome | None = None
        self.setWindowTitle(text(_TITLES[start.action]))
        self.resize(self._fitting_size())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._bar(start.action))
        self.status_line = StatusLineWidget(context.theme)
        layout.addWidget(self.status_line)
        self.fields: dict[Field, TokenField] = {}
        for field in Field:
            token_field = TokenField(text(_FIELD_LABELS[field]), self.session.models[field])
            token_field.tokenActivated.connect(
                lambda row, chosen=field: self._on_token(chosen, row)
            )
            self.fields[field] = token_field
            layout.addWidget(token_field)
            layout.addWidget(_separator())
        self.completion = AddressCompletion(
            context.runner, context.theme, _suggestion_loader(context), self
        )
        for token_field in self.fields.values():
            self.completion.attach(token_field.editor)
        self.sender_box = QComboBox()
        self.sender_box.setObjectName("senderBox")
        for identity in context.identities:
            self.sender_box.addItem(f"{identity.display_name} <{identity.address}>")
        if not context.identities:
            self.sender_box.addItem(text("compose.no_identity"))
            self.sender_box.setEnabled(False)
        layout.addWidget(_row(text("compose.from"), self.sender_box))
        layout.addWidget(_separator())
        self.subject = QLineEdit(start.subject)
        self.subject.setObjectName("subjectEdit")
        self.subject.setFrame(False)
        self.subject.setPlaceholderText(text("compose.subject_placeholder"))
        self.subject.textChanged.connect(self._update_title)
        layout.addWidget(_row(text("compose.subject"), self.subject))
        self.subject_note = SubjectNote(context.policy)
        self.subject.textChanged.connect(self.subject_note.update_for)
        layout.addWidget(self.subject_note)
        self.subject_note.update_for(start.subject)
        layout.addWidget(_separator())
        layout.addWidget(self._toggles())
        layout.addWidget(_separator())
        self.body = QPlainTextEdit(start.body)
        self.body.setObjectName("bodyEdit")
        self.body.setFrameShape(QFrame.Shape.NoFrame)
        self.body.setPlaceholderText(text("compose.body_placeholder"))
        layout.addWidget(self.body, 1)
        layout.addWidget(_separator())
        layout.addWidget(self._attachments())
        self.status_bar = QStatusBar()
        self.status_bar.setObjectName("composeStatus")
        self.status_bar.setSizeGripEnabled(False)
        self.draft_status = QLabel()
        self.draft_status.setObjectName("draftStatus")
        self.status_bar.addWidget(self.draft_status, 1)
        layout.addWidget(self.status_bar)
        send_shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        send_shortcut.activated.connect(self.send)
        # Every binding of the standard keys (Ctrl+W and Ctrl+F4 both close), not the first.
        close_shortcut = QShortcut(self)
        close_shortcut.setKeys(QKeySequence.StandardKey.Close)
        close_shortcut.activated.connect(self.close)
        save_shortcut = QShortcut(self)
        save_shortcut.setKeys(QKeySequence.StandardKey.Save)
        save_shortcut.activated.connect(self.save_draft)
        self.session.changed.connect(self._show_state)
        self._show_state()
        self._update_title()
        if start.action in (ComposeAction.NEW, ComposeAction.FORWARD):
            self.fields[Field.TO].editor.setFocus()
        else:
            self.body.setFocus()
            self.body.moveCursor(self.body.textCursor().MoveOperation.Start)
        self.autosave: DraftAutosave = start_autosave(self, draft)

    # -- layout ----------------------------------------------------------------------------

    def _fitting_size(self) -> QSize:
        screen = self.screen()
        if screen is None:
            return _SIZE
        available = screen.availableGeometry().size()
        return _SIZE.boundedTo(available - QSize(40, 60))

    def _bar(self, action: ComposeAction) -> QWidget:
        bar = QFrame()
        bar.setObjectName("composeBar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(12, 10, 12, 10)
        self.cancel_button = QPushButton(text("compose.cancel"))
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setFlat(True)
        self.cancel_button.clicked.connect(self.close)
        self.title = QLabel(text(_TITLES[action]))
        self.title.setObjectName("composeTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.send_button = QPushButton(text("compose.send"))
        self.send_button.setObjectName("sendButton")
        self.send_button.setToolTip(text("compose.send_tip"))
        self.send_button.clicked.connect(self.send)
        row.addWidget(self.cancel_button)
        row.addWidget(self.title, 1)
        row.addWidget(self.send_button)
        return bar

    def _toggles(self) -> QWidget:
        row = QWidget()
        row.setObjectName("toggleRow")
        layout = QHBoxLayout(row)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.setSpacing(24)
        self.encrypt_toggle = QCheckBox(text("compose.encrypt"))
        self.encrypt_toggle.setObjectName("encryptToggle")
        self.encrypt_toggle.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.encrypt_toggle.toggled.connect(self.session.set_encrypt)
        self.sign_toggle = QCheckBox(text("compose.sign"))
        self.sign_toggle.setObjectName("signToggle")
        self.sign_toggle.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.sign_toggle.toggled.connect(self.session.set_sign)
        self.policy_note = QLabel()
        self.policy_note.setObjectName("policyNote")
        layout.addWidget(self.encrypt_toggle)
        layout.addWidget(self.sign_toggle)
        layout.addStretch(1)
        layout.addWidget(self.policy_note)
        return row

    def _attachments(self) -> QWidget:
        row = QWidget()
        row.setObjectName("attachmentRow")
        layout = QHBoxLayout(row)
        layout.setContentsMargins(16, 6, 12, 8)
        layout.setSpacing(8)
        self.attachment_view = QListView()
        self.attachment_view.setObjectName("attachmentList")
        self.attachment_view.setModel(self.session.attachments)
        self.attachment_view.setFlow(QListView.Flow.LeftToRight)
        self.attachment_view.setWrapping(True)
        self.attachment_view.setIconSize(QSize(16, 16))
        self.attachment_view.setSpacing(2)
        self.attachment_view.setFixedHeight(34)
        self.attachment_view.setFrameShape(QFrame.Shape.NoFrame)
        add = QPushButton(self.context.theme.icon("attachment"), text("compose.attach"))
        add.setObjectName("attachButton")
        add.clicked.connect(self._choose_attachments)
        remove = QPushButton(text("compose.remove_attachment"))
        remove.setObjectName("removeAttachmentButton")
        remove.clicked.connect(self._remove_attachment)
        self.remove_attachment_button = remove
        self.no_attachments = QLabel(text("compose.no_attachments"))
        self.no_attachments.setObjectName("noAttachments")
        layout.addWidget(self.no_attachments, 1)
        layout.addWidget(self.attachment_view, 1)
        layout.addWidget(add)
        layout.addWidget(remove)
        self.session.attachments.rowsInserted.connect(self._show_state)
        self.session.attachments.rowsRemoved.connect(self._show_state)
        return row

    # -- state -----------------------------------------------------------------------------

    def _update_title(self) -> None:
        subject = self.subject.text().strip()
        action_title = self.title.text()
        self.setWindowTitle(f"{subject} — {action_title}" if subject else action_title)

    def _show_state(self) -> None:
        session = self.session
        notices = () if session.checking else session.status.notices
        self.status_line.show_line(session.line(), notices)
        for toggle, on, locked, tip in (
            (
                self.encrypt_toggle,
                session.encrypt_on,
                session.encryption_required,
                "compose.encrypt_required_tip",
            ),
            (self.sign_toggle, session.sign_on, session.sign_locked, "compose.sign_required_tip"),
        ):
            toggle.blockSignals(True)
            toggle.setChecked(on)
            toggle.blockSignals(False)
            toggle.setEnabled(not locked)
            toggle.setToolTip(text(tip) if locked else "")
        notes = []
        if session.encryption_required:
            notes.append(text("compose.encrypt_required_note"))
        if session.sign_locked:
            notes.append(text("compose.sign_required_note"))
        self.policy_note.setText("  ·  ".join(notes))
        self.remove_attachment_button.setEnabled(session.attachments.rowCount() > 0)
        self.no_attachments.setVisible(session.attachments.rowCount() == 0)
        self.attachment_view.setVisible(session.attachments.rowCount() > 0)
        if self._send_when_checked and not session.checking:
            self._send_when_checked = False
            self.send()

    # -- tokens and attachments ------------------------------------------------------------

    def _on_token(self, field: Field, row: int) -> None:
        model = self.session.models[field]
        index = model.index(row)
        if index.data(RecipientListModel.ENTRY_ROLE).mailbox is None:
            self.fields[field].edit_row(row)
            return
        status = index.data(RecipientListModel.STATUS_ROLE)
        if not isinstance(status, RecipientStatus):
            return  # still checking: the tooltip says so
        certificate = status.certificate
        if certificate is None:
            self._show_details(status, None)
            return
        lookup = self.context.lookup
        self.context.runner.run(
            lambda: lookup().facts(certificate.fingerprint),
            lambda facts: self._show_details(status, facts),
            failure=lambda _: self._show_details(status, None),
            owner=self,
        )

    def _show_details(self, status: RecipientStatus, facts: CertificateFacts | None) -> None:
        self.details_dialog = certificate_details(status, facts, self.session, self)
        self.details_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.details_dialog.open()

    def _choose_attachments(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, text("compose.attach_title"))
        for name in paths:
            self.attach(Path(name))

    def attach(self, path: Path) -> None:
        try:
            size = path.stat().st_size
        except OSError as error:
            self.prompts.inform(text("compose.attach_title"), error_text(error))
            return
        self.session.attachments.add(Attachment(path, size))

    def _remove_attachment(self) -> None:
        index = self.attachment_view.currentIndex()
        row = index.row() if index.isValid() else self.session.attachments.rowCount() - 1
        self.session.attachments.remove_row(row)

    # -- sending ---------------------------------------------------------------------------

    def send(self) -> None:
        """Commit typed addresses, then let the send gate decide; see ``send_flow``."""
        if self._sending:
            return
        if self._sending or not ready_to_send(self):
            return
        # Patient details are looked for first (attachments off the GUI thread); the gate
        # decides with what was found.
        self._sending = True
        message = self._message()
        self._scanned = message
        scan_before_send(
            self.context.runner,
            self.context.policy,
            message,
            self._decide,
            self._on_send_failed,
            self,
        )

    def _message(self) -> tuple[str, str, tuple[Path, ...]]:
        return (self.subject.text(), self.body.toPlainText(), self.session.attachments.paths())

    def _decide(self, phi: PhiReport) -> None:
        """The send gate and its questions, once the PHI scan has answered."""
        self._sending = False
        if self._message() != self._scanned:
            self.send()  # edited while the attachments were read: what leaves is scanned
            return
        settled = plan_send(self, phi)
        if settled is None:
            return
            return
        plan, body = settled
        self._set_sending(True)
        self.session.deliver(
            plan,
            self.subject.text(),
            body,
            lambda submitted: self._on_sent(plan, submitted),
            self._on_send_failed,
        )

    def send_when_checked(self) -> None:
        """Send as soon as every lookup has answered."""
        self._send_when_checked = True

    def _set_sending(self, sending: bool) -> None:
        self._sending = sending
        self.send_button.setEnabled(not sending)
        self.send_button.setText(text("compose.sending" if sending else "compose.send"))

    def _on_sent(self, plan: SendPlan, submitted: Submitted) -> None:
        self._set_sending(False)
        self.autosave.finish()
        self.outcome = outcome_of_submitted(plan, submitted)
        self.sent.emit(self.outcome)
        self.discard()

    def _on_send_failed(self, error: BaseException) -> None:
        self._set_sending(False)
        self.prompts.inform(text("compose.send_failed"), error_text(error))

    # -- drafts --------------------------------------------------------------------------

    def save_draft(self) -> None:
        """Ctrl+S: save the draft now (sealed drafts only; an unencrypted one is asked
        about when the window closes)."""
        if self.autosave.active:
            self.autosave.kept = True
            self.autosave.save_now()
            self.draft_status.setText(text("drafts.saved_now"))

    def discard_on_close(self) -> None:
        """Let the next close happen without asking; the draft file (if any) is deleted."""
        self._closing_decided = True
        if self._autosave_made():
            self.autosave.finish()

    def _autosave_made(self) -> bool:
        # A window whose construction failed half-way is closed too (by its owner).
        return hasattr(self, "autosave")

    def discard(self) -> None:
        """Close without asking; the draft file (if any) is deleted."""
        self.discard_on_close()
        self.close()

    def _may_close(self) -> bool:
        """Ask about a typed draft (see ``closing``); True when the window may close."""
        if self._closing_decided or not self._autosave_made():
            return True
        return may_close(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_close():
            event.ignore()
            return
        self._closing_decided = True
        self.closed.emit()
        super().closeEvent(event)


def _suggestion_loader(context: ComposeContext) -> Callable[[], tuple[Suggestion, ...]]:
    """What the recipient editors complete, loaded on the background thread. Not a
    method: the completion (the window's child) must not hold the window alive."""

    def load() -> tuple[Suggestion, ...]:
        book = context.address_book
        return load_suggestions(context.lookup(), book() if book is not None else ())

    return load
