"""What an IMAP/SMTP account is: its address, servers, user name and how it signs in.

Secrets are never here: the password (or token) comes from the keyring when connecting.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text

IMAPS_PORT = 993
SMTPS_PORT = 465
DEFAULT_TIMEOUT_SECONDS = 30.0


class SettingsError(UserFacingError):
    """An account setting that cannot be used (a malformed HOST:PORT)."""


class SignIn(StrEnum):
    """How the account proves who it is, to both servers."""

    PASSWORD = "password"
    XOAUTH2 = "xoauth2"


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A server's host and port; ``implicit_tls``: TLS from the first byte (993, 465),
    else the client asks for STARTTLS."""

    host: str
    port: int
    implicit_tls: bool = False

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True, slots=True)
class Credential:
    """What signs in: a password, or an OAuth bearer token (XOAUTH2). Never logged."""

    sign_in: SignIn
    secret: str

    def __repr__(self) -> str:
        return f"Credential({self.sign_in.value}, <hidden>)"


@dataclass(frozen=True, slots=True)
class ImapAccount:
    """One IMAP/SMTP account; ``ca_file`` trusts a private CA (tests, in-house servers)."""

    email: str
    imap: Endpoint
    smtp: Endpoint
    username: str
    sign_in: SignIn = SignIn.PASSWORD
    ca_file: Path | None = None
    timeout: float = DEFAULT_TIMEOUT_SECONDS


def parse_endpoint(value: str) -> Endpoint:
    """``HOST:PORT`` (``[v6]:PORT`` for an IPv6 address) as an Endpoint.

    Raises:
        SettingsError: no port, a port out of range, or no host.
    """
    host, separator, port_text = value.strip().rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not separator or not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise SettingsError(text("imap.bad_host_port", value=value))
    port = int(port_text)
    return Endpoint(host, port, implicit_tls=port in (IMAPS_PORT, SMTPS_PORT))


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine by address: the only place clear text may go."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
