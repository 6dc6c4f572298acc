"""The life-cycle keys of ``check --json`` (added to each recipient; a contract: add only)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from desktop_app.core.messages import text
from desktop_app.core.recipients.lifecycle import expires_soon, key_change
from desktop_app.core.recipients.status import Evidence, MessageStatus

SOURCE_NAMES = {"imported": "store", "directory": "exchange", "harvested": "harvested"}


def source_name(value: str) -> str:
    """A certificate's source as the JSON contract spells it."""
    return SOURCE_NAMES.get(value, value)


def add_lifecycle(
    document: dict[str, Any], status: MessageStatus, evidence: Evidence, at: datetime
) -> dict[str, Any]:
    """``expires_soon``, ``pinned`` and ``key_changed`` for each recipient of ``document``."""
    for row, recipient in zip(document["recipients"], status.recipients, strict=True):
        certificate = recipient.certificate
        if row.get("certificate_source"):
            row["certificate_source"] = source_name(row["certificate_source"])
        row["expires_soon"] = expires_soon(certificate, at)
        row["certificate_not_after"] = certificate.not_after.isoformat() if certificate else None
        row["pinned"] = certificate is not None and (
            evidence.pinned.get(recipient.mailbox.key) == certificate.fingerprint
        )
        change = key_change(recipient, evidence)
        row["key_changed"] = (
            None
            if change is None
            else {
                "previous_certificate": change.previous_fingerprint,
                "previous_source": (
                    source_name(change.previous_source) if change.previous_source else None
                ),
                "previous_key": change.previous_spki,
                "certificate": change.fingerprint,
                "source": source_name(change.source),
            }
        )
    return document


def lifecycle_lines(status: MessageStatus, at: datetime) -> list[str]:
    """Lines under the ``check`` table for certificates about to expire."""
    return [
        f"  ! expires_soon: {r.mailbox.address} "
        + text("lifecycle.expires_soon", date=r.certificate.not_after.date())
        for r in status.recipients
        if r.certificate is not None and expires_soon(r.certificate, at)
    ]
