"""Walking through scenarios by clicking: feedback, scores, progress and the exported record."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop_app.cli.parser import build_parser
from desktop_app.core.messages import text
from desktop_app.core.recipients.status import Field, Overall
from desktop_app.core.training.schema import Decision
from desktop_app.services.paths import resource_folder
from desktop_app.services.training.progress_file import ProgressFile
from desktop_app.services.training.sandbox import SandboxOutbox
from desktop_app.services.training.scenarios import load_scenarios
from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.compose.recipient_model import RecipientListModel
from desktop_app.ui.status_icons import TokenState
from desktop_app.ui.theme import Theme
from desktop_app.ui.training.window import TrainingWindow
from tests.ui.conftest import OFFSCREEN_SIZE_HINTS
from tests.ui.make_screenshots import DEMO_NOW, demo_application
from tests.ui.training.make_screenshot import MOTIVATING, render

Opener = Callable[[], TrainingWindow]


@pytest.fixture
def messages() -> list[tuple[str, str]]:
    return []


@pytest.fixture
def open_training(
    qtbot: QtBot,
    theme: Theme,
    runner: BackgroundRunner,
    tmp_path: Path,
    messages: list[tuple[str, str]],
) -> Iterator[Opener]:
    def open_window() -> TrainingWindow:
        window = TrainingWindow(
            theme=theme,
            runner=runner,
            scenarios=load_scenarios(resource_folder() / "training"),
            progress_file=ProgressFile(tmp_path / "home"),
            clock=lambda: DEMO_NOW,
            folder_chooser=lambda _parent: tmp_path / "records",
            informer=lambda _parent, title, message: messages.append((title, message)),
        )
        qtbot.addWidget(window)
        window.show()
        return window

    yield open_window


def _ready(qtbot: QtBot, window: TrainingWindow) -> None:
    qtbot.waitUntil(
        lambda: window.page.ready and not window.page.compose.context.runner.busy, timeout=10_000
    )  # type: ignore[union-attr]


def _decide(qtbot: QtBot, window: TrainingWindow, decision: Decision) -> None:
    _ready(qtbot, window)
    qtbot.mouseClick(window.page.decision_buttons[decision], Qt.MouseButton.LeftButton)
    assert window.page.feedback.isVisible()


def _token_states(window: TrainingWindow) -> dict[str, TokenState]:
    compose = window.page.compose
    assert compose is not None
    states = {}
    for field in Field:
        model = compose.session.models[field]
        for row in range(model.rowCount()):
            entry = model.index(row).data(RecipientListModel.ENTRY_ROLE)
            states[entry.mailbox.key] = model.index(row).data(RecipientListModel.STATE_ROLE)
    return states


def test_walk_through_three_scenarios_then_export_the_record(
    qtbot: QtBot, open_training: Opener, tmp_path: Path, messages: list[tuple[str, str]]
) -> None:
    window = open_training()
    assert window.stack.currentWidget() is window.lesson
    qtbot.keyClicks(window.lesson.name_edit, "Alex Morgan")
    qtbot.mouseClick(window.lesson.start_button, Qt.MouseButton.LeftButton)

    # 1. The motivating Reply All: "Send encrypted" is what the flawed phone did.
    assert window.page.scenario is not None and window.page.scenario.id == MOTIVATING
    _ready(qtbot, window)
    compose = window.page.compose
    assert compose is not None
    assert compose.session.status.overall is Overall.NOT_ENCRYPTED
    assert compose.status_line.headline.text() == text("status_line.not_encrypted")
    assert _token_states(window) == {
        "dana@partner.example": TokenState.NOT_COVERED,
        "lee@clinic.example": TokenState.COVERED,
    }
    reply_all_verdict = compose.status_line.summary.text()
    _decide(qtbot, window, Decision.SEND_ENCRYPTED)
    feedback = window.page.feedback
    assert feedback.headline.text() == text("training.incorrect")
    assert "Dana Whitfield would have received smime.p7m and could not read it." in (
        feedback.consequences.text()
    )
    assert feedback.comparison.isVisible()
    assert feedback.phone.headline.text() == text("status_line.encrypted")
    assert feedback.correct.headline.text() == text("status_line.not_encrypted")
    assert feedback.score.text() == text("training.points", score=0)
    assert not window.page.decision_buttons[Decision.ASK_FOR_SIGNED].isEnabled()

    # Retry: the right answer at the second attempt scores half.
    qtbot.mouseClick(feedback.retry_button, Qt.MouseButton.LeftButton)
    assert not window.page.feedback.isVisible()
    _decide(qtbot, window, Decision.ASK_FOR_SIGNED)
    assert feedback.headline.text() == text("training.correct")
    assert feedback.score.text() == text("training.points", score=50)
    assert window.progress.result(MOTIVATING).attempts == 2
    assert window.progress.result(MOTIVATING).score == 50

    # 2. A new message to the same people looks exactly the same.
    qtbot.mouseClick(feedback.next_button, Qt.MouseButton.LeftButton)
    assert window.page.scenario is not None
    assert window.page.scenario.id == "02-new-message-same-people"
    _ready(qtbot, window)
    assert window.page.compose is not None
    assert window.page.compose.status_line.summary.text() == reply_all_verdict
    assert _token_states(window) == {
        "dana@partner.example": TokenState.NOT_COVERED,
        "lee@clinic.example": TokenState.COVERED,
    }
    _decide(qtbot, window, Decision.ASK_FOR_SIGNED)
    assert feedback.headline.text() == text("training.correct")
    assert feedback.score.text() == text("training.points", score=100)

    # 3. Everyone covered: send encrypted.
    qtbot.mouseClick(feedback.next_button, Qt.MouseButton.LeftButton)
    assert window.page.scenario is not None and window.page.scenario.id == "03-all-covered"
    _decide(qtbot, window, Decision.SEND_ENCRYPTED)
    assert feedback.headline.text() == text("training.correct")
    assert not feedback.comparison.isVisible()  # no phone story for this one
    assert text("training.result_all_read") in feedback.consequences.text()
    assert window.score_label.text() == text(
        "training.overall",
        score=round(250 / len(window.scenarios)),
        completed=3,
        total=len(window.scenarios),
    )

    # Export: CSV and JSON with name, date, scenarios and score, no message text.
    with qtbot.waitSignal(window.exported) as exported:
        qtbot.mouseClick(window.export_button, Qt.MouseButton.LeftButton)
    csv_path, json_path = exported.args[0]
    assert csv_path.parent == tmp_path / "records"
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert data["name"] == "Alex Morgan" and data["date"] == "2026-11-27"
    assert data["completed"] == 3 and data["total"] == len(window.scenarios)
    assert data["scenarios"][0] == {
        "id": MOTIVATING,
        "title": "Reply All to a mixed group",
        "attempts": 2,
        "score": 50,
    }
    rows = list(csv.DictReader(csv_path.open(encoding="utf-8")))
    assert [row["score"] for row in rows[:3]] == ["50", "100", "100"]
    everything = csv_path.read_text(encoding="utf-8") + json_path.read_text(encoding="utf-8")
    assert "Referral results" not in everything and "shared patient" not in everything
    assert messages and messages[-1][0] == text("training.export_title")


def test_progress_is_saved_in_the_home_folder_and_shown_again(
    qtbot: QtBot, open_training: Opener, tmp_path: Path
) -> None:
    window = open_training()
    window.open_scenario(2)
    _decide(qtbot, window, Decision.SEND_ENCRYPTED)
    window.close()
    saved = json.loads((tmp_path / "home" / "training-progress.json").read_text("utf-8"))
    assert saved["results"]["03-all-covered"] == {"attempts": 1, "score": 100}
    again = open_training()
    result = again.model.index(2).data(again.model.RESULT_ROLE)
    assert result.score == 100 and result.attempts == 1
    assert again.model.index(2).data(Qt.ItemDataRole.ToolTipRole) == text(
        "training.scored", score=100, attempts=1
    )


def test_the_sandbox_never_sends(qtbot: QtBot, open_training: Opener, tmp_path: Path) -> None:
    window = open_training()
    window.open_scenario(2)  # everyone covered: Send would go straight out
    _ready(qtbot, window)
    compose = window.page.compose
    assert compose is not None
    assert not compose.send_button.isVisible() and not compose.cancel_button.isVisible()
    outbox = compose.context.outbox
    assert isinstance(outbox, SandboxOutbox)
    compose.send()  # even if something calls it, the sandbox outbox only counts
    qtbot.waitUntil(lambda: outbox.kept == 1, timeout=5_000)
    assert not (tmp_path / "home").exists()  # nothing written, nothing sent


# Qt's offscreen platform cannot raise windows and says so; real platforms can.
@pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS, r"^This plugin does not support raise\(\)$")
def test_the_main_window_opens_training(qtbot: QtBot, qapp: QApplication, demo_copy: Path) -> None:
    application = demo_application(qapp, demo_copy)
    try:
        window = application.main_window()
        qtbot.addWidget(window)
        window.show()
        window.training_action.trigger()
        training = application.training_window
        assert isinstance(training, TrainingWindow)
        qtbot.addWidget(training)
        assert training.isVisible() and len(training.scenarios) >= 12
        assert application.training() is training  # one at a time
        training.close()
        window.close()
    finally:
        application.shutdown()


def test_export_needs_a_name(
    qtbot: QtBot, open_training: Opener, messages: list[tuple[str, str]]
) -> None:
    window = open_training()
    assert window.export() is None
    assert messages[-1] == (text("training.export_title"), text("training.export_no_name"))
    assert window.stack.currentWidget() is window.lesson


def test_the_scenario_list_model(qtmodeltester: ModelTester, theme: Theme) -> None:
    from desktop_app.ui.training.scenario_model import ScenarioListModel

    model = ScenarioListModel(load_scenarios(resource_folder() / "training").scenarios, theme.icon)
    qtmodeltester.check(model)


def test_train_is_a_command() -> None:
    assert build_parser().parse_args(["train"]).command == "train"


def test_the_screenshot_renders(qapp: object, tmp_path: Path) -> None:
    path = render(tmp_path / "shots", tmp_path / "home")
    assert path.stat().st_size > 10_000


def test_the_trainee_can_inspect_a_token_s_certificate(qtbot: QtBot, open_training: Opener) -> None:
    window = open_training()
    window.open_scenario(window.model.row_of("07-certificate-for-another-address"))
    _ready(qtbot, window)
    compose = window.page.compose
    assert compose is not None
    (pat,) = compose.fields[Field.TO].tokens()
    qtbot.mouseClick(pat, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: compose.details_dialog is not None, timeout=5_000)
    dialog = compose.details_dialog
    assert dialog is not None
    shown = "\n".join(label.text() for label in dialog.findChildren(QLabel))
    assert "p.quinn@northside-lab.example" in shown
    assert "smime-guard Demo CA (throwaway)" in shown
    dialog.close()


def test_finishing_the_last_scenario_returns_to_the_lesson_with_the_score(
    qtbot: QtBot, open_training: Opener, messages: list[tuple[str, str]]
) -> None:
    window = open_training()
    last = len(window.scenarios) - 1
    window.open_scenario(last)
    _decide(qtbot, window, Decision.ASK_FOR_SIGNED)
    assert window.page.feedback.next_button.text() == text("training.finish")
    qtbot.mouseClick(window.page.feedback.next_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.lesson
    assert messages[-1] == (text("training.title"), window.score_label.text())
