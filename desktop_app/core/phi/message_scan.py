"""Scanning a whole message: Subject, body and the text of its attachments, within bounds.

Reading the attachments' text is I/O and lives in services; this module takes the text
they gave (or the fact that they gave none) and never calls anything unread "clean".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from desktop_app.core.phi.detect import PhiRules, find_phi
from desktop_app.core.phi.findings import BODY, SUBJECT, PhiFinding, attachment_where

# Characters scanned per message, body and attachments together: at about 25 MB/s for the
# detectors this bounds a scan well under a second. What lies beyond is "not checked".
MAX_MESSAGE_CHARS: Final = 8_000_000
UNCHECKED_BODY: Final = "(body)"


@dataclass(frozen=True, slots=True)
class AttachmentText:
    """The text read from one attachment.

    ``text`` None: it could not be read (unknown type, damaged, encrypted PDF, too large);
    ``complete`` False: only part was read within the bounds. Either way the attachment
    is reported as not checked.
    """

    name: str
    text: str | None
    complete: bool = True


@dataclass(frozen=True, slots=True)
class PhiReport:
    """What the scan found, and the attachments it could not check (by name)."""

    findings: tuple[PhiFinding, ...] = ()
    unchecked: tuple[str, ...] = ()

    @property
    def subject(self) -> tuple[PhiFinding, ...]:
        return tuple(f for f in self.findings if f.where == SUBJECT)

    @property
    def content(self) -> tuple[PhiFinding, ...]:
        """Findings in the body and attachments (what encryption protects)."""
        return tuple(f for f in self.findings if f.where != SUBJECT)

    @property
    def clean(self) -> bool:
        """True only when nothing was found and everything was checked."""
        return not self.findings and not self.unchecked


def scan_subject(subject: str, rules: PhiRules) -> tuple[PhiFinding, ...]:
    """The Subject's findings, name cues included: cheap enough to run on every keystroke."""
    return tuple(find_phi(subject[:4096], SUBJECT, rules, name_cues=True))


def scan_message(
    subject: str,
    body: str,
    attachments: Sequence[AttachmentText],
    rules: PhiRules,
    *,
    max_chars: int = MAX_MESSAGE_CHARS,
) -> PhiReport:
    """Every finding in the message, and the attachments that were not (fully) checked."""
    findings = list(scan_subject(subject, rules))
    unchecked: list[str] = []
    budget = max_chars
    if len(body) > budget:
        unchecked.append(UNCHECKED_BODY)
    findings += find_phi(body[:budget], BODY, rules)
    budget -= min(len(body), budget)
    for attachment in attachments:
        if attachment.text is None:
            unchecked.append(attachment.name)
            continue
        if not attachment.complete or len(attachment.text) > budget:
            unchecked.append(attachment.name)
        findings += find_phi(attachment.text[:budget], attachment_where(attachment.name), rules)
        budget -= min(len(attachment.text), budget)
    return PhiReport(tuple(findings), tuple(unchecked))
