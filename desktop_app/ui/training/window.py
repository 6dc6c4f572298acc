"""The training window: the lesson, then each scenario, with scores saved as you go.

A dialog window (non-modal) so that it takes the dialogs' button styles. Signals of
``TrainingWindow``: ``exported(object)`` with the (CSV, JSON) paths of a written record.
"""

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QItemSelection, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.core.training.progress import Progress, completion_record
from desktop_app.core.training.schema import Scenario
from desktop_app.services.training.progress_file import ProgressFile, export_record
from desktop_app.services.training.scenarios import ScenarioSet
from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.errors import error_text
from desktop_app.ui.list_icons import VisibleIconDelegate
from desktop_app.ui.theme import Theme
from desktop_app.ui.training.lesson import LessonPage
from desktop_app.ui.training.scenario_model import ScenarioListModel
from desktop_app.ui.training.scenario_page import ScenarioPage
from desktop_app.ui.window_places import documents_folder, fit_to_screen

# Roomy where the screen allows; on a 1366x768 laptop the window takes what is there.
PREFERRED_SIZE = QSize(1400, 900)
FolderChooser = Callable[[QWidget], Path | None]
Informer = Callable[[QWidget, str, str], None]


def choose_folder(parent: QWidget) -> Path | None:
    chosen = QFileDialog.getExistingDirectory(
        parent, text("training.export_title"), documents_folder()
    )
    return Path(chosen) if chosen else None


def inform(parent: QWidget, title: str, message: str) -> None:
    QMessageBox.information(parent, title, message)


