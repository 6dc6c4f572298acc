"""The attachments of a draft as a list model."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QIcon

from desktop_app.core.messages import text

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class DraftAttachment:
    """A file the user attached to the draft: its path, and its size when attached (not
    ``core.mime.compose.Attachment``, the MIME part a message carries)."""

    path: Path
    size: int


class AttachmentListModel(QAbstractListModel):
    """Files attached to a draft. Roles: Display = name and size; ToolTip = full path;
    ``ATTACHMENT_ROLE`` = the ``DraftAttachment``."""

    ATTACHMENT_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, icon: Callable[[str], QIcon], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._icon = icon
        self._items: list[DraftAttachment] = []

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt)
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            size = QLocale().formattedDataSize(item.size)
            return text("compose.attachment", name=item.path.name, size=size)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon("attachment")
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(item.path)
        if role == self.ATTACHMENT_ROLE:
            return item
        return None

    def add(self, attachment: DraftAttachment) -> None:
        if any(existing.path == attachment.path for existing in self._items):
            return
        row = len(self._items)
        self.beginInsertRows(QModelIndex(), row, row)
        self._items.append(attachment)
        self.endInsertRows()

    def remove_row(self, row: int) -> None:
        if not 0 <= row < len(self._items):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._items[row]
        self.endRemoveRows()

    def paths(self) -> tuple[Path, ...]:
        return tuple(item.path for item in self._items)
