"""What each account kind provides, and the one place where kinds are registered.

A kind is an object with ``add``, ``test``, ``forget``, ``open_transport`` and
``open_mailbox``. ``kind_support`` maps each ``AccountKind`` to it, importing the kind's
module only when it is used (Graph, IMAP and EWS each cost start-up time).

A new kind: ``add`` proves the connection with ``request.password`` (keep it with
``services.access.secrets().set(account.secret_name, ...)`` only once the server accepted
it) or an OAuth sign-in; ``open_transport`` returns a ``transport.port.Transport`` (SMTP
submission is ``services.smtp.submission.SmtpTransport``; a kind that files the Sent
copy itself reports ``SentCopy.APPENDED``); ``open_mailbox`` returns a
``mailbox_port.MailboxSource`` (``save_draft`` calls ``require_sealed_draft`` first).
Everything else (outbox, retry, the commands, the window) is shared.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from desktop_app.core.messages import text
from desktop_app.services.accounts.model import Account, AccountError, AccountKind

if TYPE_CHECKING:
    from desktop_app.services.mailbox_port import MailboxSource
    from desktop_app.services.oauth.client import DeviceFlow, OAuthContext
    from desktop_app.services.secrets import SecretStore
    from desktop_app.services.transport.port import Transport


class KindAccess(Protocol):
    """The part of ``services.mail_access.MailAccess`` a kind uses. Kinds name this, not
    MailAccess (which knows Exchange's settings), so that graph and imap never reach into
    the Exchange package, not even for a type."""

    @property
    def home(self) -> Path: ...

    @property
    def clock(self) -> Callable[[], datetime]: ...

    def secrets(self) -> SecretStore:
        """The OS keyring, opened now."""
        ...

    def oauth(self) -> OAuthContext:
        """The process's OAuth token caches."""
        ...


@dataclass
class AccountServices:
    """What every kind is given: ``access`` (a ``MailAccess``: the home, the keyring, OAuth
    token caches, the clock), and how long a request may take.

    ``say`` shows the user a line while a command runs (the device code to enter);
    ``sleep`` waits out a server's Retry-After (tests pass one that only counts);
    ``device_flow_started`` receives a device-code sign-in instead of ``say``.
    """

    access: KindAccess
    timeout: float = 20.0
    send_timeout: float = 120.0
    say: Callable[[str], None] = print
    sleep: Callable[[float], None] = time.sleep
    # A window shows the code itself and may cancel the wait (called off the GUI thread).
    device_flow_started: Callable[[DeviceFlow], None] | None = None


@dataclass(frozen=True)
class SignInRequest:
    """How the user proves who they are when an account is added."""

    password: str | None = field(default=None, repr=False)
    browser: bool = False  # OAuth: a browser window here instead of a device code


class KindSupport(Protocol):
    """One account kind. Every method blocks and talks to servers."""

    def add(self, account: Account, request: SignInRequest, services: AccountServices) -> str:
        """Prove the connection once, then keep the secrets (keyring, token cache).

        Returns a sentence on what was proved and where secrets are kept. Nothing is
        stored if the server did not accept the sign-in; the caller saves the account.
        """
        ...

    def test(self, account: Account, services: AccountServices) -> None:
        """Sign in with what is stored and ask the server something; raise if that fails."""
        ...

    def forget(self, account: Account, services: AccountServices) -> None:
        """Remove the account's secrets (password, tokens)."""
        ...

    def open_transport(self, account: Account, services: AccountServices) -> Transport: ...

    def open_mailbox(self, account: Account, services: AccountServices) -> MailboxSource: ...


def kind_support(kind: AccountKind) -> KindSupport:
    """The one registration point of account kinds."""
    if kind is AccountKind.M365:
        from desktop_app.services.graph.kind import M365Kind

        return M365Kind()
    if kind is AccountKind.EXCHANGE:
        from desktop_app.services.exchange.kind import ExchangeKind

        return ExchangeKind()
    if kind is AccountKind.IMAP:
        from desktop_app.services.imap.kind import ImapKind

        return ImapKind()
    raise AccountError(text("accounts.kind_unavailable", kind=kind.value))
