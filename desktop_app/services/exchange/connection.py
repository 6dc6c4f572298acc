"""Connecting to Exchange with exchangelib: fail fast, fixed server version, bounded pool."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from exchangelib import DELEGATE, UTC, Account, Configuration, Credentials, FailFast
from exchangelib.errors import AutoDiscoverError
from exchangelib.protocol import Protocol
from exchangelib.transport import BASIC, NTLM
from exchangelib.version import Build, Version

from desktop_app.services.exchange.account import AccountConfig, AuthType, ExchangeSettings
from desktop_app.services.exchange.errors import (
    OAUTH_NOT_AVAILABLE,
    UnreachableError,
    UnsupportedAuthError,
)
from desktop_app.services.exchange.failures import translate

log = logging.getLogger(__name__)

AUTODISCOVER_FAILED = (
    "Autodiscover found no Exchange server for {email}. Give the EWS address with --server "
    "(for example https://mail.example.org/EWS/Exchange.asmx)."
)

_AUTH_TYPES: dict[AuthType, str] = {AuthType.NTLM: NTLM, AuthType.BASIC: BASIC}
_T = TypeVar("_T")


def _auth_type(auth: AuthType) -> str:
    try:
        return _AUTH_TYPES[auth]
    except KeyError:
        raise UnsupportedAuthError(OAUTH_NOT_AVAILABLE) from None


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
    config: AccountConfig, password: str, settings: ExchangeSettings
) -> Configuration:
    return Configuration(
        credentials=Credentials(config.login_name, password),
        service_endpoint=config.ews_url,
        auth_type=_auth_type(config.auth),
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


def connect(config: AccountConfig, password: str, settings: ExchangeSettings) -> ExchangeConnection:
    """A connection to ``config``'s server; nothing is sent until the first call.

    Raises:
        UnsupportedAuthError: OAuth 2.0 was chosen.
    """
    configuration = _configuration(config, password, settings)
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
    """Like ``connect``, with the EWS URL found by autodiscover (needs HTTPS and DNS)."""
    credentials = Credentials(config.login_name, password)
    configuration = Configuration(
        credentials=credentials,
        auth_type=_auth_type(config.auth),
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
        raise UnreachableError(AUTODISCOVER_FAILED.format(email=config.email)) from None
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
