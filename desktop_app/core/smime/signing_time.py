"""What a signer's own signingTime claim may be used for, and when it looks wrong.

The claim never decides whether a signature is valid (RFC 5652: it is the signer's word),
but it orders what a signer advertises: capabilities from a signature dated in the future,
or older than those already stored, must not replace them (RFC 8551 2.5.2). A claim far
from the message's Date: header is shown to the reader, as other clients do.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Final

# Clocks of ordinary computers disagree by seconds to a few minutes.
CLOCK_SKEW: Final = timedelta(minutes=5)
# How far a signature's time may be from the message's Date: before the reader is told.
DATE_TOLERANCE: Final = timedelta(hours=1)


def signed_in_future(signing_time: datetime | None, now: datetime) -> bool:
    """True when the claimed signing time lies beyond ``now`` plus the clock skew."""
    return signing_time is not None and signing_time > now + CLOCK_SKEW


def shown_signing_time(signing_time: datetime) -> str:
    """The claimed time as warnings show it: to the minute, in UTC (the signer's zone is
    unknown to the reader)."""
    return f"{signing_time.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def message_date(value: str | None) -> datetime | None:
    """The Date: header as an aware time, or None when absent or unreadable."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:
        return None  # "-0000" (unknown zone): nothing reliable to compare with
    return parsed


def hours_from_date(signing_time: datetime | None, date: datetime | None) -> int | None:
    """Whole hours between the signing time and the Date: header when they are further
    apart than DATE_TOLERANCE, else None."""
    if signing_time is None or date is None:
        return None
    distance = abs(signing_time - date)
    if distance <= DATE_TOLERANCE:
        return None
    return max(1, round(distance / timedelta(hours=1)))
