"""Warnings for the send gate from MailTips and the directory: who would not get it, who is
outside the organisation, and how many people a message reaches."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from desktop_app.core.messages import text
from desktop_app.core.notices import Notice
from desktop_app.core.recipients.normalise import AddressKeyError, address_key

LARGE_AUDIENCE_SIZE = 25  # Exchange's own default for the large-audience MailTip


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
