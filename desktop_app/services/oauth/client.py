"""OAuth 2.0 sign-in with Microsoft Entra ID through msal: device code, browser, silent refresh.

Tokens live in msal's token cache only, kept by msal-extensions' encrypted persistence
(DPAPI, Keychain, libsecret) or, where there is none, in memory for this process. No
token, refresh token or device code is ever logged, put in an error message or shown
by a ``repr``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.core.messages import text
from desktop_app.services.mail_server_errors import (
    NotSetUpError,
    OAuthCancelledError,
    OAuthError,
    UnreachableError,
)
from desktop_app.services.oauth.config import OAuthConfig
from desktop_app.services.oauth.quiet_loggers import quiet_secret_loggers
from desktop_app.services.paths import exchange_folder
from desktop_app.services.secrets import EncryptedPersistence, encrypted_persistence

if TYPE_CHECKING:
    import msal  # type: ignore[import-untyped]

log = logging.getLogger(__name__)

TOKEN_CACHE_FILE_NAME = "oauth-token-cache.bin"
# A token is handed to exchangelib as expiring this much early, so that a request never
# starts with a token that runs out on the way.
EXPIRY_MARGIN = 60.0
# How long a browser sign-in may take before it counts as abandoned.
BROWSER_TIMEOUT = 180
_DECLINED = frozenset({"authorization_declined", "access_denied"})
_EXPIRED = frozenset({"expired_token", "code_expired"})


@dataclass(frozen=True, slots=True)
class BearerToken:
    """An access token and when it runs out (``time.time()`` seconds)."""

    value: str = field(repr=False)
    expires_at: float

    def for_oauthlib(self) -> dict[str, Any]:
        """The token as exchangelib's OAuth2 session wants it, set to expire a bit early.

        The margin is at most half the time left: a token that looked expired at once
        would make exchangelib ask for a new one without end.
        """
        left = max(self.expires_at - time.time(), 0.0)
        return {
            "access_token": self.value,
            "token_type": "Bearer",
            "expires_at": self.expires_at - min(EXPIRY_MARGIN, left / 2),
        }


@dataclass(frozen=True, slots=True)
class DeviceCode:
    """What the user is shown for a device-code sign-in: where to go and what to type."""

    user_code: str
    verification_uri: str
    expires_at: float


class DeviceFlow:
    """A started device-code sign-in; ``cancel`` stops the wait for it within a second.

    The flow itself (with its device code) stays private: it is a secret of the sign-in.
    """

    def __init__(self, flow: dict[str, Any]) -> None:
        self._flow = flow
        self._cancelled = threading.Event()
        self.code = DeviceCode(
            str(flow["user_code"]), str(flow["verification_uri"]), float(flow["expires_at"])
        )

    def __repr__(self) -> str:
        return f"DeviceFlow(code={self.code!r})"

    def cancel(self) -> None:
        self._cancelled.set()

    def secret_flow(self) -> dict[str, Any]:
        """msal's flow, device code included: for msal only, never to be shown or logged."""
        return self._flow

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def finished(self, _flow: object = None) -> bool:
        """msal's exit condition: cancelled, or past the code's expiry."""
        return self.cancelled or time.time() > self.code.expires_at


@dataclass(frozen=True)
class TokenCache:
    """msal's token cache for one home, and where it is kept.

    ``kept_in`` names the encrypted store, or is None when the cache lives in memory
    only; ``notice`` tells the user which, in a sentence.
    """

    cache: msal.SerializableTokenCache = field(repr=False)
    kept_in: str | None
    notice: str


PersistenceFactory = Callable[[Path], EncryptedPersistence]


