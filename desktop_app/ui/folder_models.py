"""List models of the folder column and of the Drafts, Outbox and Sent views.

One model per list, each with a single role-dispatching ``data()``: Display = the lines
shown, Decoration = the lock or signature icon, ToolTip and AccessibleText = the status
word and the details, ``RECORD_ROLE`` = the plain record from ``services``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon

from desktop_app.core.messages import text
from desktop_app.ui.status_icons import MARK_ICONS, MessageMark

if TYPE_CHECKING:  # the records are read after first paint: their modules load then
    from desktop_app.services.drafts import DraftRecord
    from desktop_app.services.mailbox.folders import SentRecord, SentSecurity, WaitingRecord

_Index = QModelIndex | QPersistentModelIndex
R = TypeVar("R")
RECORD_ROLE = Qt.ItemDataRole.UserRole + 10


class Folder(StrEnum):
    INBOX = "inbox"
    DRAFTS = "drafts"
    OUTBOX = "outbox"
    SENT = "sent"


FOLDER_ICONS = {
    Folder.INBOX: "mail",
    Folder.DRAFTS: "compose",
    Folder.OUTBOX: "checking",
    Folder.SENT: "forward",
}


def when(moment: datetime) -> str:
    return f"{moment.astimezone():%d %b %Y %H:%M}"


def sent_words(security: SentSecurity, signed: bool | None) -> tuple[str, str]:
    """The icon and status word of a sent copy's protection."""
    from desktop_app.services.mailbox.folders import SentSecurity

    if security is SentSecurity.ENCRYPTED:
        key = "folders.sent_encrypted_signed" if signed else "folders.sent_encrypted"
        return MARK_ICONS[MessageMark.ENCRYPTED], text(key)
    if security is SentSecurity.PLAIN_BY_CHOICE:
        return MARK_ICONS[MessageMark.UNENCRYPTED], text("folders.sent_by_choice")
    if signed:
        return MARK_ICONS[MessageMark.SIGNED], text("folders.sent_signed")
    return MARK_ICONS[MessageMark.UNENCRYPTED], text("folders.sent_plain")


def _addresses(addresses: Sequence[str]) -> str:
    return ", ".join(addresses) if addresses else text("folders.nobody")


class FolderListModel(QAbstractListModel):
    """Inbox, Drafts, Outbox and Sent, each with how many messages it holds."""

    FOLDER_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, icon: Callable[[str], QIcon], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._icon = icon
        self._folders = tuple(Folder)
        self._counts: dict[Folder, int | None] = dict.fromkeys(self._folders, None)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt)
        return 0 if parent.isValid() else len(self._folders)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._folders):
            return None
        folder = self._folders[index.row()]
        name = text(f"folders.{folder.value}")
        count = self._counts[folder]
        if role == Qt.ItemDataRole.DisplayRole:
            return name if not count else f"{name}  ({count})"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(FOLDER_ICONS[folder])
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return text("folders.accessible", folder=name, count=count or 0)
        if role == self.FOLDER_ROLE:
            return folder
        return None

    def row_of(self, folder: Folder) -> int:
        return self._folders.index(folder)

    def set_count(self, folder: Folder, count: int) -> None:
        if self._counts[folder] != count:
            self._counts[folder] = count
            index = self.index(self.row_of(folder))
            self.dataChanged.emit(index, index)


class _RecordModel(QAbstractListModel, Generic[R]):
    """Records of one view; subclasses say how a record looks."""

    def __init__(self, icon: Callable[[str], QIcon], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._icon = icon
        self._records: tuple[R, ...] = ()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt)
        return 0 if parent.isValid() else len(self._records)

    def set_records(self, records: tuple[R, ...]) -> None:
        self.beginResetModel()  # a new reading of the folder, not a change to one row
        self._records = records
        self.endResetModel()

    def record(self, row: int) -> R | None:
        return self._records[row] if 0 <= row < len(self._records) else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        if role == RECORD_ROLE:
            return record
        icon, word, lines = self.describe(record)
        if role == Qt.ItemDataRole.DisplayRole:
            return "\n".join(lines)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(icon)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join((word, *lines))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{word}: " + ". ".join(lines)
        return None

    def describe(self, record: R) -> tuple[str, str, tuple[str, ...]]:
        """The icon, the status word and the lines shown for ``record``."""
        raise NotImplementedError


class SentListModel(_RecordModel["SentRecord"]):
    """What this app sent, newest first, with the protection each copy had."""

    def describe(self, record: SentRecord) -> tuple[str, str, tuple[str, ...]]:
        icon, word = sent_words(record.security, record.signed)
        title = record.subject or text("folders.to", addresses=_addresses(record.recipients))
        details = [word, when(record.time)]
        if record.subject:
            details.insert(0, text("folders.to", addresses=_addresses(record.recipients)))
        if record.removed:
            details.append(text("folders.removed", addresses=", ".join(record.removed)))
        if record.copies > 1:
            details.append(text("folders.copies", count=record.copies))
        if record.copy_note:
            details.append(record.copy_note)
        return icon, word, (title, "  ·  ".join(details))


class WaitingListModel(_RecordModel["WaitingRecord"]):
    """What waits in the outbox, in the order it is sent, with its last error."""

    def describe(self, record: WaitingRecord) -> tuple[str, str, tuple[str, ...]]:
        icon, word = sent_words(record.security, None)
        title = record.subject or text("mailbox.no_subject")
        state = [word, text("folders.waiting", time=when(record.queued))]
        if record.attempts:
            state.append(text("folders.attempts", count=record.attempts))
        error = (
            text("folders.last_error", error=record.last_error)
            if record.last_error
            else text("folders.not_tried")
        )
        return icon, word, (title, "  ·  ".join(state), error)


class DraftListModel(_RecordModel["DraftRecord"]):
    """Saved drafts, newest first; each reopens in a compose window."""

    def describe(self, record: DraftRecord) -> tuple[str, str, tuple[str, ...]]:
        title = record.subject or text("mailbox.no_subject")
        people = text("folders.to", addresses=_addresses((*record.to, *record.cc, *record.bcc)))
        word = text("folders.draft_line", time=when(record.saved))
        return "compose", word, (title, f"{people}  ·  {word}")
