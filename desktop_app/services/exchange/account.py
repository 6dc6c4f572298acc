"""The Exchange account: where the server is and who signs in; secrets never stored here."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from pathlib import Path

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import MESSAGES, text
from desktop_app.services.json_files import read_json, write_json
from desktop_app.services.mail_server_errors import NotSetUpError
from desktop_app.services.oauth.config import (
    EWS_SCOPE,
    BadAuthorityError,
    OAuthConfig,
    check_authority,
)
from desktop_app.services.paths import exchange_folder

# The template load_exchange_account formats.
NOT_SET_UP = MESSAGES["exchange.not_set_up"]
ACCOUNT_FILE_NAME = "account.json"
ACCOUNT_FORMAT = 1
SECRET_NAME = "exchange:{email}"

# Exchange Online's one EWS endpoint: with OAuth 2.0, "autodiscover" means this.
EXCHANGE_ONLINE_EWS = "https://outlook.office365.com/EWS/Exchange.asmx"


class AccountFileError(UserFacingError):
    """The account file exists but cannot be used."""


class BadServerUrlError(UserFacingError):
    """--server is not an http(s) URL, or not https where a token would travel."""


class AuthType(StrEnum):
    """How the user signs in; the secret is a password for NTLM and Basic, tokens for OAuth2."""

    NTLM = "ntlm"
    BASIC = "basic"
    OAUTH2 = "oauth2"


@dataclass(frozen=True, slots=True)
class AccountConfig:
    """One Exchange account.

    ``server_build`` is the server's build number (major, minor, build, revision) as
    learnt at sign-in; with it known, later connections send no version probe, and the
    parallel directory lookups never race to discover it.

    ``oauth`` is set for ``AuthType.OAUTH2`` only: where tokens come from. The tokens
    themselves are in the encrypted token cache, never here.
    """

    email: str
    ews_url: str
    auth: AuthType = AuthType.NTLM
    username: str | None = None
    server_build: tuple[int, int, int, int] | None = None
    oauth: OAuthConfig | None = None

    @property
    def login_name(self) -> str:
        return self.username or self.email

    @property
    def secret_name(self) -> str:
        return SECRET_NAME.format(email=self.email.lower())

    @property
    def server(self) -> str:
        """The host (and port) of the EWS URL, as messages name it."""
        return self.ews_url.split("://", 1)[-1].split("/", 1)[0]

    def with_build(self, build: tuple[int, int, int, int] | None) -> AccountConfig:
        return dataclasses.replace(self, server_build=build)


@dataclass(frozen=True, slots=True)
class ExchangeSettings:
    """How the adapter behaves towards the server.

    Attributes:
        timeout: seconds an interactive request may take before it counts as failed
            (exchangelib's default is 120, far too long for a compose window).
        workers: parallel requests, and so connections, for directory lookups. Exchange
            on-premises allows 27 concurrent EWS connections per user by default.
        member_cap: list members expanded at most (nested lists included); a bigger
            list is never shown as encrypted.
        cache_ttl: how long directory answers are used without asking again.
        send_timeout: seconds sending a message may wait for the server's answer. Longer
            than ``timeout``: a large message takes Exchange a while to take in, and a send
            that timed out after the server accepted it would be sent again.
        oauth_client_id: the application (client) ID an administrator registered for
            OAuth 2.0 sign-in, used when none is given; None: it must be entered.
    """

    timeout: float = 20.0
    workers: int = 16
    member_cap: int = 500
    cache_ttl: timedelta = timedelta(hours=8)
    oauth_client_id: str | None = None
    send_timeout: float = 120.0


def check_url(url: str) -> str:
    """``url`` if it is an http or https URL with a host, else BadServerUrlError."""
    scheme, separator, rest = url.partition("://")
    if not separator or scheme.lower() not in ("http", "https") or not rest.split("/")[0]:
        raise BadServerUrlError(text("exchange.bad_url", url=url))
    return url


def check_oauth_url(url: str) -> str:
    """``url`` if it is an https URL: a bearer token must not travel in clear text."""
    check_url(url)
    if not url.lower().startswith("https://"):
        raise BadServerUrlError(text("exchange.oauth_needs_https", url=url))
    return url


def account_path(home: Path) -> Path:
    return exchange_folder(home) / ACCOUNT_FILE_NAME


def account_configured(home: Path) -> bool:
    """True when an Exchange account is set up in ``home`` (whether or not it works)."""
    return account_path(home).is_file()


def save_exchange_account(home: Path, config: AccountConfig) -> None:
    document: dict[str, object] = {
        "format": ACCOUNT_FORMAT,
        "email": config.email,
        "ews_url": config.ews_url,
        "auth": config.auth.value,
        "username": config.username,
        "server_build": list(config.server_build) if config.server_build else None,
    }
    if config.oauth is not None:
        document["oauth"] = {
            "authority": config.oauth.authority,
            "client_id": config.oauth.client_id,
            "scopes": list(config.oauth.scopes),
        }
    write_json(account_path(home), document)


def _oauth(value: object, auth: AuthType) -> OAuthConfig | None:
    if auth is not AuthType.OAUTH2:
        return None
    if not isinstance(value, dict):
        raise ValueError("oauth")
    scopes = value.get("scopes", [EWS_SCOPE])
    client_id = value.get("client_id")
    if not isinstance(scopes, list) or not all(isinstance(scope, str) for scope in scopes):
        raise ValueError("scopes")
    if not isinstance(client_id, str) or not client_id:
        raise ValueError("client_id")
    return OAuthConfig(check_authority(str(value.get("authority"))), client_id, tuple(scopes))


def _build(value: object) -> tuple[int, int, int, int] | None:
    if value is None:
        return None
    if isinstance(value, list) and len(value) == 4 and all(isinstance(n, int) for n in value):
        return (value[0], value[1], value[2], value[3])
    raise ValueError("server_build")


def load_exchange_account(home: Path) -> AccountConfig:
    """The account of ``home``; NotSetUpError when there is none."""
    path = account_path(home)
    document = read_json(path)
    if document is None:
        raise NotSetUpError(NOT_SET_UP.format(home=home))
    try:
        if not isinstance(document, dict) or document.get("format") != ACCOUNT_FORMAT:
            raise ValueError("format")
        username = document.get("username")
        if username is not None and not isinstance(username, str):
            raise ValueError("username")
        auth = AuthType(document["auth"])
        return AccountConfig(
            email=str(document["email"]),
            ews_url=check_url(str(document["ews_url"])),
            auth=auth,
            username=username,
            server_build=_build(document.get("server_build")),
            oauth=_oauth(document.get("oauth"), auth),
        )
    except (KeyError, ValueError, BadServerUrlError, BadAuthorityError):
        raise AccountFileError(text("exchange.account_file_invalid", path=path)) from None
