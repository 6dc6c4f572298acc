"""The life cycle part of a recipient's certificate details: which of several certificates
is used and why, pinning another, and accepting a new key.

The buttons only ask (signals); the window saves the choice off the GUI thread and looks
the address up again, and the one rule decides the token's status from that lookup.
"""

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.messages import text
from desktop_app.core.recipients.lifecycle import KeyChange, key_change
from desktop_app.core.recipients.status import (
    CertificateEvidence,
    Evidence,
    Lookup,
    RecipientStatus,
)

SourceWords = Callable[[str], str]  # a source label ("directory", "ldap:corp") in words


@dataclass(frozen=True, slots=True)
class CertificateChoices:
    """What the dialog offers for one recipient, read from the evidence the rule used."""

    address: str
    candidates: tuple[CertificateEvidence, ...]
    chosen: str | None
    pinned: str | None
    change: KeyChange | None

    @property
    def usable(self) -> tuple[CertificateEvidence, ...]:
        return tuple(c for c in self.candidates if c.verdict.usable and not c.revoked)

    @property
    def offered(self) -> bool:
        """Anything to show: several certificates, a pin, or a new key."""
        return len(self.candidates) > 1 or self.pinned is not None or self.change is not None


def choices_for(status: RecipientStatus, evidence: Evidence) -> CertificateChoices:
    key = status.mailbox.key
    lookup = evidence.lookups.get(key, Lookup())
    chosen = status.certificate.fingerprint if status.certificate is not None else None
    # Newest first: the order in which the rule prefers them.
    candidates = tuple(sorted(lookup.candidates, key=lambda c: c.not_after, reverse=True))
    return CertificateChoices(
        status.mailbox.address,
        candidates,
        chosen,
        evidence.pinned.get(key),
        key_change(status, evidence),
    )


def short_fingerprint(fingerprint: str) -> str:
    """The first eight bytes, grouped: enough to tell certificates apart at a glance."""
    pairs = [fingerprint[i : i + 2].upper() for i in range(0, min(len(fingerprint), 16), 2)]
    return ":".join(pairs) + "…"


def _two_lines(first: str, second: str) -> str:
    return f"{first}\n{second}"


def _plain(words: str, name: str) -> QLabel:
    """Short lines that never wrap (a wrapped label in a dialog may be cut short)."""
    label = QLabel(words)
    label.setObjectName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _wrapped(words: str, name: str = "") -> QLabel:
    label = QLabel(words)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


