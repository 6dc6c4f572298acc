"""One scenario: the story, the real compose screen in a sandbox, the decisions, feedback.

Signals of ``ScenarioPage``: ``answered(str, int)`` with the scenario id and the score of
the attempt; ``retry()`` and ``next()`` from the feedback panel.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.messages import text
from desktop_app.core.phi.override import OverrideReason
from desktop_app.core.recipients.addresses import Mailbox
from desktop_app.core.recipients.send_gate import Choice, GateDecision
from desktop_app.core.recipients.status import Field
from desktop_app.core.training.assessment import scenario_gate
from desktop_app.core.training.judging import Feedback, judge
from desktop_app.core.training.schema import Decision, Original, Scenario
from desktop_app.core.training.start import scenario_start
from desktop_app.services.training.sandbox import SandboxAudit, SandboxOutbox, ScenarioWorld
from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.compose.presentation import full_label
from desktop_app.ui.compose.prompts import CloseChoice, Confirmation, DraftPlace
from desktop_app.ui.compose.session import ComposeContext, ComposeStart
from desktop_app.ui.compose.window import ComposeWindow
from desktop_app.ui.theme import Theme
from desktop_app.ui.training.feedback import FeedbackPanel

RECEIVED_AGO = timedelta(hours=1)  # when the scenario's original message arrived
DECISIONS = (
    (Decision.SEND_ENCRYPTED, "training.decide_send_encrypted", "training.tip_send_encrypted"),
    (Decision.REMOVE_RECIPIENTS, "training.decide_remove", "training.tip_remove"),
    (Decision.SEND_UNENCRYPTED, "training.decide_unencrypted", "training.tip_unencrypted"),
    (Decision.KEEP_EDITING, "training.decide_keep_editing", "training.tip_keep_editing"),
    (Decision.ASK_FOR_SIGNED, "training.decide_ask_signed", "training.tip_ask_signed"),
)


class SandboxPrompts:
    """The compose screen's send questions in the sandbox: nothing is ever sent from it."""

    def choose(self, decision: GateDecision) -> Choice:
        return Choice.KEEP_EDITING

    def confirm_unencrypted(self, decision: GateDecision) -> Confirmation:
        return Confirmation.CANCEL

    def ask_close(self, place: DraftPlace) -> CloseChoice:
        return CloseChoice.DISCARD  # the sandbox keeps no drafts

    def inform(self, title: str, message: str) -> None:
        return None

    def phi_reason(self, decision: GateDecision) -> OverrideReason | None:
        return None


def _original_text(original: Original) -> str:
    def names(mailboxes: tuple[Mailbox, ...]) -> str:
        return ", ".join(m.display_name or m.address for m in mailboxes)

    key = "training.original_encrypted" if original.encrypted else "training.original_plain"
    return text(
        key,
        sender=full_label(original.sender),
        to=names(original.to),
        cc=names(original.cc) or "—",
        subject=original.subject,
    )


