"""Certificate details of one recipient: who it names, who issued it, why it is usable or not."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.messages import text
from desktop_app.core.recipients.status import RecipientStatus
from desktop_app.services.certificates.facts import CertificateFacts
from desktop_app.ui.compose.certificate_choices import (
    CertificateChoices,
    CertificateChoicesBox,
    scrolled,
)
from desktop_app.ui.compose.presentation import (
    code_words,
    full_label,
    mailbox_label,
    plain_reason,
)
from desktop_app.ui.status_icons import TOKEN_ICONS, judged_state
from desktop_app.ui.theme import Theme

_SOURCES = {
    "imported": "details.source_imported",
    "directory": "details.source_directory",
    "harvested": "details.source_harvested",
}


def _source_words(source: str) -> str:
    """ "ldap:corp" and "bundle:practice" name the directory; the store's sources as before."""
    kind, _, name = source.partition(":")
    if name and kind in ("ldap", "bundle"):
        return text(f"details.source_{kind}", name=name)
    return text(_SOURCES.get(source, "details.source_other"))


def grouped_fingerprint(fingerprint: str) -> str:
    """``ab12cd...`` as ``AB:12:CD:...`` in two lines, as certificate viewers show it."""
    pairs = [fingerprint[i : i + 2].upper() for i in range(0, len(fingerprint), 2)]
    half = (len(pairs) + 1) // 2
    return ":".join(pairs[:half]) + "\n" + ":".join(pairs[half:])


def _value(value: str) -> QLabel:
    label = QLabel(value)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class CertificateDialog(QDialog):
    """Details of the certificate chosen for a recipient, or why there is none; with
    ``choices``, the address's other certificates and a new key, to pin or accept
    (``choices_box`` signals what the user asked for)."""

    def __init__(
        self,
        status: RecipientStatus,
        facts: CertificateFacts | None,
        theme: Theme,
        parent: QWidget | None = None,
        choices: CertificateChoices | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("certificateDialog")
        self.setWindowTitle(text("details.title", name=mailbox_label(status.mailbox)))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 20, 22, 16)
        layout.setSpacing(12)
        heading = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(theme.pixmap(TOKEN_ICONS[judged_state(status.covered)], 32))
        words = text("details.usable") if status.covered else code_words(status.code)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        title = QLabel(text("details.heading", recipient=full_label(status.mailbox)))
        title.setObjectName("detailsTitle")
        title.setWordWrap(True)
        verdict = QLabel(words)
        verdict.setObjectName("detailsVerdict")
        verdict.setProperty("covered", "yes" if status.covered else "no")
        titles.addWidget(title)
        titles.addWidget(verdict)
        heading.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        heading.addLayout(titles, 1)
        layout.addLayout(heading)
        # Plain words first; the technical reason (key usage, extensions) only here.
        reasons = list(dict.fromkeys([plain_reason(status), status.reason]))
        if status.certificate is not None:
            reasons += [p for p in status.certificate.verdict.problems if p not in reasons]
        why = QLabel("\n".join(reasons))
        why.setObjectName("detailsWhy")
        why.setWordWrap(True)
        layout.addWidget(why)
        if facts is not None and status.certificate is not None:
            form = QFormLayout()
            form.setHorizontalSpacing(16)
            form.setVerticalSpacing(6)
            source = _source_words(status.certificate.source)
            rows = (
                ("details.subject", facts.subject_text or facts.subject),
                ("details.addresses", ", ".join(facts.addresses) or text("details.none")),
                ("details.issuer", facts.issuer),
                ("details.valid_from", f"{facts.not_before:%Y-%m-%d %H:%M} UTC"),
                ("details.valid_until", f"{facts.not_after:%Y-%m-%d %H:%M} UTC"),
                ("details.key", facts.key),
                ("details.serial", facts.serial),
                ("details.fingerprint", grouped_fingerprint(facts.fingerprint)),
                ("details.source", source),
            )
            for label, value in rows:
                shown = _value(value)
                if label == "details.fingerprint":
                    shown.setObjectName("fingerprint")
                form.addRow(text(label), shown)
            layout.addLayout(form)
        self.choices_box: CertificateChoicesBox | None = None
        if choices is not None and choices.offered:
            self.choices_box = CertificateChoicesBox(choices, _source_words, self)
            layout.addWidget(scrolled(self.choices_box))
            self.setMinimumWidth(580)  # fingerprints and sources on one line each
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.setMinimumWidth(max(480, self.minimumWidth()))