class CertificateChoicesBox(QFrame):
    """Lists an address's certificates and offers pin, unpin and accept.

    Signals:
        pinRequested(str): use the certificate with this fingerprint.
        unpinRequested(): let the newest valid certificate be used again.
        acceptRequested(str): accept this fingerprint as the address's new key.
    """

    pinRequested = Signal(str)
    unpinRequested = Signal()
    acceptRequested = Signal(str)

    def __init__(
        self,
        choices: CertificateChoices,
        source_words: SourceWords,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("certificateChoices")
        self.buttons: list[QPushButton] = []
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 4, 0, 0)
        column.setSpacing(8)
        if choices.change is not None:
            column.addWidget(self._key_change(choices, source_words))
        if len(choices.candidates) > 1 or choices.pinned is not None:
            column.addWidget(self._candidates(choices, source_words))
        self.failure = _wrapped("", "choicesFailure")
        self.failure.hide()
        column.addWidget(self.failure)

    def _button(self, words: str, name: str, accessible: str) -> QPushButton:
        button = QPushButton(words)
        button.setObjectName(name)
        button.setAccessibleName(accessible)
        button.setAutoDefault(False)
        self.buttons.append(button)
        return button

    def _key_change(self, choices: CertificateChoices, source_words: SourceWords) -> QWidget:
        change = choices.change
        assert change is not None
        box = QFrame()
        box.setObjectName("keyChange")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        column = QVBoxLayout(box)
        column.setContentsMargins(12, 10, 12, 10)
        column.setSpacing(4)
        heading = _wrapped(text("choices.key_heading"), "keyChangeHeading")
        column.addWidget(heading)
        column.addWidget(_wrapped(text("choices.key_explained", address=choices.address)))
        form = QFormLayout()
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(4)
        if change.previous_fingerprint is not None and change.previous_source is not None:
            before = text(
                "choices.key_side",
                fingerprint=short_fingerprint(change.previous_fingerprint),
                source=source_words(change.previous_source),
            )
        else:
            before = text("choices.key_before_gone")
        form.addRow(text("choices.key_before"), _plain(before, "keyBefore"))
        now = text(
            "choices.key_side",
            fingerprint=short_fingerprint(change.fingerprint),
            source=source_words(change.source),
        )
        form.addRow(text("choices.key_now"), _plain(now, "keyNow"))
        column.addLayout(form)
        accept = self._button(
            text("choices.accept"),
            "acceptKey",
            text("choices.accept_name", address=choices.address),
        )
        accept.clicked.connect(lambda: self.acceptRequested.emit(change.fingerprint))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(accept)
        column.addLayout(row)
        return box

    def _candidates(self, choices: CertificateChoices, source_words: SourceWords) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addWidget(_wrapped(text("choices.heading"), "choicesHeading"))
        pinned_in_use = choices.pinned is not None and choices.pinned == choices.chosen
        why = "choices.used_pinned" if pinned_in_use else "choices.used_newest"
        if choices.chosen is not None:
            column.addWidget(_wrapped(text(why), "choicesWhy"))
        usable = {c.fingerprint for c in choices.usable}
        for candidate in choices.candidates:
            shown = short_fingerprint(candidate.fingerprint)
            row = QHBoxLayout()
            row.setSpacing(12)
            about = QVBoxLayout()
            about.setSpacing(0)
            first = text("choices.row", fingerprint=shown, date=f"{candidate.not_after:%Y-%m-%d}")
            label = _plain(_two_lines(first, source_words(candidate.source)), "candidate")
            label.setProperty("fingerprint", candidate.fingerprint)
            about.addWidget(label)
            if candidate.fingerprint not in usable:
                problems = candidate.verdict.problems or (text("details.none"),)
                about.addWidget(
                    _wrapped(text("choices.not_usable", reason=problems[0]), "notUsable")
                )
            row.addLayout(about, 1)
            if candidate.fingerprint == choices.chosen:
                row.addWidget(_plain(text("choices.in_use"), "inUse"))
            elif candidate.fingerprint in usable:
                use = self._button(
                    text("choices.use"),
                    "useCertificate",
                    text("choices.use_name", fingerprint=shown, address=choices.address),
                )
                use.setProperty("fingerprint", candidate.fingerprint)
                use.clicked.connect(
                    lambda _=False, chosen=candidate.fingerprint: self.pinRequested.emit(chosen)
                )
                row.addWidget(use, 0, Qt.AlignmentFlag.AlignVCenter)
            column.addLayout(row)
        if choices.pinned is not None:
            unpin = self._button(
                text("choices.unpin"),
                "unpinCertificate",
                text("choices.unpin_name", address=choices.address),
            )
            unpin.clicked.connect(self.unpinRequested.emit)
            row_layout = QHBoxLayout()
            row_layout.addStretch(1)
            row_layout.addWidget(unpin)
            column.addLayout(row_layout)
        return box

    def show_failure(self, reason: str) -> None:
        self.failure.setText(text("choices.failed", reason=reason))
        self.failure.setAccessibleName(self.failure.text())
        self.failure.show()
        for button in self.buttons:
            button.setEnabled(True)

    def set_busy(self) -> None:
        for button in self.buttons:
            button.setEnabled(False)


# Past this the choices scroll, so the dialog fits a 1280x720 screen with many certificates.
MOST_HEIGHT = 300


def scrolled(box: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setObjectName("certificateChoicesArea")
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(box)
    area.setMinimumHeight(min(box.sizeHint().height(), MOST_HEIGHT))
    return area
