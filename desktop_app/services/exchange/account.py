"""The Exchange account: where the server is and who signs in; the secret stays in the keyring."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from pathlib import Path

from desktop_app.core.errors import UserFacingError
from desktop_app.services.exchange.errors import NOT_SET_UP, NotSetUpError
from desktop_app.services.exchange.storage import exchange_folder, read_json, write_json

ACCOUNT_FILE_NAME = "account.json"
ACCOUNT_FORMAT = 1
SECRET_NAME = "exchange:{email}"

ACCOUNT_FILE_INVALID = "{path} is not an account file this version can read; sign in again."
BAD_URL = (
    "“{url}” is not an EWS URL: give the full http:// or https:// address, for example "
    "https://mail.example.org/EWS/Exchange.asmx."
)


class AccountFileError(UserFacingError):
    """The account file exists but cannot be used."""


class BadServerUrlError(UserFacingError):
    """--server is not an http(s) URL."""


class AuthType(StrEnum):
    """How the user signs in; the secret is a password for NTLM and Basic."""

    NTLM = "ntlm"
    BASIC = "basic"
    OAUTH2 = "oauth2"


@dataclass(frozen=True, slots=True)
class AccountConfig:
    """One Exchange account.

    ``server_build`` is the server's build number (major, minor, build, revision) as
    learnt at sign-in; with it known, later connections send no version probe, and the
    parallel directory lookups never race to discover it.
    """

    email: str
    ews_url: str
    auth: AuthType = AuthType.NTLM
    username: str | None = None
    server_build: tuple[int, int, int, int] | None = None

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
    """

    timeout: float = 20.0
    workers: int = 16
    member_cap: int = 500
    cache_ttl: timedelta = timedelta(hours=8)


def check_url(url: str) -> str:
    """``url`` if it is an http or https URL with a host, else BadServerUrlError."""
    scheme, separator, rest = url.partition("://")
    if not separator or scheme.lower() not in ("http", "https") or not rest.split("/")[0]:
        raise BadServerUrlError(BAD_URL.format(url=url))
    return url


def account_path(home: Path) -> Path:
    return exchange_folder(home) / ACCOUNT_FILE_NAME


def save_account(home: Path, config: AccountConfig) -> None:
    document = {
        "format": ACCOUNT_FORMAT,
        "email": config.email,
        "ews_url": config.ews_url,
        "auth": config.auth.value,
        "username": config.username,
        "server_build": list(config.server_build) if config.server_build else None,
    }
    write_json(account_path(home), document)


def _build(value: object) -> tuple[int, int, int, int] | None:
    if value is None:
        return None
    if isinstance(value, list) and len(value) == 4 and all(isinstance(n, int) for n in value):
        return (value[0], value[1], value[2], value[3])
    raise ValueError("server_build")


def load_account(home: Path) -> AccountConfig:
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
        return AccountConfig(
            email=str(document["email"]),
            ews_url=check_url(str(document["ews_url"])),
            auth=AuthType(document["auth"]),
            username=username,
            server_build=_build(document.get("server_build")),
        )
    except (KeyError, ValueError, BadServerUrlError):
        raise AccountFileError(ACCOUNT_FILE_INVALID.format(path=path)) from None
