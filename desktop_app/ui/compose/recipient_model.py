"""The recipients of one field (To, Cc or Bcc) as a list model of tokens."""

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon

from desktop_app.core.notices import Notice
from desktop_app.core.recipients.address_entries import AddressEntry, entries_for
from desktop_app.core.recipients.addresses import Mailbox, written_form
from desktop_app.core.recipients.legacy_dn import Resolved, resolve_mailbox
from desktop_app.core.recipients.status import Field, RecipientStatus
from desktop_app.ui.compose.presentation import token_label, token_state, token_tooltip
from desktop_app.ui.status_icons import TOKEN_ICONS, TokenState

_Index = QModelIndex | QPersistentModelIndex
LOOKALIKE = "lookalike_domain"  # the notice code of a domain imitating another


class RecipientListModel(QAbstractListModel):
    """Tokens of one recipient field, each with its verdict from the one rule.

    Roles: Display = the token's text; Decoration = lock, open lock, checking mark or error
    icon; ToolTip = the reason; ``ENTRY_ROLE`` = the ``AddressEntry``; ``STATE_ROLE`` = the
    ``TokenState``; ``STATUS_ROLE`` = the ``RecipientStatus`` or None.
    """

    ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
    STATE_ROLE = Qt.ItemDataRole.UserRole + 2
    STATUS_ROLE = Qt.ItemDataRole.UserRole + 3

    def __init__(
        self, field: Field, icon: Callable[[str], QIcon], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.field = field
        self._icon = icon
        self._entries: list[AddressEntry] = []
        self._statuses: Mapping[str, RecipientStatus] = {}
        self._pending: frozenset[str] = frozenset()
        self._warnings: Mapping[str, tuple[Notice, ...]] = {}

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt)
        return 0 if parent.isValid() else len(self._entries)

    def _presentation(self, entry: AddressEntry) -> tuple[TokenState, RecipientStatus | None]:
        if entry.mailbox is None:
            return TokenState.INVALID, None
        key = entry.mailbox.key
        status = self._statuses.get(key)
        return token_state(status, pending=key in self._pending, invalid=False), status

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        state, status = self._presentation(entry)
        warnings = self._warnings.get(entry.mailbox.key, ()) if entry.mailbox else ()
        if role == Qt.ItemDataRole.DisplayRole:
            lookalike = any(notice.code == LOOKALIKE for notice in warnings)
            codes = {notice.code for notice in warnings}
            return token_label(
                entry.mailbox,
                entry.written,
                state,
                status,
                lookalike=lookalike,
                key_changed="key_changed" in codes,
                expires_soon="expires_soon" in codes,
            )
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(TOKEN_ICONS[state])
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            messages = tuple(notice.message for notice in warnings)
            return token_tooltip(entry.mailbox, state, status, entry.error, messages)
        if role == Qt.ItemDataRole.EditRole:
            return entry.written
        if role == self.ENTRY_ROLE:
            return entry
        if role == self.STATE_ROLE:
            return state
        if role == self.STATUS_ROLE:
            return status
        return None

    def entries(self) -> tuple[AddressEntry, ...]:
        return tuple(self._entries)

    def mailboxes(self) -> tuple[Mailbox, ...]:
        return tuple(entry.mailbox for entry in self._entries if entry.mailbox is not None)

    def invalid(self) -> tuple[AddressEntry, ...]:
        return tuple(entry for entry in self._entries if entry.mailbox is None)

    def add_entries(self, entries: list[AddressEntry]) -> None:
        if not entries:
            return
        first = len(self._entries)
        self.beginInsertRows(QModelIndex(), first, first + len(entries) - 1)
        self._entries.extend(entries)
        self.endInsertRows()

    def add_text(self, value: str) -> list[AddressEntry]:
        """Tokens for ``value`` (see ``entries_for``), appended; returns them."""
        entries = entries_for(value) if value.strip() else []
        self.add_entries(entries)
        return entries

    def add_mailboxes(self, mailboxes: tuple[Mailbox, ...]) -> None:
        self.add_entries([AddressEntry(written_form(mailbox), mailbox) for mailbox in mailboxes])

    def remove_row(self, row: int) -> AddressEntry:
        self.beginRemoveRows(QModelIndex(), row, row)
        entry = self._entries.pop(row)
        self.endRemoveRows()
        return entry

    def resolve_legacy_dns(self, resolved: Resolved) -> bool:
        """Put the SMTP mailbox in place of each X.500 token ``resolved`` maps (by
        ``legacy_dn_key``), in the same row; True if any changed."""
        changed = []
        for row, entry in enumerate(self._entries):
            if entry.mailbox is not None:
                mailbox = resolve_mailbox(entry.mailbox, resolved, directory_name=False)
                if mailbox is not entry.mailbox:
                    self._entries[row] = AddressEntry(written_form(mailbox), mailbox)
                    changed.append(row)
        if changed:
            self.dataChanged.emit(self.index(changed[0]), self.index(changed[-1]))
        return bool(changed)

    def remove_keys(self, keys: set[str]) -> None:
        for row in reversed(range(len(self._entries))):
            mailbox = self._entries[row].mailbox
            if mailbox is not None and mailbox.key in keys:
                self.remove_row(row)

    def _look(self, entry: AddressEntry) -> tuple[object, ...]:
        key = entry.mailbox.key if entry.mailbox is not None else None
        return (*self._presentation(entry), self._warnings.get(key, ()) if key else ())

    def set_verdicts(
        self,
        statuses: Mapping[str, RecipientStatus],
        pending: frozenset[str],
        warnings: Mapping[str, tuple[Notice, ...]] | None = None,
    ) -> None:
        """Show new verdicts and per-address warnings; the changed rows get one ``dataChanged``."""
        before = [self._look(entry) for entry in self._entries]
        self._statuses, self._pending = statuses, pending
        self._warnings = warnings or {}
        changed = [
            row for row, entry in enumerate(self._entries) if self._look(entry) != before[row]
        ]
        if changed:
            # One signal for the span of changed rows: views re-lay out once per verdict,
            # not once per recipient (200 pasted addresses would stall the window).
            self.dataChanged.emit(self.index(changed[0]), self.index(changed[-1]))