class OAuthContext:
    """What the OAuth sign-ins of one process share: a token cache per home, and TLS.

    Build one in ``desktop_app.app`` and hand it to both the sign-in and the connections: where
    no encrypted store exists, the token cache is in memory and lives as long as this.

    Args:
        persistence: finds the encrypted store for a cache file (tests pass a fake).
        verify: passed to requests for the authority: True, or a CA bundle's path.
    """

    def __init__(
        self,
        *,
        persistence: PersistenceFactory = encrypted_persistence,
        verify: bool | str = True,
    ) -> None:
        self._persistence = persistence
        self.verify = verify
        self._caches: dict[Path, TokenCache] = {}
        self._clients: dict[tuple[Path, OAuthConfig, float], OAuthClient] = {}
        self._lock = threading.Lock()

    def token_cache(self, home: Path) -> TokenCache:
        with self._lock:
            cache = self._caches.get(home)
            if cache is None:
                cache = self._caches[home] = self._open_cache(home)
            return cache

    def _open_cache(self, home: Path) -> TokenCache:
        import msal
        from msal_extensions import PersistedTokenCache  # type: ignore[import-untyped]

        location = exchange_folder(home) / TOKEN_CACHE_FILE_NAME
        location.parent.mkdir(parents=True, exist_ok=True)
        found = self._persistence(location)
        if found.persistence is None:
            reason = found.reason or ""
            log.info("oauth token cache in memory only")
            notice = text("exchange.token_cache_session_only", reason=reason)
            return TokenCache(msal.SerializableTokenCache(), None, notice)
        where = found.where or type(found.persistence).__name__
        cache = PersistedTokenCache(found.persistence)
        return TokenCache(cache, where, text("exchange.token_cache_kept", where=where))

    def clear(self, home: Path) -> None:
        """Remove every token and account from ``home``'s cache (no authority is asked)."""
        import msal

        cache = self.token_cache(home).cache
        kinds = msal.TokenCache.CredentialType
        for kind in (
            kinds.ACCESS_TOKEN,
            kinds.REFRESH_TOKEN,
            kinds.ID_TOKEN,
            kinds.ACCOUNT,
            kinds.APP_METADATA,
        ):
            for entry in list(cache.search(kind)):
                cache.modify(kind, entry)  # no new values: the entry is removed
        log.info("oauth token cache cleared")

    def client(self, home: Path, oauth: OAuthConfig, timeout: float) -> OAuthClient:
        """The client for ``oauth`` over ``home``'s cache, one per process: the authority's
        configuration is read once, so a connection with a valid cached token needs no
        sign-in service at all."""
        key = (home, oauth, timeout)
        cache = self.token_cache(home)
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                client = OAuthClient(oauth, cache, verify=self.verify, timeout=timeout)
                self._clients[key] = client
            return client


def _first_line(description: object) -> str:
    # Entra ID appends trace and correlation IDs on further lines; they help nobody here.
    line = str(description or "").strip().splitlines()
    return line[0][:300] if line else ""


def _failure(result: dict[str, Any]) -> OAuthError:
    code = str(result.get("error") or "unknown_error")
    if code in _DECLINED:
        return OAuthError(text("exchange.oauth_declined"))
    if code in _EXPIRED:
        return OAuthError(text("exchange.oauth_expired"))
    log.info("oauth sign-in refused: %s", code)
    reason = _first_line(result.get("error_description")) or code
    return OAuthError(text("exchange.oauth_failed", reason=reason))