class ScenarioPage(QWidget):
    answered = Signal(str, int)
    retry = Signal()
    next = Signal()

    def __init__(
        self,
        theme: Theme,
        runner: BackgroundRunner,
        clock: Callable[[], datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("scenarioPage")
        self._theme = theme
        self._runner = runner
        self._clock = clock
        self.scenario: Scenario | None = None
        self.world: ScenarioWorld | None = None
        self.compose: ComposeWindow | None = None
        self.feedback_given: Feedback | None = None
        self._attempt = 1
        self._last = False
        column = QVBoxLayout(self)
        column.setContentsMargins(20, 16, 20, 16)
        column.setSpacing(12)
        self.title = QLabel()
        self.title.setObjectName("previewSubject")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.title.setFont(font)
        self.story = QLabel()
        self.story.setObjectName("scenarioStory")
        self.story.setWordWrap(True)
        self.story.setTextFormat(Qt.TextFormat.PlainText)
        self.original = QLabel()
        self.original.setObjectName("previewMeta")
        self.original.setWordWrap(True)
        self.original.setTextFormat(Qt.TextFormat.PlainText)
        column.addWidget(self.title)
        column.addWidget(self.story)
        column.addWidget(self.original)
        row = QHBoxLayout()
        row.setSpacing(16)
        self.compose_frame = QFrame()
        self.compose_frame.setObjectName("securityBanner")
        self.compose_layout = QVBoxLayout(self.compose_frame)
        self.compose_layout.setContentsMargins(1, 1, 1, 1)
        row.addWidget(self.compose_frame, 5)
        side = QVBoxLayout()
        side.setSpacing(8)
        question = QLabel(text("training.question"))
        question.setObjectName("composeTitle")
        side.addWidget(question)
        self.hint = QLabel(text("training.hint"))
        self.hint.setObjectName("previewMeta")
        self.hint.setWordWrap(True)
        side.addWidget(self.hint)
        self.decision_buttons: dict[Decision, QPushButton] = {}
        for decision, label, tip in DECISIONS:
            button = QPushButton(text(label))
            button.setObjectName(f"decision_{decision.value}")
            button.setToolTip(text(tip))
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, chosen=decision: self.decide(chosen))
            side.addWidget(button)
            self.decision_buttons[decision] = button
        self.feedback = FeedbackPanel(theme)
        self.feedback.hide()
        self.feedback.retry.connect(self.retry.emit)
        self.feedback.next.connect(self.next.emit)
        side.addWidget(self.feedback)
        side.addStretch(1)
        # On a short screen (a 1366x768 laptop) the feedback does not fit beside the compose
        # screen: the side column scrolls instead of squeezing its words over each other.
        self.side_widget = QWidget()
        self.side_widget.setObjectName("decisionColumn")
        self.side_widget.setLayout(side)
        side.setContentsMargins(0, 0, 4, 0)
        self.side_scroll = QScrollArea()
        self.side_scroll.setObjectName("decisionScroll")
        self.side_scroll.setWidgetResizable(True)
        self.side_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.side_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.side_scroll.setWidget(self.side_widget)
        row.addWidget(self.side_scroll, 4)
        column.addLayout(row, 1)

    def open(self, scenario: Scenario, attempt: int, *, last: bool) -> None:
        """Show ``scenario`` afresh; ``attempt`` is the number this try will count as."""
        self._drop_compose()
        self.scenario = scenario
        self._attempt = attempt
        self._last = last
        self.feedback_given = None
        self.feedback.hide()
        self.title.setText(scenario.title)
        self.story.setText(scenario.story)
        self.original.setVisible(scenario.original is not None)
        if scenario.original is not None:
            self.original.setText(_original_text(scenario.original))
        self.world = ScenarioWorld(scenario, self._clock)
        start = scenario_start(scenario, self._clock() - RECEIVED_AGO)
        context = ComposeContext(
            runner=self._runner,
            lookup=self.world.lookup,
            policy=scenario.policy,
            identities=(scenario.sender,),
            outbox=SandboxOutbox(),
            audit=SandboxAudit(),
            clock=self._clock,
            theme=self._theme,
        )
        compose_start = ComposeStart(
            action=start.action,
            to=start.to,
            cc=start.cc,
            subject=start.subject,
            body=start.body,
            quote=start.quote,
            original_encrypted=start.original_encrypted,
        )
        compose = ComposeWindow(context, compose_start, SandboxPrompts(), self.compose_frame)
        compose.setWindowFlags(Qt.WindowType.Widget)
        compose.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        compose.session.models[Field.BCC].add_mailboxes(start.bcc)
        compose.session.set_encrypt(True)  # the scenarios are about confidential mail
        for path in self.world.attachment_paths():
            compose.attach(path)
        # The sandbox sends nothing: the decisions on the right replace Send and Cancel.
        compose.send_button.hide()
        compose.cancel_button.hide()
        for shortcut in compose.findChildren(QShortcut):
            shortcut.setEnabled(False)
        # The sandbox keeps no drafts, so the compose screen's draft status says nothing useful.
        for bar in compose.findChildren(QStatusBar, "composeStatus"):
            bar.hide()
        compose.session.changed.connect(self._update_buttons)
        self.compose_layout.addWidget(compose)
        compose.show()
        self.compose = compose
        self._update_buttons()

    def _drop_compose(self) -> None:
        if self.compose is not None:
            self.compose.session.changed.disconnect(self._update_buttons)
            self.compose.hide()
            self.compose.deleteLater()
            self.compose = None

    def _update_buttons(self) -> None:
        ready = self.compose is not None and not self.compose.session.checking
        for button in self.decision_buttons.values():
            button.setEnabled(ready and self.feedback_given is None)

    @property
    def ready(self) -> bool:
        """True once every lookup has answered and a decision can be made."""
        return self.compose is not None and not self.compose.session.checking

    def decide(self, decision: Decision) -> Feedback | None:
        """Judge ``decision`` against the verdict the compose screen shows now."""
        compose, scenario = self.compose, self.scenario
        if compose is None or scenario is None or compose.session.checking:
            return None
        if self.feedback_given is not None:
            return self.feedback_given
        session = compose.session
        status = session.status
        decision_of_gate = scenario_gate(
            scenario, status, session.start, compose.subject.text(), compose.body.toPlainText()
        )
        feedback = judge(scenario, decision, status, decision_of_gate, self._attempt)
        self.feedback_given = feedback
        self.feedback.show_feedback(feedback, status, scenario.phone, self._last)
        # Bring the verdict and its Next button into view where the column scrolls.
        self.side_widget.adjustSize()
        self.side_scroll.ensureWidgetVisible(self.feedback.next_button, 0, 0)
        self._update_buttons()
        self.answered.emit(scenario.id, feedback.score)
        return feedback