class TrainingWindow(QDialog):
    exported = Signal(object)

    def __init__(
        self,
        *,
        theme: Theme,
        runner: BackgroundRunner,
        scenarios: ScenarioSet,
        progress_file: ProgressFile,
        clock: Callable[[], datetime],
        folder_chooser: FolderChooser = choose_folder,
        informer: Informer = inform,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("trainingWindow")
        self.setWindowTitle(text("training.title"))
        self.setModal(False)
        fit_to_screen(self, PREFERRED_SIZE)
        self._theme = theme
        self._clock = clock
        self._progress_file = progress_file
        self._choose_folder = folder_chooser
        self._inform = informer
        self.scenarios = scenarios.scenarios
        problems = tuple(error.message for error in scenarios.problems)
        try:
            self.progress = progress_file.load()
        except UserFacingError as error:
            self.progress = Progress()
            problems += (error.message,)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._bar())
        self.model = ScenarioListModel(self.scenarios, theme.icon)
        self.model.set_progress(self.progress)
        self.list_view = QListView()
        self.list_view.setObjectName("scenarioList")
        self.list_view.setModel(self.model)
        self.list_view.setItemDelegate(VisibleIconDelegate(self.list_view))
        self.list_view.setIconSize(QSize(18, 18))
        self.list_view.setFrameShape(QFrame.Shape.NoFrame)
        self.list_view.setSpacing(2)
        self.list_view.setWordWrap(True)
        self.list_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_view.selectionModel().selectionChanged.connect(self._on_selection)
        self.lesson = LessonPage(theme, problems)
        self.lesson.name_edit.setText(self.progress.trainee)
        self.lesson.name_edit.editingFinished.connect(self._save_name)
        self.lesson.started.connect(self._start)
        self.page = ScenarioPage(theme, runner, clock)
        self.page.answered.connect(self._on_answered)
        self.page.retry.connect(self.retry)
        self.page.next.connect(self.next_scenario)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.lesson)
        self.stack.addWidget(self.page)
        splitter = QSplitter()
        splitter.setObjectName("mainSplitter")
        splitter.addWidget(self.list_view)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 1100])
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)
        self._show_score()

    def _bar(self) -> QFrame:
        bar = QFrame()
        bar.setObjectName("composeBar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(16, 10, 16, 10)
        self.lesson_button = QPushButton(text("training.lesson"))
        self.lesson_button.setObjectName("lessonButton")
        self.lesson_button.clicked.connect(self.show_lesson)
        self.lesson_button.setAutoDefault(False)
        title = QLabel(text("training.title"))
        title.setObjectName("composeTitle")
        self.score_label = QLabel()
        self.score_label.setObjectName("trainingScore")
        self.export_button = QPushButton(text("training.export"))
        self.export_button.setObjectName("exportButton")
        self.export_button.clicked.connect(self.export)
        self.export_button.setAutoDefault(False)
        row.addWidget(self.lesson_button)
        row.addSpacing(12)
        row.addWidget(title)
        row.addStretch(1)
        row.addWidget(self.score_label)
        row.addSpacing(12)
        row.addWidget(self.export_button)
        return bar

    # -- navigation ------------------------------------------------------------------------

    def show_lesson(self) -> None:
        self.list_view.clearSelection()
        self.stack.setCurrentWidget(self.lesson)

    def _start(self) -> None:
        self._save_name()
        if self.scenarios:
            self.open_scenario(0)

    def open_scenario(self, row: int) -> None:
        """Select the ``row``-th scenario; the selection opens it."""
        index = self.model.index(row)
        if self.list_view.currentIndex() == index:
            self._open(row)
        else:
            self.list_view.setCurrentIndex(index)

    def _on_selection(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = selected.indexes()
        if rows:
            self._open(rows[0].row())

    def _open(self, row: int) -> None:
        scenario = self.model.scenario(row)
        attempt = self.progress.result(scenario.id).attempts + 1
        self.page.open(scenario, attempt, last=row == len(self.scenarios) - 1)
        self.stack.setCurrentWidget(self.page)

    @property
    def current(self) -> Scenario | None:
        return self.page.scenario if self.stack.currentWidget() is self.page else None

    def retry(self) -> None:
        if self.page.scenario is not None:
            self._open(self.model.row_of(self.page.scenario.id))

    def next_scenario(self) -> None:
        if self.page.scenario is None:
            return
        row = self.model.row_of(self.page.scenario.id) + 1
        if row < len(self.scenarios):
            self.open_scenario(row)
        else:
            self.show_lesson()
            self._inform(self, text("training.title"), self._score_text())

    # -- progress --------------------------------------------------------------------------

    def _save(self) -> None:
        try:
            self._progress_file.save(self.progress)
        except UserFacingError as error:
            self._inform(self, text("training.title"), error_text(error))

    def _save_name(self) -> None:
        name = self.lesson.name_edit.text()
        if name.strip() != self.progress.trainee:
            self.progress = self.progress.with_trainee(name)
            self._save()

    def _on_answered(self, scenario_id: str, score: int) -> None:
        self.progress = self.progress.with_attempt(scenario_id, score)
        self.model.set_progress(self.progress)
        self._save()
        self._show_score()

    def _score_text(self) -> str:
        record = completion_record(self.progress, self.scenarios, "", self._clock().date())
        return text(
            "training.overall",
            score=record.score,
            completed=record.completed,
            total=len(self.scenarios),
        )

    def _show_score(self) -> None:
        self.score_label.setText(self._score_text())

    def export(self) -> tuple[Path, Path] | None:
        """Write the completion record (CSV and JSON) into a folder the trainee picks."""
        self._save_name()
        if not self.progress.trainee:
            self._inform(self, text("training.export_title"), text("training.export_no_name"))
            self.show_lesson()
            self.lesson.name_edit.setFocus()
            return None
        folder = self._choose_folder(self)
        if folder is None:
            return None
        record = completion_record(
            self.progress, self.scenarios, self.progress.trainee, self._clock().date()
        )
        try:
            paths = export_record(record, folder)
        except UserFacingError as error:
            self._inform(self, text("training.export_title"), error_text(error))
            return None
        self._inform(
            self,
            text("training.export_title"),
            text("training.exported", csv=paths[0].name, json=paths[1].name, folder=folder),
        )
        self.exported.emit(paths)
        return paths
