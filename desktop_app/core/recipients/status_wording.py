"""The status line's words for a verdict: "Encrypted" or "Not Encrypted", and why.

Pure: the compose window and the training window show what ``status_wording`` returns
(the view adds only the icon for the ``LineState``). It decides nothing: who is covered
and whose lookup is still running come from ``MessageStatus`` (the one rule), and whether
encryption is required from ``send_gate.encryption_required``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from desktop_app.core.messages import text
from desktop_app.core.notices import Notice

# The main window maps LineState to icons (ui/status_icons) before its first paint; the one
# rule's module imports the certificate code (cryptography), which start-up must not wait
# for, so it is imported where a verdict is worded.
if TYPE_CHECKING:
    from desktop_app.core.recipients.status import MessageStatus


class LineState(StrEnum):
    """The status line's look; also its ``state`` style property."""

    ENCRYPTED = "encrypted"
    BLOCKED = "blocked"  # Encrypt is on (or required) and the message cannot be encrypted
    OFF = "off"  # Encrypt is off: the message will go out unencrypted
    CHECKING = "checking"
    EMPTY = "empty"  # no recipients yet


@dataclass(frozen=True, slots=True)
class StatusWording:
    """What the status line says: its state, headline and summary, and the verdict's
    warnings to list under it (none while a lookup is still running)."""

    state: LineState
    headline: str
    summary: str
    notices: tuple[Notice, ...] = ()


def status_wording(
    status: MessageStatus, *, encrypt_on: bool, required: bool, invalid: int = 0
) -> StatusWording:
    """The status line for ``status``: "Encrypted" only when the one rule says so and
    Encrypt is on (or ``required``); "Checking" while ``status`` says a recipient's lookup
    is still running, even if the verdict so far is Encrypted, because what is still to
    come (a revocation answer, another key) may change it. ``invalid`` entries that are
    not addresses are counted first in the summary."""
    wording = _wording(status, encrypt_on=encrypt_on, required=required)
    if not invalid:
        return wording
    summary = text("status_line.invalid", count=invalid) + wording.summary
    return StatusWording(wording.state, wording.headline, summary, wording.notices)


def _wording(status: MessageStatus, *, encrypt_on: bool, required: bool) -> StatusWording:
    from desktop_app.core.recipients.status import Overall

    not_encrypted = text("status_line.not_encrypted")
    if not status.recipients:
        return StatusWording(LineState.EMPTY, not_encrypted, status.summary, status.notices)
    if status.checking:
        return StatusWording(LineState.CHECKING, not_encrypted, text("status_line.checking"))
    notices = status.notices
    wanted = encrypt_on or required
    if status.overall is Overall.ENCRYPTED and wanted:
        encrypted = text("status_line.encrypted")
        return StatusWording(LineState.ENCRYPTED, encrypted, status.summary, notices)
    if wanted:
        key = (
            "status_line.required_impossible"
            if required and not encrypt_on
            else "status_line.impossible"
        )
        summary = text(key, summary=status.summary)
        return StatusWording(LineState.BLOCKED, not_encrypted, summary, notices)
    if status.overall is Overall.ENCRYPTED:
        summary = text("status_line.off_possible", summary=status.summary)
    else:
        summary = text("status_line.off", summary=status.summary)
    return StatusWording(LineState.OFF, not_encrypted, summary, notices)
