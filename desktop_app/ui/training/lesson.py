"""The lesson shown before the scenarios: the locks, where certificates come from, and why
the whole message must be readable by everyone."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.messages import text
from desktop_app.ui.status_icons import TOKEN_ICONS, TokenState
from desktop_app.ui.theme import Theme

# (icon or None, heading key, paragraph key); the locks are the tokens' own icons.
_SECTIONS = (
    (TOKEN_ICONS[TokenState.COVERED], "training.lesson_blue_title", "training.lesson_blue"),
    (TOKEN_ICONS[TokenState.NOT_COVERED], "training.lesson_red_title", "training.lesson_red"),
    ("signed", "training.lesson_sources_title", "training.lesson_sources"),
    ("mail", "training.lesson_whole_title", "training.lesson_whole"),
    ("warning", "training.lesson_decisions_title", "training.lesson_decisions"),
)


def _label(key: str, name: str, *, wrap: bool = True) -> QLabel:
    label = QLabel(text(key))
    label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class LessonPage(QWidget):
    """Signals: ``started()`` when the trainee presses Start."""

    started = Signal()

    def __init__(
        self, theme: Theme, problems: tuple[str, ...], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("lessonPage")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget()
        body.setObjectName("previewPane")  # the reading pane's white page and type
        scroll.setWidget(body)
        column = QVBoxLayout(body)
        column.setContentsMargins(32, 24, 32, 24)
        column.setSpacing(14)
        column.addWidget(_label("training.lesson_title", "previewSubject"))
        column.addWidget(_label("training.lesson_intro", "previewMeta"))
        for icon, heading, paragraph in _SECTIONS:
            row = QFrame()
            row.setObjectName("securityBanner")
            line = QHBoxLayout(row)
            line.setContentsMargins(14, 12, 14, 12)
            line.setSpacing(14)
            picture = QLabel()
            picture.setPixmap(theme.pixmap(icon, 28))
            picture.setFixedSize(30, 30)
            line.addWidget(picture, 0, Qt.AlignmentFlag.AlignTop)
            words = QVBoxLayout()
            words.setSpacing(4)
            title = _label(heading, "lessonHeading")
            font = title.font()
            font.setBold(True)
            title.setFont(font)
            words.addWidget(title)
            words.addWidget(_label(paragraph, "lessonText"))
            line.addLayout(words, 1)
            column.addWidget(row)
        if problems:
            note = QLabel(
                text("training.problems", count=len(problems)) + "\n" + "\n".join(problems)
            )
            note.setObjectName("policyWarning")
            note.setWordWrap(True)
            column.addWidget(note)
        start_row = QHBoxLayout()
        start_row.addWidget(QLabel(text("training.name_label")))
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("traineeName")
        self.name_edit.setPlaceholderText(text("training.name_placeholder"))
        self.name_edit.setMinimumWidth(320)
        start_row.addWidget(self.name_edit)
        start_row.addStretch(1)
        self.start_button = QPushButton(text("training.start"))
        self.start_button.setObjectName("startButton")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.started.emit)
        start_row.addWidget(self.start_button)
        column.addLayout(start_row)
        column.addStretch(1)
