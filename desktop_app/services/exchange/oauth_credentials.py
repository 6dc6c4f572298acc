"""exchangelib credentials that take their bearer token from msal's cache and refresh it there."""

from __future__ import annotations

from typing import Any

from exchangelib import OAuth2AuthorizationCodeCredentials

from desktop_app.services.oauth.client import AccountTokens
from desktop_app.services.oauth.quiet_loggers import quiet_secret_loggers


class MsalTokenCredentials(OAuth2AuthorizationCodeCredentials):  # type: ignore[misc]
    """Bearer credentials for exchangelib, refreshed silently from msal's token cache.

    exchangelib (5.6) raises oauthlib's TokenExpiredError before sending once the token's
    ``expires_at`` has passed, then calls ``refresh`` under the credentials' lock and
    retries with a new session (protocol.py, Protocol.refresh_credentials). With no
    client secret it never asks the token endpoint itself.
    """

    def __init__(self, tokens: AccountTokens) -> None:
        quiet_secret_loggers()
        super().__init__(client_id=tokens.client_id, access_token=tokens.current().for_oauthlib())
        self._tokens = tokens

    def refresh(self, session: Any) -> None:
        # msal hands back the cached token while it is good for five more minutes, and
        # otherwise redeems the refresh token; exchangelib's copy expires a minute early.
        self.access_token = self._tokens.current().for_oauthlib()

    def force_refresh(self) -> None:
        """A new token from the authority even if the cached one looks good (after a 401)."""
        with self.lock:
            self.access_token = self._tokens.current(force_refresh=True).for_oauthlib()
