"""The PHI guard in the compose window: the note under the Subject, and the scan at Send.

The Subject is tiny, so it is scanned on every keystroke (microseconds). The body and
attachments are scanned when Send is pressed: a short body without attachments at once,
anything with attachments (files to read, PDFs to extract) through the background helper.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Final

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QWidget

from desktop_app.core.messages import text
from desktop_app.core.phi.describe import subject_summary
from desktop_app.core.phi.message_scan import PhiReport, scan_message, scan_subject
from desktop_app.core.policy.model import PhiMode, Policy
from desktop_app.services.phi_scan import phi_rules, scan_outgoing
from desktop_app.ui.background import BackgroundRunner

# A body up to this many characters is scanned on the GUI thread (about 7 ms for 100 KB).
SYNC_BODY_CHARS: Final = 200_000
_SHOWN: Final = 3


class SubjectNote(QLabel):
    """What the Subject seems to give away, under the Subject field; hidden when nothing
    is found, when the policy turns the guard off, or when headers are protected."""

    def __init__(self, policy: Policy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("subjectPhiNote")
        self.setWordWrap(True)
        self._policy = policy
        self._rules = phi_rules(policy)
        self.hide()

    def update_for(self, subject: str) -> None:
        policy = self._policy
        findings = () if policy.phi is PhiMode.OFF else scan_subject(subject, self._rules)
        if not findings or policy.protect_headers:
            self.hide()
            return
        self.setText(text("compose.subject_finding", finding=subject_summary(findings[:_SHOWN])))
        self.show()


def scan_before_send(
    runner: BackgroundRunner,
    policy: Policy,
    message: tuple[str, str, tuple[Path, ...]],
    done: Callable[[PhiReport], None],
    failed: Callable[[BaseException], None],
    owner: QObject,
) -> None:
    """Scan (subject, body, attachment paths) and call ``done`` with what was found:
    at once for a short body alone, else from the background helper."""
    subject, body, paths = message
    if policy.phi is PhiMode.OFF:
        done(PhiReport())
    elif not paths and len(body) <= SYNC_BODY_CHARS:
        done(scan_message(subject, body, [], phi_rules(policy)))
    else:
        runner.run(
            lambda: scan_outgoing(subject, body, paths, policy),
            done,
            channel=f"phi-{id(owner)}",
            failure=failed,
            owner=owner,
        )
