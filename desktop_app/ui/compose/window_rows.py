"""The rows of the compose window that are only widgets: the bar, the toggles, the attachments.

They hold no state of the draft; the window connects their buttons to the session.
"""

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QWidget,
)

from desktop_app.core.messages import text
from desktop_app.core.recipients.addresses import Mailbox
from desktop_app.ui.compose.attachment_model import AttachmentListModel
from desktop_app.ui.theme import Theme


def separator() -> QFrame:
    line = QFrame()
    line.setObjectName("separator")
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFixedHeight(1)
    return line


def field_row(label: str, widget: QWidget) -> QWidget:
    """``widget`` with its caption on the left, as the From and Subject rows show it."""
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


def sender_box(identities: Sequence[Mailbox]) -> QComboBox:
    """The From choice: the user's identities, or a note (disabled) that there is none."""
    box = QComboBox()
    box.setObjectName("senderBox")
    for identity in identities:
        box.addItem(f"{identity.display_name} <{identity.address}>")
    if not identities:
        box.addItem(text("compose.no_identity"))
        box.setEnabled(False)
    return box


class ComposeBar(QFrame):
    """Cancel, the window's title, Send: as the phone's compose screen has them."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composeBar")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 10, 12, 10)
        self.cancel_button = QPushButton(text("compose.cancel"))
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setFlat(True)
        self.title = QLabel(title)
        self.title.setObjectName("composeTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.send_button = QPushButton(text("compose.send"))
        self.send_button.setObjectName("sendButton")
        self.send_button.setToolTip(text("compose.send_tip"))
        row.addWidget(self.cancel_button)
        row.addWidget(self.title, 1)
        row.addWidget(self.send_button)

    def parts(self) -> tuple[QPushButton, QLabel, QPushButton]:
        """Cancel, the title and Send."""
        return self.cancel_button, self.title, self.send_button


class ToggleRow(QWidget):
    """The Encrypt and Sign toggles, and a note on what the policy requires."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toggleRow")
        # The style sheet's background, as for the plain QWidget this row was (Qt's style
        # sheet reference asks QWidget subclasses to request it).
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.setSpacing(24)
        self.encrypt_toggle = QCheckBox(text("compose.encrypt"))
        self.encrypt_toggle.setObjectName("encryptToggle")
        self.encrypt_toggle.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.sign_toggle = QCheckBox(text("compose.sign"))
        self.sign_toggle.setObjectName("signToggle")
        self.sign_toggle.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.policy_note = QLabel()
        self.policy_note.setObjectName("policyNote")
        layout.addWidget(self.encrypt_toggle)
        layout.addWidget(self.sign_toggle)
        layout.addStretch(1)
        layout.addWidget(self.policy_note)

    def parts(self) -> tuple[QCheckBox, QCheckBox, QLabel]:
        """The Encrypt toggle, the Sign toggle and the policy's note."""
        return self.encrypt_toggle, self.sign_toggle, self.policy_note


class AttachmentRow(QWidget):
    """The attachments of the draft (or a note that there are none), Attach and Remove."""

    def __init__(
        self, attachments: AttachmentListModel, theme: Theme, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentRow")
        # The style sheet's background, as for the plain QWidget this row was (Qt's style
        # sheet reference asks QWidget subclasses to request it).
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 6, 12, 8)
        layout.setSpacing(8)
        self.attachment_view = QListView()
        self.attachment_view.setObjectName("attachmentList")
        self.attachment_view.setModel(attachments)
        self.attachment_view.setFlow(QListView.Flow.LeftToRight)
        self.attachment_view.setWrapping(True)
        self.attachment_view.setIconSize(QSize(16, 16))
        self.attachment_view.setSpacing(2)
        self.attachment_view.setFixedHeight(34)
        self.attachment_view.setFrameShape(QFrame.Shape.NoFrame)
        self.add_button = QPushButton(theme.icon("attachment"), text("compose.attach"))
        self.add_button.setObjectName("attachButton")
        self.remove_button = QPushButton(text("compose.remove_attachment"))
        self.remove_button.setObjectName("removeAttachmentButton")
        self.no_attachments = QLabel(text("compose.no_attachments"))
        self.no_attachments.setObjectName("noAttachments")
        layout.addWidget(self.no_attachments, 1)
        layout.addWidget(self.attachment_view, 1)
        layout.addWidget(self.add_button)
        layout.addWidget(self.remove_button)

    def show_count(self, count: int) -> None:
        """Show the list, or the note that there is nothing attached; Remove when any is."""
        self.remove_button.setEnabled(count > 0)
        self.no_attachments.setVisible(count == 0)
        self.attachment_view.setVisible(count > 0)
