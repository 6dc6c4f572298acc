"""The PHI check of an outgoing message: read its attachments' text, then scan in core."""

from collections.abc import Sequence
from pathlib import Path

from desktop_app.core.phi.detect import PhiRules
from desktop_app.core.phi.message_scan import PhiReport, scan_message
from desktop_app.core.policy.model import PhiMode, Policy
from desktop_app.services.attachment_text import file_text


def phi_rules(policy: Policy) -> PhiRules:
    return PhiRules.from_patterns(policy.mrn_patterns)


def scan_outgoing(
    subject: str, body: str, attachments: Sequence[Path], policy: Policy
) -> PhiReport:
    """Findings in the Subject, body and attachments (none when policy says ``phi = off``).

    Reads each attachment (bounded; see attachment_text): call it off the GUI thread.
    """
    if policy.phi is PhiMode.OFF:
        return PhiReport()
    texts = [file_text(path) for path in attachments]
    return scan_message(subject, body, texts, phi_rules(policy))
