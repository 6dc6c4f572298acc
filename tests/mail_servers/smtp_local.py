"""A real SMTP submission server in-process (aiosmtpd) on 127.0.0.1: STARTTLS, AUTH PLAIN and
XOAUTH2, recording what it accepts, with injected faults (down, 4xx at DATA).

Kept apart from the general SMTP test server so the IMAP tests do not depend on its
shape; the two can merge into one.
"""

from __future__ import annotations

import base64
import threading
from dataclasses import dataclass, field
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from tests.ews_server.tls import HOST, LocalTls
from tests.mail_servers.dovecot import free_port


@dataclass(frozen=True)
class Delivered:
    """One accepted message: envelope sender, recipients, the bytes and who signed in."""

    mail_from: str
    recipients: tuple[str, ...]
    data: bytes
    login: str | None


@dataclass
class SubmissionHandler:
    """Accepts mail from signed-in users; ``temporary_failure`` answers 451 at DATA."""

    passwords: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    delivered: list[Delivered] = field(default_factory=list)
    temporary_failure: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if isinstance(data, LoginPassword):
            login, password = data.login.decode(), data.password.decode()
            if self.passwords.get(login) == password:
                return AuthResult(success=True, auth_data=login)
        return AuthResult(success=False, handled=False)

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        if len(args) < 2:
            return AuthResult(success=False)
        try:
            fields = base64.b64decode(args[1]).decode().split("\x01")
        except ValueError:
            return AuthResult(success=False)
        values = dict(item.split("=", 1) for item in fields if "=" in item)
        login, bearer = values.get("user", ""), values.get("auth", "")
        if bearer.startswith("Bearer ") and self.tokens.get(login) == bearer[len("Bearer ") :]:
            return AuthResult(success=True, auth_data=login)
        return AuthResult(success=False)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.temporary_failure:
            return "451 4.3.0 Temporary local problem, try again later"
        content = envelope.original_content or envelope.content
        assert isinstance(content, bytes)
        with self._lock:
            self.delivered.append(
                Delivered(
                    str(envelope.mail_from),
                    tuple(envelope.rcpt_tos),
                    content,
                    session.auth_data if isinstance(session.auth_data, str) else None,
                )
            )
        return "250 2.0.0 OK"


class SmtpTestServer:
    """The handler behind a Controller; ``stop``/``start`` keep the port (SMTP down)."""

    def __init__(self, tls: LocalTls) -> None:
        self.tls = tls
        self.host = HOST
        self.port = free_port()
        self.handler = SubmissionHandler()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(
            self.handler,
            hostname=self.host,
            port=self.port,
            tls_context=self.tls.server_context(),
            require_starttls=True,
            auth_required=True,
            authenticator=self.handler.authenticate,
            auth_exclude_mechanism=["LOGIN"],
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def add_user(self, login: str, password: str, token: str) -> None:
        self.handler.passwords[login] = password
        self.handler.tokens[login] = token

    @property
    def delivered(self) -> list[Delivered]:
        return self.handler.delivered
