"""What the application reaches outside itself, for ``app.py``: the OS keyring, the Exchange
connection settings and the OAuth 2.0 token caches. Tests give their own."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop_app.services.exchange.account import ExchangeSettings
    from desktop_app.services.oauth.client import OAuthContext
    from desktop_app.services.secrets import SecretStore


class SystemAccess:
    """What the application reaches outside itself: the OS keyring, the Exchange connection
    settings and the OAuth 2.0 token caches (one per process, shared by the sign-in and
    every connection). The defaults are the real ones; tests pass their own."""

    def __init__(
        self,
        open_secrets: Callable[[], SecretStore] | None = None,
        exchange_settings: ExchangeSettings | None = None,
        oauth: OAuthContext | None = None,
    ) -> None:
        self._open_secrets = open_secrets
        self._exchange_settings = exchange_settings
        self._oauth = oauth
        self._lock = threading.Lock()

    def secrets(self) -> SecretStore:
        if self._open_secrets is not None:
            return self._open_secrets()
        from desktop_app.services.secrets import system_secret_store

        return system_secret_store()

    def settings(self, timeout: float | None = None) -> ExchangeSettings:
        """The Exchange settings, with a shorter ``timeout`` where one is given."""
        from desktop_app.services.exchange.account import ExchangeSettings

        settings = self._exchange_settings or ExchangeSettings()
        if timeout is not None and timeout < settings.timeout:
            return dataclasses.replace(settings, timeout=timeout)
        return settings

    def oauth(self) -> OAuthContext:
        """The process's OAuth context, made on first use (msal loads only then)."""
        with self._lock:
            if self._oauth is None:
                from desktop_app.services.oauth.client import OAuthContext

                self._oauth = OAuthContext()
            return self._oauth
