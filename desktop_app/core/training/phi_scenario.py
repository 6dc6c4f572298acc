"""What the PHI guard finds in a scenario's draft, as the compose screen would find it."""

from desktop_app.core.phi.detect import PhiRules
from desktop_app.core.phi.message_scan import AttachmentText, PhiReport, scan_message
from desktop_app.core.training.schema import Scenario


def scenario_phi(scenario: Scenario, subject: str, body: str) -> PhiReport:
    """Findings in ``subject``, ``body`` and the scenario's attachments."""
    files = [AttachmentText(name, content) for name, content in scenario.draft.attachments]
    rules = PhiRules.from_patterns(scenario.policy.mrn_patterns)
    return scan_message(subject, body, files, rules)
