"""The wall clock, in one place: every part that needs "now" is given this (tests give
their own)."""

import datetime as dt


def utc_now() -> dt.datetime:
    """Now, as an aware UTC time."""
    return dt.datetime.now(dt.UTC)
