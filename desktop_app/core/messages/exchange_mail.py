"""Strings of the Exchange directory, inbox and outbox."""

from typing import Final

MESSAGES: Final[dict[str, str]] = {}
