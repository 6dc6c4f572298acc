"""Feedback after a decision: right or not, what would have happened, and for the
motivating case what the flawed phone showed beside the correct verdict."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.messages import text
from desktop_app.core.recipients.status import MessageStatus, Overall
from desktop_app.core.recipients.status_wording import LineState, status_wording
from desktop_app.core.training.judging import Feedback
from desktop_app.core.training.schema import PhoneView
from desktop_app.ui.compose.presentation import StatusLine, line_of, status_line
from desktop_app.ui.compose.status_line import StatusLineWidget
from desktop_app.ui.status_icons import ANSWER_ICONS, AnswerMark
from desktop_app.ui.theme import Theme


def phone_line(phone: PhoneView) -> StatusLine:
    """The status line as the phone drew it: it showed what it claimed, right or wrong."""
    return _verdict_line(phone.shown, phone.note)


def correct_line(status: MessageStatus) -> StatusLine:
    """The one rule's verdict in the compose window's own words, with Encrypt on."""
    return status_line(status_wording(status, encrypt_on=True, required=False))


def _verdict_line(overall: Overall, summary: str) -> StatusLine:
    """A claimed verdict drawn as the phone drew it (it knew only Encrypted or not)."""
    if overall is Overall.ENCRYPTED:
        return line_of(LineState.ENCRYPTED, text("status_line.encrypted"), summary)
    return line_of(LineState.BLOCKED, text("status_line.not_encrypted"), summary)


def _caption(key: str) -> QLabel:
    label = QLabel(text(key))
    label.setObjectName("fieldLabel")
    return label


def _note() -> QLabel:
    label = QLabel()
    label.setObjectName("previewMeta")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class FeedbackPanel(QFrame):
    """Signals: ``retry()`` and ``next()`` from its two buttons."""

    retry = Signal()
    next = Signal()

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("securityBanner")
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 14, 16, 14)
        column.setSpacing(8)
        top = QHBoxLayout()
        self.icon = QLabel()
        self.icon.setFixedSize(26, 26)
        self._theme = theme
        self.headline = QLabel()
        self.headline.setObjectName("feedbackHeadline")
        font = self.headline.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.headline.setFont(font)
        self.score = QLabel()
        self.score.setObjectName("feedbackScore")
        top.addWidget(self.icon)
        top.addWidget(self.headline, 1)
        top.addWidget(self.score)
        column.addLayout(top)
        self.consequences = QLabel()
        self.consequences.setObjectName("feedbackConsequences")
        self.consequences.setWordWrap(True)
        self.consequences.setTextFormat(Qt.TextFormat.PlainText)
        column.addWidget(self.consequences)
        self.explanation = QLabel()
        self.explanation.setObjectName("feedbackExplanation")
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.PlainText)
        column.addWidget(self.explanation)
        self.comparison = QWidget()
        self.comparison.setObjectName("phoneComparison")
        grid = QGridLayout(self.comparison)
        grid.setContentsMargins(0, 6, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        self.phone = StatusLineWidget(theme)
        self.correct = StatusLineWidget(theme)
        self.phone_note = _note()
        self.correct_note = _note()
        sides = (
            ("training.phone_showed", self.phone, self.phone_note),
            ("training.correct_verdict", self.correct, self.correct_note),
        )
        for column_number, (caption, widget, note) in enumerate(sides):
            widget.summary.hide()  # the wrapped note below says it in full
            grid.addWidget(_caption(caption), 0, column_number)
            grid.addWidget(widget, 1, column_number)
            grid.addWidget(note, 2, column_number, Qt.AlignmentFlag.AlignTop)
            grid.setColumnStretch(column_number, 1)
        column.addWidget(self.comparison)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.retry_button = QPushButton(text("training.retry"))
        self.retry_button.setObjectName("retryButton")
        self.retry_button.clicked.connect(self.retry.emit)
        self.retry_button.setAutoDefault(False)
        self.next_button = QPushButton(text("training.next"))
        self.next_button.setObjectName("nextButton")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.next.emit)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.next_button)
        column.addLayout(buttons)

    def show_feedback(
        self, feedback: Feedback, status: MessageStatus, phone: PhoneView | None, last: bool
    ) -> None:
        self.setProperty("security", "encrypted" if feedback.correct else "warning")
        self.style().unpolish(self)
        self.style().polish(self)
        mark = AnswerMark.CORRECT if feedback.correct else AnswerMark.MISSED
        self.icon.setPixmap(self._theme.pixmap(ANSWER_ICONS[mark], 24))
        self.headline.setText(feedback.headline)
        self.score.setText(text("training.points", score=feedback.score))
        self.consequences.setText("\n".join(f"• {line}" for line in feedback.consequences))
        self.explanation.setText(feedback.explanation)
        self.comparison.setVisible(phone is not None)
        if phone is not None:
            self.phone.show_line(phone_line(phone), ())
            self.correct.show_line(correct_line(status), ())
            self.phone_note.setText(phone.note)
            self.correct_note.setText(status.summary)
        self.next_button.setText(text("training.finish" if last else "training.next"))
        self.show()
