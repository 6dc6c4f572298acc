"""The message list of the main window: a list model and the delegate that draws each row."""

import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QFont, QIcon, QPainter, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.messages import text
from desktop_app.services.mailbox.source import Encryption, MessageSummary, Signature
from desktop_app.ui.list_icons import paint_list_icon
from desktop_app.ui.status_icons import MARK_ICONS, MessageMark

_Index = QModelIndex | QPersistentModelIndex


def security_mark(summary: MessageSummary) -> MessageMark:
    """The list's mark: a signature that did not verify is a warning whatever else."""
    if summary.signature is Signature.INVALID:
        return MessageMark.WARNING
    if summary.encryption is not Encryption.NONE:
        return MessageMark.ENCRYPTED
    if summary.signature is Signature.UNVERIFIED:
        return MessageMark.CHECKING
    if summary.signature is Signature.VALID:
        return MessageMark.SIGNED
    return MessageMark.PLAIN


_WORDS = {
    MessageMark.WARNING: "list.word_signature_invalid",
    MessageMark.ENCRYPTED: "list.word_encrypted",
    MessageMark.CHECKING: "list.word_checking",
    MessageMark.SIGNED: "list.word_signed",
    MessageMark.PLAIN: "list.word_plain",
}


def security_word(summary: MessageSummary) -> str:
    """The status word that goes with the icon (for screen readers and tooltips)."""
    return text(_WORDS[security_mark(summary)])


def security_text(summary: MessageSummary) -> str:
    """One sentence on how the message itself was protected."""
    encrypted = summary.encryption is not Encryption.NONE
    signature = summary.signature
    if encrypted:
        if signature is Signature.INVALID:
            return text("list.encrypted_invalid")
        if signature is Signature.VALID:
            return text("list.encrypted_signed")
        return text("security.encrypted")
    if signature is Signature.INVALID:
        return text("list.signed_invalid")
    if signature is Signature.VALID:
        return text("list.signed_valid")
    if signature is Signature.UNVERIFIED:
        return text("list.signed_checking")
    return text("security.plain")


