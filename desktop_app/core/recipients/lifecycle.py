"""A certificate's life cycle as the user sees it: about to expire, key changed, pins.

Pure rules beside the one rule: they never change a verdict, they explain it.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from desktop_app.core.messages import text
from desktop_app.core.notices import Notice
from desktop_app.core.recipients.status import (
    CertificateEvidence,
    Evidence,
    Lookup,
    MessageStatus,
    RecipientStatus,
)

EXPIRES_SOON = timedelta(days=30)
# The user's own certificate is warned about at start, then again as each of these is passed.
OWN_WARNING_DAYS = (30, 14, 3)


def expires_soon(certificate: CertificateEvidence | None, at: datetime) -> bool:
    """A usable certificate that stops being usable within ``EXPIRES_SOON``."""
    if certificate is None or not certificate.verdict.usable:
        return False
    return certificate.not_after - at <= EXPIRES_SOON


def expiry_notices(status: MessageStatus, at: datetime) -> tuple[Notice, ...]:
    """One per recipient (and list member) whose certificate in use expires within 30 days."""
    notices = []
    for recipient in status.recipients:
        for reader in (recipient, *recipient.members):
            chosen = reader.certificate
            if chosen is not None and expires_soon(chosen, at):
                message = text(
                    "lifecycle.expires_soon_notice",
                    address=reader.mailbox.address,
                    date=chosen.not_after.date(),
                )
                notices.append(Notice("expires_soon", message, reader.mailbox.key))
    return tuple(notices)


@dataclass(frozen=True, slots=True)
class KeyChange:
    """The key last encrypted to and the key chosen now, with where each came from.

    ``previous_fingerprint``/``previous_source`` are None when the old certificate is no
    longer among the candidates (only its key's hash is remembered)."""

    previous_spki: str
    previous_fingerprint: str | None
    previous_source: str | None
    fingerprint: str
    source: str


def key_change(status: RecipientStatus, evidence: Evidence) -> KeyChange | None:
    chosen = status.certificate
    previous = evidence.last_used_spki.get(status.mailbox.key)
    if chosen is None or previous is None or previous == chosen.spki:
        return None
    lookup = evidence.lookups.get(status.mailbox.key, Lookup())
    old = next((c for c in lookup.candidates if c.spki == previous), None)
    return KeyChange(
        previous,
        old.fingerprint if old else None,
        old.source if old else None,
        chosen.fingerprint,
        chosen.source,
    )


def stale_pins(pinned: Mapping[str, str], evidence: Evidence) -> tuple[str, ...]:
    """Addresses whose pinned certificate is no longer a usable candidate: their pin goes.

    Only addresses the evidence covers are judged; the others are left alone."""
    stale = []
    for key, fingerprint in pinned.items():
        lookup = evidence.lookups.get(key)
        if lookup is None:
            continue
        usable = any(c.fingerprint == fingerprint and c.verdict.usable for c in lookup.candidates)
        if not usable:
            stale.append(key)
    return tuple(stale)


def own_expiry_stage(not_after: datetime, at: datetime) -> int | None:
    """The warning stage the user's own certificate is in: 0 expired, else the smallest of
    ``OWN_WARNING_DAYS`` not yet passed; None while more than 30 days are left."""
    left = not_after - at
    if left <= timedelta(0):
        return 0
    stages = [days for days in OWN_WARNING_DAYS if left <= timedelta(days=days)]
    return min(stages) if stages else None


def own_expiry_notice(address: str, not_after: datetime, at: datetime) -> Notice | None:
    stage = own_expiry_stage(not_after, at)
    if stage is None:
        return None
    if stage == 0:
        message = text("lifecycle.own_expired", address=address, date=not_after.date())
    else:
        days = max(1, (not_after - at).days)
        message = text("lifecycle.own_expires", address=address, days=days, date=not_after.date())
    return Notice("own_certificate_expiring", message, address)
