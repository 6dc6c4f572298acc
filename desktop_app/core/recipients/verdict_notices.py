"""Warnings that come with a verdict for recipients who are covered: a key that changed
since the last message, and a revocation nobody could check (under the "prefer" policy).

``decide`` adds them to its ``MessageStatus``; they never change who is covered.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from desktop_app.core.messages import text
from desktop_app.core.notices import Notice
from desktop_app.core.policy.model import RevocationPolicy

if TYPE_CHECKING:
    from desktop_app.core.recipients.status import Evidence, RecipientStatus


def revocation_notices(
    statuses: Sequence[RecipientStatus], revocation: RevocationPolicy
) -> tuple[Notice, ...]:
    """Under "prefer", a warning for each covered reader whose revocation is unknown."""
    if revocation is not RevocationPolicy.PREFER:
        return ()
    notices = []
    for status in statuses:
        for reader in status.members or (status,):
            chosen = reader.certificate
            if reader.covered and chosen is not None and not chosen.revocation_known:
                message = text(
                    "notice.revocation_unknown",
                    address=reader.mailbox.address,
                    reason=chosen.revocation_reason,
                )
                notices.append(Notice("revocation_unknown", message, reader.mailbox.key))
    return tuple(notices)


def key_change_notices(
    statuses: Sequence[RecipientStatus], evidence: Evidence
) -> tuple[Notice, ...]:
    """A warning for each recipient whose chosen key is not the one their last message
    went to (``evidence.last_used_spki``)."""
    notices = []
    for status in statuses:
        previous = evidence.last_used_spki.get(status.mailbox.key)
        if (
            status.certificate is not None
            and previous is not None
            and previous != status.certificate.spki
        ):
            notices.append(
                Notice(
                    "key_changed",
                    text("notice.key_changed", address=status.mailbox.address),
                    status.mailbox.key,
                )
            )
    return tuple(notices)
