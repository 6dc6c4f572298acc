"""Sending patient details without encryption: when it is refused, and the reasons allowed.

HHS allows unencrypted e-mail to a patient who asked for it after being told the risk;
that, a false alarm and de-identified data are the reasons a sender may give. The reason
goes into the audit record with the kinds of detail found (never the details).
"""

from __future__ import annotations

from enum import StrEnum

from desktop_app.core.messages import text
from desktop_app.core.phi.findings import PhiFinding
from desktop_app.core.phi.message_scan import PhiReport
from desktop_app.core.policy.model import PhiMode, Policy


class OverrideReason(StrEnum):
    PATIENT_CONSENT = "patient_consent"
    NO_PHI = "no_phi"
    DE_IDENTIFIED = "de_identified"


def reason_words(reason: OverrideReason) -> str:
    return text(f"phi.reason.{reason.value}")


def strong(findings: tuple[PhiFinding, ...]) -> tuple[PhiFinding, ...]:
    """The findings that are details, not mere cues (a name after "Mrs.")."""
    return tuple(f for f in findings if not f.weak)


def findings_in_force(report: PhiReport, policy: Policy) -> PhiReport:
    """What the policy lets count: nothing at all under ``phi = "off"``."""
    return PhiReport() if policy.phi is PhiMode.OFF else report


def blocks_unencrypted(report: PhiReport, policy: Policy) -> bool:
    """True when policy ``phi = "block"`` and a detail (not a cue) was found."""
    return policy.phi is PhiMode.BLOCK and bool(strong(report.findings))


def needs_reason(findings: tuple[PhiFinding, ...]) -> bool:
    """Sending these unencrypted needs a reason from the list."""
    return bool(strong(findings))
