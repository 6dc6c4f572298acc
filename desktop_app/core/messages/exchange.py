"""Strings of the Exchange account, directory, mailbox and outbox."""

from typing import Final

MESSAGES: Final[dict[str, str]] = {}