class OAuthClient:
    """msal's public client app for one authority and client ID, over one token cache.

    Every method talks to the authority and may block for up to ``timeout`` seconds a
    request; run them off the GUI thread.
    """

    def __init__(
        self, oauth: OAuthConfig, cache: TokenCache, *, verify: bool | str, timeout: float
    ) -> None:
        self.oauth = oauth
        self.cache = cache
        self._verify = verify
        self._timeout = timeout
        self._app: msal.PublicClientApplication | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"OAuthClient({self.oauth.authority!r}, kept_in={self.cache.kept_in!r})"

    def _unreachable(self) -> UnreachableError:
        host = self.oauth.authority_host
        return UnreachableError(text("exchange.oauth_authority_unreachable", authority=host))

    def _call(self, action: Callable[[], Any]) -> Any:
        """``action`` with the failures of the wire as ExchangeErrors."""
        import requests

        try:
            return action()
        except requests.RequestException as error:
            log.info("oauth authority unreachable: %s", type(error).__name__)
            raise self._unreachable() from None

    def app(self) -> msal.PublicClientApplication:
        """The msal app; building it reads the authority's OpenID configuration."""
        with self._lock:
            if self._app is None:
                self._app = self._call(self._build)
            return self._app

    def _build(self) -> msal.PublicClientApplication:
        import msal

        quiet_secret_loggers()
        try:
            return msal.PublicClientApplication(
                self.oauth.client_id,
                authority=self.oauth.authority,
                token_cache=self.cache.cache,
                # No look-up of the authority's aliases at login.microsoftonline.com:
                # the authority given is the one used, and tokens are cached under it.
                instance_discovery=False,
                verify=self._verify,
                timeout=self._timeout,
            )
        except ValueError:
            host = self.oauth.authority_host
            raise OAuthError(text("exchange.oauth_authority_unknown", authority=host)) from None

    def start_device_flow(self) -> DeviceFlow:
        """Ask the authority for a code the user enters in any browser."""
        app = self.app()
        scopes = list(self.oauth.scopes)
        try:
            flow = self._call(lambda: app.initiate_device_flow(scopes=scopes))
        except ValueError:  # the authority has no device authorization endpoint
            host = self.oauth.authority_host
            raise OAuthError(text("exchange.oauth_no_device_code", authority=host)) from None
        if "user_code" not in flow:
            raise _failure(flow)
        log.info("oauth device code issued")
        return DeviceFlow(flow)

    def finish_device_flow(self, flow: DeviceFlow) -> str:
        """Wait until the user has signed in with ``flow``'s code; the name signed in.

        Raises:
            OAuthCancelledError: ``flow.cancel()`` was called.
            OAuthError: declined, expired, or refused by the authority.
        """
        app = self.app()
        result = self._call(
            lambda: app.acquire_token_by_device_flow(
                flow.secret_flow(),
                exit_condition=flow.finished,
            )
        )
        if flow.cancelled:
            self._forget_result(result)
            raise OAuthCancelledError(text("exchange.oauth_cancelled"))
        return self._signed_in(result)

    def sign_in_with_browser(self, login_hint: str) -> str:
        """Sign in in a browser window of this computer; the name signed in."""
        app = self.app()
        try:
            result = self._call(
                lambda: app.acquire_token_interactive(
                    list(self.oauth.scopes),
                    login_hint=login_hint,
                    prompt="select_account",
                    timeout=BROWSER_TIMEOUT,
                )
            )
        except (RuntimeError, ValueError) as error:  # msal: time-out, state or nonce wrong
            log.info("oauth browser sign-in failed: %s", type(error).__name__)
            raise OAuthError(text("exchange.oauth_browser_unfinished")) from None
        return self._signed_in(result)

    def _signed_in(self, result: dict[str, Any]) -> str:
        if "access_token" not in result:
            raise _failure(result)
        claims = result.get("id_token_claims") or {}
        username = str(claims.get("preferred_username") or claims.get("upn") or "")
        log.info("oauth sign-in succeeded")
        return username

    def _forget_result(self, result: dict[str, Any]) -> None:
        claims = result.get("id_token_claims") or {}
        username = claims.get("preferred_username")
        if "access_token" in result and username:
            self.forget(str(username))

    def _account(self, username: str) -> dict[str, Any] | None:
        accounts = self.app().get_accounts(username=username)
        return accounts[0] if accounts else None

    def token(self, username: str, *, force_refresh: bool = False) -> BearerToken:
        """A valid access token for ``username`` from the cache, refreshed when due.

        Raises:
            NotSetUpError: no sign-in of ``username`` in the cache, or it can no longer be
                refreshed (revoked, expired refresh token).
        """
        account = self._account(username)
        if account is None:
            raise NotSetUpError(text("exchange.oauth_not_signed_in", email=username))
        app = self.app()
        scopes = list(self.oauth.scopes)
        result = self._call(
            lambda: app.acquire_token_silent_with_error(
                scopes, account, force_refresh=force_refresh
            )
        )
        if not result or "access_token" not in result:
            code = (result or {}).get("error", "no token")
            log.info("oauth silent sign-in failed: %s", code)
            raise NotSetUpError(text("exchange.oauth_not_signed_in", email=username))
        expires_in = float(result.get("expires_in", 0))
        return BearerToken(str(result["access_token"]), time.time() + expires_in)

    def forget(self, username: str) -> None:
        """Remove ``username``'s tokens from the cache."""
        for account in self.app().get_accounts(username=username):
            self.app().remove_account(account)
        log.info("oauth tokens removed from the cache")


class AccountTokens:
    """The tokens of one signed-in account, as the Exchange connection asks for them."""

    def __init__(self, client: OAuthClient, username: str) -> None:
        self.client = client
        self.username = username

    def __repr__(self) -> str:
        return f"AccountTokens({self.client!r})"

    @property
    def client_id(self) -> str:
        return self.client.oauth.client_id

    def current(self, *, force_refresh: bool = False) -> BearerToken:
        return self.client.token(self.username, force_refresh=force_refresh)
