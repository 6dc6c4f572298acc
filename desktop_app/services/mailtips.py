"""Warnings for the send gate from MailTips and the directory: who would not get it, who is
outside the organisation, and how many people a message reaches."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.core.notices import Notice
from desktop_app.core.recipients.addresses import Mailbox, MailboxKind
from desktop_app.core.recipients.normalise import AddressKeyError, address_key
from desktop_app.core.recipients.status import Draft

log = logging.getLogger(__name__)

LARGE_AUDIENCE_SIZE = 25  # Exchange's own default for the large-audience MailTip
TIPS_TTL = timedelta(minutes=10)  # MailTips change with list membership: not for long
_NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class MailTip:
    """What the server says about sending to one recipient."""

    address: str
    invalid: bool
    total_members: int | None
    external_members: int | None


def external_recipient(address: str) -> str:
    """The warning that ``address`` is outside the organisation."""
    return text("exchange_mail.external_recipient", address=address)


def _key(address: str) -> str | None:
    try:
        return address_key(address)
    except AddressKeyError:
        return None


def send_warnings(
    tips: Sequence[MailTip],
    *,
    large_audience: int = LARGE_AUDIENCE_SIZE,
) -> tuple[Notice, ...]:
    """Notices for ``tips`` (from GetMailTips) of one draft's recipients."""
    notices: list[Notice] = []
    for tip in tips:
        key = _key(tip.address)
        if tip.invalid:
            message = text("exchange_mail.invalid_recipient", address=tip.address)
            notices.append(Notice("invalid_recipient", message, key))
        if tip.external_members:
            message = text(
                "exchange_mail.external_members", address=tip.address, count=tip.external_members
            )
            notices.append(Notice("external_members", message, key))
        if tip.total_members is not None and tip.total_members >= large_audience:
            message = text(
                "exchange_mail.large_audience", address=tip.address, count=tip.total_members
            )
            notices.append(Notice("large_audience", message, key))
    return tuple(notices)


def tip_recipients(draft: Draft) -> dict[str, Mailbox]:
    """The draft's recipients MailTips can be asked about (not X.500 addresses), by key."""
    return {m.key: m for m in draft.recipients if m.kind is not MailboxKind.EXCHANGE_LEGACY_DN}


class MailTipMemory:
    """MailTips asked once per address and kept for ``TIPS_TTL``; a failed ask is kept
    only until ``retry_after``, so a draft re-checked on each edit does not ask again."""

    def __init__(self, clock: Callable[[], datetime], retry_after: timedelta) -> None:
        self._clock = clock
        self._retry_after = retry_after
        self._tips: dict[str, tuple[datetime, MailTip | None]] = {}

    def known(
        self,
        mailboxes: dict[str, Mailbox],
        ask: Callable[[list[str]], tuple[MailTip | None, ...]],
    ) -> list[MailTip]:
        """The tips of ``mailboxes``, asking ``ask`` (addresses in, a tip or None for
        each out) about those not known or expired; advisory, so a failure gives none."""
        now = self._clock()
        missing = [
            m
            for key, m in mailboxes.items()
            if now - self._tips.get(key, (_NEVER, None))[0] > TIPS_TTL
        ]
        if missing:
            try:
                tips = ask([m.address for m in missing])
            except UserFacingError as error:
                log.info("no MailTips: %s", type(error).__name__)
                tips = (None,) * len(missing)
            when = now if any(tips) else now - TIPS_TTL + self._retry_after
            for mailbox, tip in zip(missing, tips, strict=True):
                self._tips[mailbox.key] = (when, tip)
        return [tip for key in mailboxes if (tip := self._tips.get(key, (now, None))[1])]