class MessageListModel(QAbstractListModel):
    """Messages of the mailbox, newest first.

    Roles: Display = subject; Decoration = how it was protected; ToolTip = that in words;
    AccessibleText = the status word, subject, sender and date; ``SUMMARY_ROLE`` = the
    ``MessageSummary``; ``SENDER_ROLE``; ``DATE_ROLE`` (text). A signature checked after
    listing (``update_summaries``) changes its row with ``dataChanged``.
    """

    SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 1
    SENDER_ROLE = Qt.ItemDataRole.UserRole + 2
    DATE_ROLE = Qt.ItemDataRole.UserRole + 3

    def __init__(self, icon: Callable[[str], QIcon], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._icon = icon
        self._messages: tuple[MessageSummary, ...] = ()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt)
        return 0 if parent.isValid() else len(self._messages)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._messages):
            return None
        message = self._messages[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return message.subject or text("mailbox.no_subject")
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(MARK_ICONS[security_mark(message)])
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{security_word(message)}. {security_text(message)}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return text(
                "list.accessible",
                word=security_word(message),
                subject=message.subject or text("mailbox.no_subject"),
                sender=message.sender,
                date=self.data(index, self.DATE_ROLE),
            )
        if role == self.SUMMARY_ROLE:
            return message
        if role == self.SENDER_ROLE:
            return message.sender
        if role == self.DATE_ROLE:
            return f"{message.date:%d %b %H:%M}" if message.date is not None else ""
        return None

    def set_messages(self, messages: tuple[MessageSummary, ...]) -> None:
        """Replace the whole list (a new mailbox listing; single changes come later)."""
        self.beginResetModel()
        self._messages = messages
        self.endResetModel()

    def append_messages(self, messages: tuple[MessageSummary, ...]) -> int:
        """Add older messages after the listed ones (the next page); returns how many.

        A message already listed is skipped: new mail shifts the server's pages, so the
        next page can start with the last one shown.
        """
        listed = {message.message_id for message in self._messages}
        new = tuple(m for m in dict.fromkeys(messages) if m.message_id not in listed)
        if new:
            first = len(self._messages)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._messages += new
            self.endInsertRows()
        return len(new)

    def update_summaries(self, checked: tuple[MessageSummary, ...]) -> None:
        """Take the protection found by opening listed messages (the signature as checked,
        not as announced); the rest of each line stays as listed."""
        by_id = {summary.message_id: summary for summary in checked}
        for row, listed in enumerate(self._messages):
            found = by_id.get(listed.message_id)
            if found is None:
                continue
            new = dataclasses.replace(
                listed, encryption=found.encryption, signature=found.signature
            )
            if new != listed:
                self._messages = (*self._messages[:row], new, *self._messages[row + 1 :])
                index = self.index(row)
                self.dataChanged.emit(index, index)

    def summary(self, row: int) -> MessageSummary | None:
        return self._messages[row] if 0 <= row < len(self._messages) else None


class MessageDelegate(QStyledItemDelegate):
    """Two lines per message: sender and date, then the subject with the security icon."""

    PADDING = 12
    ICON = 18

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        line = option.fontMetrics.height()
        return QSize(280, 2 * line + 2 * self.PADDING + 6)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        background = QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Base
        painter.fillRect(option.rect, palette.color(background))
        ink = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        soft = ink if selected else palette.color(QPalette.ColorRole.PlaceholderText)
        rect = option.rect.adjusted(self.PADDING, self.PADDING - 2, -self.PADDING, -self.PADDING)
        line = option.fontMetrics.height()
        date = str(index.data(MessageListModel.DATE_ROLE) or "")
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(option.font)
        date_width = option.fontMetrics.horizontalAdvance(date) + 4
        painter.setPen(soft)
        first = QRect(rect.x(), rect.y(), rect.width(), line)
        painter.drawText(first, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, date)
        painter.setFont(bold)
        painter.setPen(ink)
        sender_rect = first.adjusted(0, 0, -date_width - 8, 0)
        sender = painter.fontMetrics().elidedText(
            str(index.data(MessageListModel.SENDER_ROLE) or ""),
            Qt.TextElideMode.ElideRight,
            sender_rect.width(),
        )
        painter.drawText(
            sender_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, sender
        )
        second = QRect(rect.x(), rect.y() + line + 6, rect.width(), line)
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        if isinstance(icon, QIcon):
            icon_rect = QRect(
                second.right() - self.ICON,
                second.center().y() - self.ICON // 2,
                self.ICON,
                self.ICON,
            )
            paint_list_icon(painter, icon, icon_rect, palette, selected=selected)
            second.setRight(icon_rect.left() - 8)
        painter.setFont(option.font)
        painter.setPen(ink if selected else palette.color(QPalette.ColorRole.Text))
        subject = option.fontMetrics.elidedText(
            str(index.data(Qt.ItemDataRole.DisplayRole) or ""),
            Qt.TextElideMode.ElideRight,
            second.width(),
        )
        painter.drawText(
            second, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, subject
        )
        if not selected:
            painter.setPen(palette.color(QPalette.ColorRole.Mid))
            painter.drawLine(
                option.rect.bottomLeft() + QPoint(self.PADDING, 0), option.rect.bottomRight()
            )
        painter.restore()


class LoadMoreBar(QFrame):
    """Under the message list: what is shown, and a button for the next older messages.

    The button takes the keyboard focus like any other (Tab from the list). While a page
    loads the bar says so; the button stays enabled, so the keyboard focus stays on it
    (the window ignores a press meanwhile). ``button.clicked`` asks for the next page.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loadMoreBar")
        # The words above the button: an error message may need a few lines.
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 8, 12, 8)
        column.setSpacing(6)
        self.label = QLabel()
        self.label.setObjectName("loadMoreText")
        self.label.setWordWrap(True)
        column.addWidget(self.label)
        row = QHBoxLayout()
        row.addStretch(1)
        self.button = QPushButton(text("inbox.load_more"))
        self.button.setObjectName("loadMore")
        self.button.setToolTip(text("inbox.load_more_tip"))
        self.button.setAutoDefault(False)
        row.addWidget(self.button)
        column.addLayout(row)

    def show_more(self, count: int) -> None:
        """``count`` messages shown and more on the server."""
        self._set("more", text("inbox.more_waiting", count=count), text("inbox.load_more"))

    def show_loading(self) -> None:
        self._set("loading", text("inbox.loading_more"), text("inbox.loading_more"))

    def show_failure(self, reason: str) -> None:
        """Loading failed; what is listed stays, and the button tries again."""
        words = text("inbox.load_failed", reason=reason)
        self._set("failed", words, text("inbox.try_again"))

    def show_all(self, count: int) -> None:
        self._set("all", text("inbox.all_loaded", count=count), None)

    def _set(self, state: str, words: str, button: str | None) -> None:
        self.setProperty("pageState", state)  # for the style sheet: the failure in red
        self.style().unpolish(self.label)
        self.style().polish(self.label)
        self.label.setText(words)
        self.button.setVisible(button is not None)
        if button is not None:
            self.button.setText(button)
            self.button.setAccessibleDescription(words)
