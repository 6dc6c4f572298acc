"""The list of scenarios beside the training pages, with each one's score."""

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon

from desktop_app.core.messages import text
from desktop_app.core.training.progress import Progress, ScenarioResult
from desktop_app.core.training.schema import Scenario
from desktop_app.ui.status_icons import ANSWER_ICONS, AnswerMark

_Index = QModelIndex | QPersistentModelIndex


def result_words(result: ScenarioResult) -> str:
    if result.attempts == 0:
        return text("training.not_tried")
    return text("training.scored", score=result.score, attempts=result.attempts)


def result_icon(result: ScenarioResult) -> str | None:
    """Shape as well as colour: a closed lock when solved, a warning when tried and missed."""
    if result.attempts == 0:
        return None
    return ANSWER_ICONS[AnswerMark.SOLVED if result.score > 0 else AnswerMark.MISSED]


class ScenarioListModel(QAbstractListModel):
    """One row per scenario: title, a result icon, the score as tooltip."""

    SCENARIO_ROLE = Qt.ItemDataRole.UserRole + 1
    RESULT_ROLE = Qt.ItemDataRole.UserRole + 2

    def __init__(self, scenarios: Sequence[Scenario], icon: Callable[[str], QIcon]) -> None:
        super().__init__()
        self._scenarios = tuple(scenarios)
        self._icon = icon
        self._icons: dict[str, QIcon] = {}
        self._progress = Progress()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._scenarios)

    def scenario(self, row: int) -> Scenario:
        return self._scenarios[row]

    def row_of(self, scenario_id: str) -> int:
        return next(i for i, s in enumerate(self._scenarios) if s.id == scenario_id)

    def _cached_icon(self, name: str) -> QIcon:
        if name not in self._icons:
            self._icons[name] = self._icon(name)
        return self._icons[name]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._scenarios):
            return None
        scenario = self._scenarios[index.row()]
        result = self._progress.result(scenario.id)
        if role == Qt.ItemDataRole.DisplayRole:
            return text("training.list_item", number=index.row() + 1, title=scenario.title)
        if role == Qt.ItemDataRole.DecorationRole:
            name = result_icon(result)
            return self._cached_icon(name) if name is not None else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return result_words(result)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return result_words(result)
        if role == self.SCENARIO_ROLE:
            return scenario
        if role == self.RESULT_ROLE:
            return result
        return None

    def set_progress(self, progress: Progress) -> None:
        self._progress = progress
        if self._scenarios:
            self.dataChanged.emit(self.index(0), self.index(len(self._scenarios) - 1))
