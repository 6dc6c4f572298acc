"""An SMTP submission server on 127.0.0.1 (aiosmtpd): STARTTLS or implicit TLS, AUTH
PLAIN and XOAUTH2, every accepted message kept, and faults on demand.

Generic: any account kind's tests use it. Passwords and tokens are checked against what
the test gives (``passwords``, or a ``tokens`` callable saying whether a bearer token is
valid, e.g. the OAuth test authority's ``valid_access``).
"""

from __future__ import annotations

import base64
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

HOST = "127.0.0.1"
AUTH_DISABLED_REPLY = (
    "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the "
    "Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information."
)


@dataclass(frozen=True)
class Delivered:
    """One accepted message: the envelope and the bytes as received."""

    mail_from: str
    recipients: tuple[str, ...]
    data: bytes
    login: str


@dataclass
class SmtpState:
    """What the server accepts and has taken; change it between sends.

    ``faults`` are SMTP replies given, one per message, to the next DATA commands (for
    instance ``"451 4.3.0 Try again later"``); ``auth_disabled`` answers every AUTH as
    Exchange Online does for a mailbox with SMTP AUTH turned off; ``drop_next`` closes
    the connection after the next DATA without answering (a time-out, for the client).
    """

    passwords: dict[str, str] = field(default_factory=dict)
    tokens: Callable[[str], bool] = lambda token: False
    size_limit: int = 35 * 1024 * 1024
    auth_disabled: bool = False
    faults: list[str] = field(default_factory=list)
    delivered: list[Delivered] = field(default_factory=list)
    auth_attempts: list[tuple[str, str]] = field(default_factory=list)  # mechanism, user
    connections: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler:
    def __init__(self, state: SmtpState) -> None:
        self.state = state

    async def handle_EHLO(
        self, server: SMTP, session: Session, envelope: Envelope, hostname: str, responses: Any
    ) -> Any:
        with self.state.lock:
            self.state.connections += 1 if not session.host_name else 0
        session.host_name = hostname
        return responses

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        if len(args) == 2:
            raw = args[1]
        else:
            answer = await server.challenge_auth("")
            if not isinstance(answer, bytes):
                return AuthResult(success=False, handled=False)
            raw = base64.b64encode(answer).decode()
        try:
            fields = base64.b64decode(raw, validate=True).decode().split("\x01")
            user = fields[0].removeprefix("user=")
            token = fields[1].removeprefix("auth=Bearer ")
        except (ValueError, IndexError):
            return AuthResult(success=False, handled=False)
        with self.state.lock:
            self.state.auth_attempts.append(("XOAUTH2", user))
        if self.state.auth_disabled:
            return AuthResult(success=False, handled=False, message=AUTH_DISABLED_REPLY)
        if self.state.tokens(token):
            return AuthResult(success=True, auth_data=LoginPassword(user.encode(), b""))
        return AuthResult(
            success=False, handled=False, message="535 5.7.3 Authentication unsuccessful"
        )

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        state = self.state
        with state.lock:
            fault = state.faults.pop(0) if state.faults else None
        if fault == "drop":
            assert server.transport is not None
            server.transport.close()
            return "250 dropped"  # never reaches the client
        if fault is not None:
            return fault
        data = envelope.original_content or b""
        if len(data) > state.size_limit:
            return "552 5.3.4 Message size exceeds fixed maximum message size"
        auth = session.auth_data  # login_data is deprecated in aiosmtpd 1.4
        login = auth.login.decode() if isinstance(auth, LoginPassword) else ""
        with state.lock:
            state.delivered.append(
                Delivered(str(envelope.mail_from), tuple(envelope.rcpt_tos), bytes(data), login)
            )
        return "250 2.0.0 OK queued"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class SmtpTestServer:
    """The server; a context manager. ``implicit_tls`` makes it speak TLS at once (465)."""

    def __init__(
        self,
        tls: ssl.SSLContext,
        state: SmtpState | None = None,
        *,
        implicit_tls: bool = False,
    ) -> None:
        self.state = state or SmtpState()
        self.port = _free_port()
        self.implicit_tls = implicit_tls
        handler = _Handler(self.state)
        kwargs: dict[str, Any] = {
            "hostname": HOST,
            "port": self.port,
            "authenticator": self._authenticate,
            "auth_require_tls": True,
            "data_size_limit": None,  # the handler answers 552 itself, after DATA
            "decode_data": False,
        }
        if implicit_tls:
            # aiosmtpd 1.4 knows only STARTTLS as TLS and would never offer AUTH; the
            # whole connection is TLS here, so nothing travels in clear text.
            kwargs["ssl_context"] = tls
            kwargs["auth_require_tls"] = False
        else:
            kwargs["tls_context"] = tls
            kwargs["require_starttls"] = True
        self._controller = Controller(handler, **kwargs)

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        state = self.state
        assert isinstance(data, LoginPassword)
        user, password = data.login.decode(), data.password.decode()
        with state.lock:
            state.auth_attempts.append((mechanism, user))
        if state.auth_disabled:
            return AuthResult(success=False, handled=False, message=AUTH_DISABLED_REPLY)
        if state.passwords.get(user) == password:
            return AuthResult(success=True, auth_data=data)
        return AuthResult(success=False, handled=False)

    @property
    def address(self) -> str:
        return f"{HOST}:{self.port}"

    def __enter__(self) -> SmtpTestServer:
        self._controller.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._controller.stop()
