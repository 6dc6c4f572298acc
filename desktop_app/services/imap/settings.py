"""What an IMAP/SMTP account is: its address, servers, user name and how it signs in.

Secrets are never here: the password (or token) comes from the keyring when connecting.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

DEFAULT_TIMEOUT_SECONDS = 30.0


class AuthMechanism(StrEnum):
    """How the account proves who it is to both servers (the SASL mechanism)."""

    PASSWORD = "password"
    XOAUTH2 = "xoauth2"


@dataclass(frozen=True, slots=True)
class MailServer:
    """A server's host and port. ``implicit_tls``: TLS from the first byte (993, 465);
    else STARTTLS, required unless ``allow_plaintext`` (a loopback server without TLS,
    for tests: never anything else)."""

    host: str
    port: int
    implicit_tls: bool = False
    allow_plaintext: bool = False

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True, slots=True)
class Credential:
    """What signs in: a password, or an OAuth bearer token (XOAUTH2). Never logged."""

    sign_in: AuthMechanism
    secret: str

    def __repr__(self) -> str:
        return f"Credential({self.sign_in.value}, <hidden>)"


@dataclass(frozen=True, slots=True)
class ImapAccount:
    """One IMAP/SMTP account; ``ca_file`` trusts a private CA (tests, in-house servers)."""

    email: str
    imap: MailServer
    smtp: MailServer
    username: str
    sign_in: AuthMechanism = AuthMechanism.PASSWORD
    ca_file: Path | None = None
    timeout: float = DEFAULT_TIMEOUT_SECONDS


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine by address: the only place clear text may go."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
