"""Strings of the Exchange account set-up and sign-in (passwords, OAuth2)."""

from typing import Final

MESSAGES: Final[dict[str, str]] = {}
