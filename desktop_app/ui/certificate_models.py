"""The Certificates window's table model and its status filter.

A verdict's icon comes from ``ui.status_icons`` and its word from ``ui.compose.presentation``;
the verdict itself comes from core through ``services``.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont, QIcon

from desktop_app.core.messages import text
from desktop_app.core.recipients.status import StatusCode
from desktop_app.services.certificate_list import KnownCertificate
from desktop_app.ui.compose.presentation import code_words
from desktop_app.ui.status_icons import TOKEN_ICONS, judged_state

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("address", "status", "source", "issuer", "expires")
AUTHORITY_ICON = "signed"


class StatusFilter(StrEnum):
    ALL = "all"
    USABLE = "usable"
    PROBLEM = "problem"
    EXPIRING = "expiring"
    AUTHORITIES = "authorities"


def _first_name(rfc4514: str) -> str:
    """The CN (else the whole name) of an RFC 4514 name, for the Issued by column."""
    for part in rfc4514.split(","):
        key, _, value = part.partition("=")
        if key.strip().upper() == "CN" and value:
            return value.replace("\\", "")
    return rfc4514


def certificate_look(known: KnownCertificate) -> tuple[str, str, str]:
    """The icon, status word and plain reason of a listed certificate."""
    if known.verdict is None:
        if known.anchor:
            return (
                AUTHORITY_ICON,
                text("certs_window.authority_trusted"),
                text("certs_window.authority_reason"),
            )
        return (
            "mail",
            text("certs_window.authority_intermediate"),
            text("certs_window.intermediate_reason"),
        )
    icon = TOKEN_ICONS[judged_state(known.verdict.usable)]
    word = code_words(StatusCode(known.verdict.code.value))
    return icon, word[:1].upper() + word[1:], known.verdict.reason


def matches(known: KnownCertificate, chosen: StatusFilter) -> bool:
    if chosen is StatusFilter.ALL:
        return True
    if chosen is StatusFilter.AUTHORITIES:
        return known.verdict is None
    if chosen is StatusFilter.EXPIRING:
        return known.expires_soon
    if known.verdict is None:
        return False
    return known.verdict.usable == (chosen is StatusFilter.USABLE)


class CertificateTableModel(QAbstractTableModel):
    """One row per certificate. Decoration: the status icon (Status column) and a warning
    on an expiry within 30 days; ToolTip: the reason; AccessibleText: address, status
    word and reason; ``CERTIFICATE_ROLE``: the ``KnownCertificate``."""

    CERTIFICATE_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, icon: Callable[[str], QIcon], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._icon = icon
        self._rows: tuple[KnownCertificate, ...] = ()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return text(f"certs_window.column_{COLUMNS[section]}")
        return None

    def set_certificates(self, rows: tuple[KnownCertificate, ...]) -> None:
        self.beginResetModel()  # a new reading of the store
        self._rows = rows
        self.endResetModel()

    def certificate(self, row: int) -> KnownCertificate | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        known = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == self.CERTIFICATE_ROLE:
            return known
        icon, word, reason = certificate_look(known)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(known, column, word)
        if role == Qt.ItemDataRole.DecorationRole:
            if column == "status":
                return self._icon(icon)
            if column == "expires" and known.expires_soon:
                return self._icon("warning")
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "expires" and known.expires_soon:
                return text("certs_window.expiring_tip")
            return f"{word}. {reason}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            address = self._display(known, "address", word)
            accessible = text(
                "certs_window.accessible", address=address, status=word, reason=reason
            )
            if known.expires_soon:
                accessible += " " + text("certs_window.expiring_tip")
            return accessible
        if role == Qt.ItemDataRole.FontRole and column == "expires" and known.expires_soon:
            bold = QFont()
            bold.setBold(True)
            return bold
        return None

    @staticmethod
    def _display(known: KnownCertificate, column: str, word: str) -> str:
        stored = known.stored
        if column == "address":
            if stored.addresses:
                return ", ".join(stored.addresses)
            return _first_name(stored.subject) if stored.is_ca else text("certs_window.no_address")
        if column == "status":
            return word
        if column == "source":
            return text(f"certs_window.source_{stored.source.value}")
        if column == "issuer":
            return _first_name(stored.issuer)
        date = f"{stored.not_after:%Y-%m-%d}"
        if known.expires_soon:
            return text("certs_window.expiring", date=date, days=known.days_left)
        return date


class StatusFilterModel(QSortFilterProxyModel):
    """Shows the rows whose certificate matches the chosen status filter."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._chosen = StatusFilter.ALL

    def choose(self, chosen: StatusFilter) -> None:
        self.beginFilterChange()  # Qt 6.10's replacement for invalidateFilter()
        self._chosen = chosen
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, CertificateTableModel)
        known = model.certificate(source_row)
        return known is not None and matches(known, self._chosen)
