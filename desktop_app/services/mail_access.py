"""What reaching mail servers needs, as one object: the home, the clock, the OS keyring,
the Exchange connection settings and the OAuth 2.0 token caches."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.services.clock import utc_now

if TYPE_CHECKING:
    from desktop_app.services.exchange.account import ExchangeSettings
    from desktop_app.services.oauth.client import OAuthContext
    from desktop_app.services.secrets import SecretStore


class MailAccess:
    """The home, the clock, the OS keyring (opened only when asked), the Exchange connection
    settings and the process's OAuth 2.0 token caches (one per process, shared by the
    sign-in and every connection; msal loads only when they are first used).

    The defaults are the real ones; tests pass their own parts.
    """

    def __init__(
        self,
        home: Path,
        *,
        clock: Callable[[], datetime] = utc_now,
        secrets: Callable[[], SecretStore] | None = None,
        exchange_settings: ExchangeSettings | None = None,
        oauth: OAuthContext | None = None,
    ) -> None:
        self.home = home
        self.clock = clock
        self._open_secrets = secrets
        self._exchange_settings = exchange_settings
        self._oauth = oauth
        self._lock = threading.Lock()

    def secrets(self) -> SecretStore:
        """The OS keyring, opened now (a failure to open it raises here, not earlier)."""
        if self._open_secrets is not None:
            return self._open_secrets()
        from desktop_app.services.secrets import system_secret_store

        return system_secret_store()

    def exchange_settings(self, timeout: float | None = None) -> ExchangeSettings:
        """The Exchange settings, with a shorter ``timeout`` where one is given."""
        from desktop_app.services.exchange.account import ExchangeSettings

        settings = self._exchange_settings or ExchangeSettings()
        if timeout is not None and timeout < settings.timeout:
            return dataclasses.replace(settings, timeout=timeout)
        return settings

    def oauth(self) -> OAuthContext:
        """The process's OAuth context, made on first use."""
        with self._lock:
            if self._oauth is None:
                from desktop_app.services.oauth.client import OAuthContext

                self._oauth = OAuthContext()
            return self._oauth
