"""One mail account: its kind, where its servers are, who signs in; never a secret.

Secrets live in the keyring (``services.secrets``) under ``secret_name``, OAuth tokens in
msal's encrypted token cache; the account file holds only what is safe to read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


class AccountError(UserFacingError):
    """An account that cannot be added, found or used as given."""


class AccountKind(StrEnum):
    """How the account reaches its mailbox and sends."""

    EXCHANGE = "exchange"  # EWS: on-premises Exchange, allow-listed tenants
    M365 = "m365"  # Microsoft Graph, plus SMTP XOAUTH2 for messages over Graph's limit
    IMAP = "imap"  # IMAP mailbox and SMTP submission


class SignIn(StrEnum):
    """What proves who the user is: a password in the keyring, or OAuth tokens."""

    PASSWORD = "password"
    OAUTH2 = "oauth2"


class Security(StrEnum):
    """How a TCP connection is protected: implicit TLS, STARTTLS, or (loopback only) none."""

    TLS = "tls"
    STARTTLS = "starttls"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A server's host and port, and how its connection is protected."""

    host: str
    port: int
    security: Security

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def is_loopback(self) -> bool:
        return self.host in LOOPBACK_HOSTS


def parse_endpoint(value: str, default_security: Security) -> Endpoint:
    """``HOST:PORT`` as an Endpoint; port 465 and 993 mean implicit TLS."""
    host, separator, port = value.strip().rpartition(":")
    host = host.strip("[]")
    if not separator or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise AccountError(text("accounts.bad_host_port", value=value))
    number = int(port)
    security = Security.TLS if number in (465, 993) else default_security
    return Endpoint(host, number, security)


def check_security(endpoint: Endpoint) -> Endpoint:
    """``endpoint`` unless it is plain text to anything but this computer."""
    if endpoint.security is Security.NONE and not endpoint.is_loopback:
        raise AccountError(text("accounts.plaintext_refused", host=endpoint.host))
    return endpoint


def check_account_name(name: str) -> str:
    if not _NAME.match(name):
        raise AccountError(text("accounts.bad_name", name=name))
    return name


@dataclass(frozen=True, slots=True)
class OAuthSettings:
    """Where OAuth 2.0 tokens come from: the authority (with its tenant) and the app."""

    authority: str
    client_id: str


@dataclass(frozen=True, slots=True)
class Account:
    """One configured account.

    ``graph_url`` is Microsoft Graph's root (``https://graph.microsoft.com/v1.0``; a test
    server's in tests); ``imap`` and ``smtp`` are the IMAP and SMTP submission servers
    (for m365, ``smtp`` is where messages over Graph's limit go). ``ca_file`` is a CA
    bundle to trust besides the system's (a test CA, a clinic's own CA).
    """

    name: str
    kind: AccountKind
    email: str
    sign_in: SignIn
    username: str | None = None
    oauth: OAuthSettings | None = None
    graph_url: str | None = None
    imap: Endpoint | None = None
    smtp: Endpoint | None = None
    ca_file: str | None = None

    @property
    def login_name(self) -> str:
        return self.username or self.email

    @property
    def secret_name(self) -> str:
        """The keyring entry of this account's password (password sign-in only)."""
        return f"account:{self.name}:{self.email.lower()}"

    @property
    def verify(self) -> bool | str:
        """What ``requests`` and ``ssl`` are told to trust."""
        return self.ca_file or True
