"""``--at``: the time a command judges certificates at, and the clock it reads otherwise."""

import datetime as dt

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.services.clock import utc_now


class TimeArgumentError(UserFacingError):
    """``--at`` is not an ISO 8601 time."""


def parse_time(value: str | None) -> dt.datetime:
    """``--at`` as an aware UTC time; no value means now. A time without offset is UTC."""
    if value is None:
        return utc_now()
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise TimeArgumentError(text("cli.bad_time", value=value)) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)
