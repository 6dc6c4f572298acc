"""Address completion for the To, Cc and Bcc editors, each suggestion with its lock.

Suggestions come from the certificate store, recent correspondents and (with an account)
the directory's cache. They are loaded once per window on the background helper, the
first time a recipient is typed, and judged there by the one rule from the store's
evidence alone (no directory question per keystroke). The lock on a suggestion is that
verdict; the token made from it is looked up afresh like any typed address.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QCompleter

from desktop_app.core.messages import text
from desktop_app.core.recipients.addresses import AddressError, Mailbox, parse_mailbox, written_form
from desktop_app.core.recipients.status import Draft, Evidence, decide
from desktop_app.ui.compose.presentation import code_words, full_label
from desktop_app.ui.status_icons import TOKEN_ICONS, TokenState, state_words

if TYPE_CHECKING:
    from desktop_app.ui.background import BackgroundRunner
    from desktop_app.ui.compose.token_field import TokenEditor
    from desktop_app.ui.theme import Theme

_Index = QModelIndex | QPersistentModelIndex
MAX_SUGGESTIONS = 2000  # beyond this many known addresses the rest are not offered
SHOWN_AT_ONCE = 8  # rows of the pop-up


class StoredAddresses(Protocol):
    """The part of the certificate lookup completion uses (background thread)."""

    def stored_addresses(self) -> tuple[tuple[str, str], ...]: ...

    def stored_evidence(self, address_keys: Sequence[str]) -> Evidence: ...


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One address to offer, with the one rule's verdict on the store's evidence."""

    mailbox: Mailbox
    state: TokenState
    words: str  # the status in a few words ("expired"), shown next to the address


def load_suggestions(lookup: StoredAddresses, extra: Sequence[str] = ()) -> tuple[Suggestion, ...]:
    """Every known address once (named ones first), judged; runs off the GUI thread."""
    named: dict[str, Mailbox] = {}
    for address, name in (*lookup.stored_addresses(), *((a, "") for a in extra)):
        try:
            mailbox = parse_mailbox(address)
        except AddressError:
            continue  # a stored oddity is not worth offering
        if mailbox.key not in named:  # the store's (named) entries come first
            named[mailbox.key] = Mailbox(mailbox.address, mailbox.key, name, mailbox.kind)
        if len(named) >= MAX_SUGGESTIONS:
            break
    mailboxes = tuple(named.values())
    status = decide(Draft(to=mailboxes), lookup.stored_evidence([m.key for m in mailboxes]))
    verdicts = {recipient.mailbox.key: recipient for recipient in status.recipients}
    suggestions = []
    for mailbox in mailboxes:
        verdict = verdicts.get(mailbox.key)
        if verdict is not None and verdict.covered:
            suggestions.append(Suggestion(mailbox, TokenState.COVERED, text("token.ok")))
        elif verdict is not None:
            suggestions.append(
                Suggestion(mailbox, TokenState.NOT_COVERED, code_words(verdict.code))
            )
    return tuple(sorted(suggestions, key=_sort_key))


def _sort_key(suggestion: Suggestion) -> str:
    return (suggestion.mailbox.display_name or suggestion.mailbox.address).casefold()


class SuggestionModel(QAbstractListModel):
    """Suggestions for the completer: Display = "Name <address> · words" (what the
    pop-up shows), Edit = the address as written (what is matched and becomes the
    token), Decoration = its lock."""

    def __init__(self, icon: Callable[[str], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._icon = icon
        self._suggestions: tuple[Suggestion, ...] = ()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt)
        return 0 if parent.isValid() else len(self._suggestions)

    def set_suggestions(self, suggestions: tuple[Suggestion, ...]) -> None:
        self.beginResetModel()
        self._suggestions = suggestions
        self.endResetModel()

    def suggestion(self, row: int) -> Suggestion:
        return self._suggestions[row]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._suggestions):
            return None
        suggestion = self._suggestions[index.row()]
        label = full_label(suggestion.mailbox)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{label} · {suggestion.words}"
        if role == Qt.ItemDataRole.EditRole:
            return written_form(suggestion.mailbox)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(TOKEN_ICONS[suggestion.state])
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return text("a11y.suggestion", label=label, state=state_words(suggestion.state))
        return None


class AddressCompletion(QObject):
    """Gives each recipient editor a completer over one shared suggestion model.

    ``load`` (background thread) returns the suggestions; it is run once, on the first
    edit in any of the editors.
    """

    def __init__(
        self,
        runner: BackgroundRunner,
        theme: Theme,
        load: Callable[[], tuple[Suggestion, ...]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._load = load
        self._asked = False
        self.model = SuggestionModel(theme.icon, self)
        self.completers: list[QCompleter] = []
        self._editors: list[TokenEditor] = []

    @property
    def loaded(self) -> bool:
        return self.model.rowCount() > 0

    def attach(self, editor: TokenEditor) -> None:
        completer = QCompleter(self.model, editor)
        completer.setObjectName("addressCompleter")
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionRole(Qt.ItemDataRole.EditRole)
        completer.setMaxVisibleItems(SHOWN_AT_ONCE)
        completer.setModelSorting(QCompleter.ModelSorting.UnsortedModel)
        editor.setCompleter(completer)
        # After the editor's own slot has put the chosen address in: it becomes a token.
        completer.activated[str].connect(  # type: ignore[index]
            lambda _value, chosen=editor: chosen.take()
        )
        editor.textEdited.connect(self._first_edit)
        self.completers.append(completer)
        self._editors.append(editor)

    def _first_edit(self, value: str) -> None:
        if self._asked or not value.strip():
            return
        self._asked = True
        self._runner.run(self._load, self._loaded, failure=lambda _error: None, owner=self)

    def _loaded(self, suggestions: tuple[Suggestion, ...]) -> None:
        self.model.set_suggestions(suggestions)
        for editor, completer in zip(self._editors, self.completers, strict=True):
            if editor.hasFocus() and editor.text().strip():
                completer.setCompletionPrefix(editor.text())
                completer.complete()  # what was typed while they loaded is offered now
