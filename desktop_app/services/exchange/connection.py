"""Connecting to Exchange with exchangelib: fail fast, fixed server version, bounded pool."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from exchangelib import DELEGATE, UTC, Account, Configuration, Credentials, FailFast
from exchangelib.credentials import BaseCredentials
from exchangelib.errors import AutoDiscoverError
from exchangelib.protocol import Protocol
from exchangelib.transport import BASIC, NTLM, OAUTH2
from exchangelib.version import Build, Version

from desktop_app.core.messages import text
from desktop_app.services.exchange.account import (
    AccountConfig,
    AuthType,
    ExchangeSettings,
    check_oauth_url,
)
from desktop_app.services.exchange.failures import translate
from desktop_app.services.exchange.oauth_credentials import MsalTokenCredentials
from desktop_app.services.mail_server_errors import (
    CredentialsRejectedError,
    OAuthRejectedError,
    UnreachableError,
)
from desktop_app.services.oauth.client import AccountTokens

log = logging.getLogger(__name__)

_AUTH_TYPES: dict[AuthType, str] = {
    AuthType.NTLM: NTLM,
    AuthType.BASIC: BASIC,
    AuthType.OAUTH2: OAUTH2,
}
_T = TypeVar("_T")
# A password for NTLM and Basic; the account's tokens for OAuth 2.0.
Secret = str | AccountTokens


def _credentials(config: AccountConfig, secret: Secret) -> BaseCredentials:
    if isinstance(secret, AccountTokens):
        return MsalTokenCredentials(secret)
    return Credentials(config.login_name, secret)


def _version(build: tuple[int, int, int, int] | None) -> Version | None:
    if build is None:
        return None
    try:
        return Version(build=Build(*build))
    except ValueError:
        return None  # a build exchangelib has no API version for: ask the server


class ExchangeConnection:
    """An authenticated exchangelib Account, used from many threads at once.

    Every exchangelib call goes through ``call`` so that its failures become
    ExchangeErrors. The retry policy is FailFast: with FaultTolerance exchangelib takes
    HTTP 401 for throttling and retries for up to an hour (protocol.py,
    RetryPolicy.raise_response_errors), so a wrong password would hang the window.
    """

    def __init__(self, account: Account, config: AccountConfig, settings: ExchangeSettings) -> None:
        self.account = account
        self.config = config
        self.settings = settings

    @property
    def protocol(self) -> Protocol:
        return self.account.protocol

    @property
    def server(self) -> str:
        return self.config.server

    def call(self, action: Callable[[], _T]) -> _T:
        try:
            return self._call(action)
        except CredentialsRejectedError:
            credentials = self.account.protocol.credentials
            if not isinstance(credentials, MsalTokenCredentials):
                raise
            # A 401 to a token that has not run out: revoked, or issued before a change of
            # the user's rights. One new token from the authority, then one more try.
            log.info("exchange refused the oauth token; asking for a new one")
            credentials.force_refresh()
            self.account.protocol.close()
            try:
                return self._call(action)
            except CredentialsRejectedError:
                email = self.config.email
                message = text("exchange.oauth_rejected", server=self.server, email=email)
                raise OAuthRejectedError(message) from None

    def _call(self, action: Callable[[], _T]) -> _T:
        try:
            return action()
        except Exception as error:  # every failure of the library or the wire
            raise translate(error, self.server) from None

    def server_build(self) -> tuple[int, int, int, int]:
        """The server's build, asking the server once if it is not known yet.

        The question is exchangelib's version probe (a ConvertId request), which is also
        the cheapest way to prove the credentials.
        """
        version = self.call(lambda: self.protocol.version)
        build = version.build
        return (build.major_version, build.minor_version, build.major_build, build.minor_build)

    def close(self) -> None:
        """Close the pooled connections and forget the cached protocol."""
        protocol = self.protocol
        try:
            protocol.close()
            del Protocol[protocol.config]
        except (KeyError, AttributeError):
            pass  # already closed, or another connection of this process closed it


def _configuration(
    config: AccountConfig, secret: Secret, settings: ExchangeSettings
) -> Configuration:
    if config.auth is AuthType.OAUTH2:
        check_oauth_url(config.ews_url)
    return Configuration(
        credentials=_credentials(config, secret),
        service_endpoint=config.ews_url,
        auth_type=_AUTH_TYPES[config.auth],
        version=_version(config.server_build),
        retry_policy=FailFast(),
        max_connections=settings.workers,
    )


def _prepared(account: Account, settings: ExchangeSettings) -> Account:
    # exchangelib reads the timeout from the protocol object; set on the instance, it
    # leaves the library's class default alone for any other user in the process.
    account.protocol.TIMEOUT = settings.timeout
    # With FailFast, RETRY_WAIT only fills in a back-off the server did not give
    # (services/common.py, EWSService._get_elements): at 0, a back-off reported to the
    # user is always the server's own BackOffMilliseconds.
    account.protocol.RETRY_WAIT = 0
    return account


def connect(
    config: AccountConfig, secret: Secret, settings: ExchangeSettings
) -> ExchangeConnection:
    """A connection to ``config``'s server; nothing is sent until the first call.

    ``secret`` is the password, or for OAuth 2.0 the account's tokens (asking for the
    first one may already talk to the authority).

    Raises:
        BadServerUrlError: OAuth 2.0 with an EWS URL that is not https.
        NotSetUpError: OAuth 2.0 with no token in the cache that can still be refreshed.
    """
    configuration = _configuration(config, secret, settings)
    account = Account(
        primary_smtp_address=config.email,
        config=configuration,
        autodiscover=False,
        access_type=DELEGATE,
        default_timezone=UTC,
    )
    return ExchangeConnection(_prepared(account, settings), config, settings)


def discover(
    config: AccountConfig, password: str, settings: ExchangeSettings
) -> ExchangeConnection:
    """Like ``connect``, with the EWS URL found by autodiscover (needs HTTPS and DNS).

    For NTLM and Basic only: with OAuth 2.0 the account is on Exchange Online, whose EWS
    URL is fixed (``account.EXCHANGE_ONLINE_EWS``).
    """
    credentials = Credentials(config.login_name, password)
    configuration = Configuration(
        credentials=credentials,
        auth_type=_AUTH_TYPES[config.auth],
        retry_policy=FailFast(),
        max_connections=settings.workers,
    )
    try:
        account = Account(
            primary_smtp_address=config.email,
            credentials=credentials,
            config=configuration,
            autodiscover=True,
            access_type=DELEGATE,
            default_timezone=UTC,
        )
    except AutoDiscoverError:
        raise UnreachableError(text("exchange.autodiscover_failed", email=config.email)) from None
    except Exception as error:  # any failure of the library or the wire
        raise translate(error, config.email.rpartition("@")[2]) from None
    found = AccountConfig(
        email=config.email,
        ews_url=account.protocol.service_endpoint,
        auth=config.auth,
        username=config.username,
    )
    log.info("autodiscover found the EWS endpoint")
    return ExchangeConnection(_prepared(account, settings), found, settings)
