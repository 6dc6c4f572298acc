"""The line under the compose bar: lock icon, "Encrypted" or "Not Encrypted", and why."""

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop_app.core.messages import text
from desktop_app.core.notices import Notice
from desktop_app.ui.compose.presentation import StatusLine
from desktop_app.ui.status_icons import line_words
from desktop_app.ui.theme import Theme

# Each recipient's warnings stay in its token's tooltip; the line shows a few of each kind,
# so that 200 recipients whose revocation is unknown do not fill (and stall) the window.
_SHOWN_PER_KIND = 3


def _brief(notices: list[Notice]) -> list[str]:
    """The messages to show: at most ``_SHOWN_PER_KIND`` of each code, then a count."""
    counts = Counter(notice.code for notice in notices)
    seen: Counter[str] = Counter()
    shown = []
    for notice in notices:
        seen[notice.code] += 1
        if seen[notice.code] <= _SHOWN_PER_KIND:
            shown.append(notice.message)
        elif seen[notice.code] == _SHOWN_PER_KIND + 1:
            more = counts[notice.code] - _SHOWN_PER_KIND
            shown.append(text("status_line.more_notices", count=more))
    return shown


class StatusLineWidget(QFrame):
    """Shows a ``StatusLine`` and the verdict's warnings; its ``state`` property styles it."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusLine")
        self._theme = theme
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 10, 16, 10)
        row.setSpacing(12)
        self.icon = QLabel()
        self.icon.setObjectName("statusIcon")
        self.icon.setFixedSize(28, 28)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        column.setSpacing(2)
        self.headline = QLabel()
        self.headline.setObjectName("statusHeadline")
        self.summary = QLabel()
        self.summary.setObjectName("statusSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.headline)
        column.addWidget(self.summary)
        self.notices = QLabel()
        self.notices.setObjectName("statusNotices")
        self.notices.setWordWrap(True)
        self.notices.hide()
        column.addSpacing(4)
        column.addWidget(self.notices)
        row.addLayout(column, 1)

    def show_line(self, line: StatusLine, notices: tuple[Notice, ...]) -> None:
        self.icon.setPixmap(self._theme.pixmap(line.icon, 28))
        self.headline.setText(line.headline)
        self.summary.setText(line.summary)
        self.setAccessibleName(f"{line.headline}. {line.summary}")
        self.summary.setAccessibleName(f"{line.headline}. {line.summary}")
        self.icon.setAccessibleName(line_words(line.state))
        if self.property("state") != line.state.value:
            self.setProperty("state", line.state.value)
            for widget in (self, self.headline, self.summary):
                widget.style().unpolish(widget)
                widget.style().polish(widget)
        shown = _brief([notice for notice in notices if notice.code != "no_recipients"])
        self.notices.setText("\n".join(f"⚠ {message}" for message in shown))
        self.notices.setVisible(bool(shown))
