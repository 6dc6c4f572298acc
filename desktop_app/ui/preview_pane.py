"""The preview of the selected message: its headers, its own security, and its text."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from desktop_app.core.messages import text
from desktop_app.services.mailbox.source import (
    Encryption,
    MessageDetail,
    MessageSecurity,
    Signature,
)
from desktop_app.ui.message_list import security_mark, security_text
from desktop_app.ui.status_icons import MARK_ICONS, MessageMark
from desktop_app.ui.theme import Theme


def _security_state(detail: MessageDetail) -> MessageMark:
    """The banner's style when the S/MIME reader did not open the message."""
    if detail.summary.encryption is not Encryption.NONE:
        return MessageMark.ENCRYPTED
    if detail.summary.signature is not Signature.NONE:
        return MessageMark.SIGNED
    return MessageMark.PLAIN


def opened_security(detail: MessageDetail, security: MessageSecurity) -> tuple[str, MessageMark]:
    """The banner for a message opened through the S/MIME reader: its text and mark (the
    mark is also the banner's ``security`` style property).

    For example "Encrypted (AES-256-CBC) · Signed by Priya Shah, valid".
    """
    if security.failure is not None:
        if detail.summary.encryption is not Encryption.NONE:
            return text("security.cannot_open", reason=security.failure), MessageMark.WARNING
        return text("security.signed_invalid", reason=security.failure), MessageMark.WARNING
    parts = [
        text("security.encrypted_with", cipher=security.cipher)
        if security.cipher is not None
        else text("security.not_encrypted")
    ]
    if security.signature_valid is None:
        parts.append(text("security.not_signed"))
    elif security.signature_valid:
        parts.append(text("security.signed_valid", signer=security.signer))
    elif not security.covers_text:
        parts.append(text("security.signed_around_encryption", signer=security.signer))
    else:
        parts.append(text("security.signed_invalid", reason=security.reason))
    lines = [" · ".join(parts), *security.notes]
    if security.weak_cipher:
        lines.append(text("security.weak_cipher", cipher=security.cipher))
    if security.signature_valid is False or security.weak_cipher:
        return "\n".join(lines), MessageMark.WARNING
    if security.cipher is not None:
        return "\n".join(lines), MessageMark.ENCRYPTED
    return "\n".join(lines), MessageMark.SIGNED


class PreviewPane(QWidget):
    """Shows one ``MessageDetail``, or a hint when nothing is selected."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewPane")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._theme = theme
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 22, 28, 18)
        layout.setSpacing(10)
        self.subject = QLabel()
        self.subject.setObjectName("previewSubject")
        self.subject.setWordWrap(True)
        self.subject.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.subject)
        self.meta = QLabel()
        self.meta.setObjectName("previewMeta")
        self.meta.setWordWrap(True)
        self.meta.setTextFormat(Qt.TextFormat.PlainText)
        self.meta.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.meta)
        self.banner = QFrame()
        self.banner.setObjectName("securityBanner")
        banner_row = QHBoxLayout(self.banner)
        banner_row.setContentsMargins(12, 8, 12, 8)
        banner_row.setSpacing(10)
        self.banner_icon = QLabel()
        self.banner_text = QLabel()
        self.banner_text.setObjectName("securityText")
        self.banner_text.setWordWrap(True)
        banner_row.addWidget(self.banner_icon, 0, Qt.AlignmentFlag.AlignTop)
        banner_row.addWidget(self.banner_text, 1)
        layout.addWidget(self.banner)
        self.body = QPlainTextEdit()
        self.body.setObjectName("previewBody")
        self.body.setReadOnly(True)
        self.body.setFrameShape(QFrame.Shape.NoFrame)
        self.body.document().setDocumentMargin(0)
        layout.addWidget(self.body, 1)
        self.show_nothing()

    def show_nothing(self, message: str | None = None) -> None:
        self.subject.setText(message or text("preview.nothing"))
        self.meta.clear()
        self.banner.hide()
        self.body.clear()
        self.body.hide()

    def show_message(self, detail: MessageDetail) -> None:
        summary = detail.summary
        self.subject.setText(summary.subject or text("mailbox.no_subject"))
        sender = summary.sender
        if summary.sender_address and summary.sender_address != summary.sender:
            sender = f"{summary.sender} <{summary.sender_address}>"
        lines = [text("preview.from", value=sender)]
        if detail.to:
            lines.append(text("preview.to", value=detail.to))
        if detail.cc:
            lines.append(text("preview.cc", value=detail.cc))
        if summary.date is not None:
            lines.append(text("preview.date", value=f"{summary.date:%A %d %B %Y, %H:%M}"))
        self.meta.setText("\n".join(lines))
        if detail.security is not None:
            words, mark = opened_security(detail, detail.security)
            if detail.warnings:
                mark = MessageMark.WARNING
            self.banner_icon.setPixmap(self._theme.pixmap(MARK_ICONS[mark], 20))
            self.banner_text.setText("\n".join((words, *detail.warnings)))
            self.banner.setProperty("security", mark.value)
        elif detail.warnings:
            self.banner_icon.setPixmap(self._theme.pixmap(MARK_ICONS[MessageMark.WARNING], 20))
            self.banner_text.setText("\n".join((security_text(summary), *detail.warnings)))
            self.banner.setProperty("security", MessageMark.WARNING.value)
        else:
            mark = security_mark(summary)
            self.banner_icon.setPixmap(self._theme.pixmap(MARK_ICONS[mark], 20))
            self.banner_text.setText(security_text(summary))
            self.banner.setProperty("security", _security_state(detail).value)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        self.banner.show()
        if detail.body_text is None:
            self.body.setPlainText(text("preview.encrypted_body"))
        else:
            self.body.setPlainText(detail.body_text)
        self.body.show()
