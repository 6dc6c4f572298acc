"""The send dialog: who cannot read an encrypted message, and exactly the allowed choices.

For a mixed Reply All while Encrypt is off it also lists who could read it encrypted.
"""

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.messages import text
from desktop_app.core.phi.describe import describe
from desktop_app.core.recipients.send_gate import Choice, GateDecision
from desktop_app.core.recipients.status import RecipientStatus
from desktop_app.core.recipients.status_wording import LineState
from desktop_app.ui.compose.presentation import (
    code_words,
    full_label,
    plain_reason,
    shown_address,
)
from desktop_app.ui.status_icons import (
    LINE_ICONS,
    TOKEN_ICONS,
    judged_state,
    line_words,
    state_words,
)
from desktop_app.ui.theme import Theme

_Index = QModelIndex | QPersistentModelIndex
_PHI_SHOWN = 6  # findings listed; the rest are of the same kinds
CHOICE_LABELS = {
    Choice.REMOVE_AND_ENCRYPT: "gate.choice.remove_and_encrypt",
    Choice.SEND_UNENCRYPTED: "gate.choice.send_unencrypted",
    Choice.KEEP_EDITING: "gate.choice.keep_editing",
}


class UncoveredListModel(QAbstractListModel):
    """The recipients who cannot read an encrypted message, with the reason for each
    (or, ``covered``, those who can)."""

    STATUS_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(
        self,
        statuses: tuple[RecipientStatus, ...],
        theme: Theme,
        parent: QObject | None = None,
        *,
        covered: bool = False,
    ) -> None:
        super().__init__(parent)
        self._statuses = statuses
        self._theme = theme
        self._covered = covered

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt)
        return 0 if parent.isValid() else len(self._statuses)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._statuses):
            return None
        status = self._statuses[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if self._covered:
                return text("gate.covered_row", recipient=full_label(status.mailbox))
            return text(
                "gate.uncovered_row",
                recipient=full_label(status.mailbox),
                words=code_words(status.code),
                reason=plain_reason(status),
            )
        if role == Qt.ItemDataRole.AccessibleTextRole:
            state = judged_state(self._covered)
            label = self.data(index, Qt.ItemDataRole.DisplayRole).replace("\n", ". ")
            return text("a11y.token", label=label, state=state_words(state))
        if role == Qt.ItemDataRole.DecorationRole:
            return self._theme.icon(TOKEN_ICONS[judged_state(self._covered)])
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_reason(status)
        if role == self.STATUS_ROLE:
            return status
        return None


class GateDialog(QDialog):
    """Lists the uncovered recipients and offers the decision's choices, no others.

    ``choice`` is the button pressed; closing the dialog any other way is Keep editing.
    """

    def __init__(self, decision: GateDecision, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gateDialog")
        self.setWindowTitle(decision.title)
        self.setModal(True)
        self.choice = Choice.KEEP_EDITING
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 22, 24, 20)
        layout.setSpacing(12)
        heading = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(theme.pixmap(LINE_ICONS[LineState.BLOCKED], 32))
        icon.setAccessibleName(line_words(LineState.BLOCKED))
        title = QLabel(decision.title)
        title.setObjectName("gateTitle")
        title.setWordWrap(True)
        heading.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        heading.addWidget(title, 1)
        layout.addLayout(heading)
        message = QLabel(decision.message)
        message.setWordWrap(True)
        layout.addWidget(message)
        self.uncovered = UncoveredListModel(decision.uncovered, theme, self)
        layout.addWidget(self._list("uncoveredList", self.uncovered, 220))
        self.covered = UncoveredListModel(decision.covered, theme, self, covered=True)
        if decision.covered:
            covered = self._list("coveredList", self.covered, 120)
            # One line per colleague who could read it: as tall as its rows, not a box.
            rows = sum(covered.sizeHintForRow(row) for row in range(self.covered.rowCount()))
            covered.setMaximumHeight(min(120, rows + 2 * covered.frameWidth() + 12))
            layout.addWidget(covered)
        for note in self._notes(decision):
            label = QLabel(note)
            label.setObjectName("gateNote")
            label.setWordWrap(True)
            layout.addWidget(label)
        # One choice per line, as a phone's action sheet: long labels stay whole, and
        # nothing suggests a default other than Keep editing.
        buttons = QVBoxLayout()
        buttons.setSpacing(8)
        self.buttons: dict[Choice, QPushButton] = {}
        for choice in decision.choices:
            button = QPushButton(text(CHOICE_LABELS[choice]))
            button.setObjectName(f"choice_{choice.value}")
            button.clicked.connect(lambda _=False, picked=choice: self._pick(picked))
            buttons.addWidget(button)
            self.buttons[choice] = button
        keep = self.buttons.get(Choice.KEEP_EDITING)
        if keep is not None:
            keep.setDefault(True)
            keep.setAutoDefault(True)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)

    @staticmethod
    def _list(name: str, model: UncoveredListModel, height: int) -> QListView:
        view = QListView()
        view.setObjectName(name)
        view.setModel(model)
        view.setWordWrap(True)
        view.setUniformItemSizes(False)
        view.setSelectionMode(QListView.SelectionMode.NoSelection)
        view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setResizeMode(QListView.ResizeMode.Adjust)
        view.setMaximumHeight(height)
        return view

    @staticmethod
    def _notes(decision: GateDecision) -> list[str]:
        notes = []
        if decision.external:
            names = ", ".join(shown_address(mailbox) for mailbox in decision.external)
            notes.append(text("gate.external", count=len(decision.external), names=names))
        if decision.large_audience:
            notes.append(text("gate.large_audience", count=decision.audience))
        notes.extend(warning.message for warning in decision.warnings)
        if decision.phi:
            found = [describe(finding) for finding in decision.phi[:_PHI_SHOWN]]
            notes.append("\n".join([text("gate.phi_heading"), *found]))
        notes.extend(text("phi.unchecked", name=name) for name in decision.phi_unchecked)
        return notes

    def _pick(self, choice: Choice) -> None:
        self.choice = choice
        self.accept()
