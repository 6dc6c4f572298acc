"""The first-run page in the message area: the steps a new user takes, each done or to do.

Each step has a button that starts it; the page is rebuilt from ``WelcomeSteps`` when
something changes (a certificate imported, an account connected).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.messages import text
from desktop_app.ui.theme import Theme


@dataclass(frozen=True, slots=True)
class WelcomeStep:
    """One step: its name (``identity``, ``account``, ``training``, ``demo``), whether it is
    done, and what starts it (None: nothing to start here)."""

    name: str
    done: bool
    start: Callable[[], object] | None


class WelcomePage(QScrollArea):
    """Scrolls when the window is small; each step is a row: mark, words, button."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePage")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._theme = theme
        self.step_labels: dict[str, QLabel] = {}
        self.step_buttons: dict[str, QPushButton] = {}
        self.step_states: dict[str, QLabel] = {}
        self._starts: dict[str, Callable[[], object] | None] = {}
        inner = QWidget()
        inner.setObjectName("welcomeInner")
        self._column = QVBoxLayout(inner)
        self._column.setContentsMargins(32, 28, 32, 28)
        self._column.setSpacing(14)
        title = QLabel(text("welcome.title"))
        title.setObjectName("welcomeTitle")
        intro = QLabel(text("welcome.intro"))
        intro.setWordWrap(True)
        self._column.addWidget(title)
        self._column.addWidget(intro)
        self._grid = QGridLayout()
        self._grid.setHorizontalSpacing(14)
        self._grid.setVerticalSpacing(12)
        self._grid.setColumnStretch(2, 1)
        self._column.addLayout(self._grid)
        self._column.addStretch(1)
        self.setWidget(inner)

    def set_steps(self, steps: tuple[WelcomeStep, ...]) -> None:
        for row, step in enumerate(steps):
            if step.name not in self.step_labels:
                self._add_row(row, step)
            state = text("welcome.done") if step.done else text("welcome.to_do")
            words = text(f"welcome.step_{step.name}")
            mark = self.step_states[step.name]
            mark.setPixmap(self._theme.pixmap("lock-closed" if step.done else "checking", 20))
            mark.setAccessibleName(state)
            label = self.step_labels[step.name]
            label.setText(f"<b>{state}</b> — {words}" if step.name != "demo" else words)
            label.setAccessibleName(text("welcome.step_accessible", step=words, state=state))
            button = self.step_buttons[step.name]
            button.setVisible(step.start is not None)
            self._starts[step.name] = step.start

    def _add_row(self, row: int, step: WelcomeStep) -> None:
        mark = QLabel()
        mark.setObjectName(f"welcomeMark_{step.name}")
        label = QLabel()
        label.setObjectName(f"welcomeStep_{step.name}")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        button = QPushButton(text(f"welcome.do_{step.name}"))
        button.setObjectName(f"welcomeDo_{step.name}")
        button.clicked.connect(lambda _=False, name=step.name: self.start(name))
        self._grid.addWidget(mark, row, 0, Qt.AlignmentFlag.AlignTop)
        self._grid.addWidget(button, row, 1, Qt.AlignmentFlag.AlignTop)
        self._grid.addWidget(label, row, 2)
        self.step_states[step.name] = mark
        self.step_labels[step.name] = label
        self.step_buttons[step.name] = button

    def start(self, name: str) -> None:
        start = self._starts.get(name)
        if start is not None:
            start()
