"""Strings about sending from the desktop: identity, outbox delivery and retries."""

from typing import Final

MESSAGES: Final[dict[str, str]] = {}
