"""One signed-in IMAP connection (stdlib imaplib): TLS always, except to this machine.

An endpoint marked ``implicit_tls`` (993) speaks TLS from the first byte; any other must
offer STARTTLS, which is then used. Only a loopback address explicitly allowed plain text
(tests) is spoken to in clear when it offers no STARTTLS. Every failure becomes a
``UserFacingError`` whose text never holds the password or token; imaplib's own debug
output stays off.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import re
import ssl
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from desktop_app.core.messages import text
from desktop_app.services.imap.settings import AuthMechanism, Credential, is_loopback
from desktop_app.services.mail_server_errors import (
    CredentialsRejectedError,
    ServerFaultError,
    UnreachableError,
)

if TYPE_CHECKING:
    from pathlib import Path

    from desktop_app.services.imap.settings import ImapAccount

log = logging.getLogger(__name__)

_APPENDUID = re.compile(rb"\[APPENDUID (\d+) (\d+)\]")


class ImapCommandError(ServerFaultError):
    """The server answered NO or BAD to a command."""


class ImapConnectionLostError(UnreachableError):
    """The connection broke (or timed out) in the middle of a command."""


def tls_context(ca_file: Path | None) -> ssl.SSLContext:
    """The system's trust, or only ``ca_file``'s CA when one is given; TLS 1.2 or later."""
    context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def quote_mailbox(name: str) -> str:
    """A mailbox name as an IMAP quoted string (imaplib quotes nothing itself)."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _reason(error: BaseException) -> str:
    if isinstance(error, TimeoutError):
        return "no answer in time"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def _xoauth2(username: str, token: str) -> Callable[[bytes], bytes]:
    """The XOAUTH2 initial response, then an empty line to end the exchange on an error
    challenge (the server sends its JSON error as a challenge)."""
    calls: list[None] = []

    def respond(_challenge: bytes) -> bytes:
        calls.append(None)
        if len(calls) > 1:
            return b""
        return f"user={username}\x01auth=Bearer {token}\x01\x01".encode()

    return respond


class ImapConnection:
    """A signed-in imaplib client and the commands the account needs, errors typed."""

    def __init__(self, client: imaplib.IMAP4) -> None:
        self._client = client
        self.capabilities = frozenset(str(item).upper() for item in client.capabilities)

    @property
    def client(self) -> imaplib.IMAP4:
        return self._client

    def run(self, what: str, call: Callable[[], tuple[str, Any]]) -> list[object]:
        """``call``'s data if the server answered OK; typed errors otherwise."""
        try:
            status, data = call()
        except imaplib.IMAP4.abort as error:
            raise ImapConnectionLostError(
                text("imap.connection_lost", reason=_reason(error))
            ) from None
        except imaplib.IMAP4.error as error:
            raise ImapCommandError(
                text("imap.command_failed", command=what, reason=_reason(error))
            ) from None
        except (OSError, ssl.SSLError) as error:
            raise ImapConnectionLostError(
                text("imap.connection_lost", reason=_reason(error))
            ) from None
        if status != "OK":
            reason = b" ".join(item for item in data if isinstance(item, bytes))
            raise ImapCommandError(
                text("imap.command_failed", command=what, reason=reason.decode(errors="replace"))
            )
        return list(data)

    def examine(self, mailbox: str) -> int:
        """Select ``mailbox`` read-only; its UIDVALIDITY."""
        self.run("EXAMINE", lambda: self._client.select(quote_mailbox(mailbox), readonly=True))
        _, values = self._client.response("UIDVALIDITY")
        try:
            return int(values[0]) if values and values[0] is not None else 0
        except (TypeError, ValueError):
            return 0

    def select(self, mailbox: str) -> None:
        self.run("SELECT", lambda: self._client.select(quote_mailbox(mailbox)))

    def uid(self, command: str, *arguments: str) -> list[object]:
        return self.run(f"UID {command}", lambda: self._client.uid(command, *arguments))

    def append(self, mailbox: str, flags: str, mime: bytes) -> int | None:
        """APPEND ``mime`` to ``mailbox`` with ``flags``; its UID if the server says
        (UIDPLUS)."""
        data = self.run(
            "APPEND", lambda: self._client.append(quote_mailbox(mailbox), flags, None, mime)
        )
        for item in data:
            if isinstance(item, bytes) and (found := _APPENDUID.search(item)):
                return int(found.group(2))
        return None

    def close(self) -> None:
        with contextlib.suppress(imaplib.IMAP4.error, OSError, ssl.SSLError):
            self._client.logout()
        with contextlib.suppress(OSError):
            self._client.shutdown()


def _connect(account: ImapAccount) -> imaplib.IMAP4:
    endpoint = account.imap
    context = tls_context(account.ca_file)
    where = {"host": endpoint.host, "port": endpoint.port}
    client: imaplib.IMAP4 | None = None
    try:
        if endpoint.implicit_tls:
            return imaplib.IMAP4_SSL(
                endpoint.host, endpoint.port, ssl_context=context, timeout=account.timeout
            )
        client = imaplib.IMAP4(endpoint.host, endpoint.port, timeout=account.timeout)
        if "STARTTLS" in client.capabilities:
            client.starttls(context)
        elif not (endpoint.allow_plaintext and is_loopback(endpoint.host)):
            raise UnreachableError(text("imap.no_tls", **where))
        return client
    except ssl.SSLError as error:
        _drop(client)
        raise UnreachableError(text("imap.tls_failed", **where, reason=_reason(error))) from None
    except (OSError, imaplib.IMAP4.error) as error:
        _drop(client)
        raise UnreachableError(text("imap.unreachable", **where, reason=_reason(error))) from None
    except UnreachableError:
        _drop(client)
        raise


def _drop(client: imaplib.IMAP4 | None) -> None:
    if client is not None:
        with contextlib.suppress(OSError):
            client.shutdown()


def _sign_in(client: imaplib.IMAP4, account: ImapAccount, credential: Credential) -> None:
    capabilities = {str(item).upper() for item in client.capabilities}
    try:
        if credential.sign_in is AuthMechanism.XOAUTH2:
            if "AUTH=XOAUTH2" not in capabilities:
                endpoint = account.imap
                raise UnreachableError(
                    text("imap.no_xoauth2", host=endpoint.host, port=endpoint.port)
                )
            client.authenticate("XOAUTH2", _xoauth2(account.username, credential.secret))
        elif "AUTH=PLAIN" in capabilities:
            # PLAIN carries UTF-8, where LOGIN's quoted string is ASCII only.
            plain = f"\0{account.username}\0{credential.secret}".encode()
            client.authenticate("PLAIN", lambda _challenge: plain)
        else:
            client.login(account.username, credential.secret)
    except imaplib.IMAP4.abort:
        # imaplib's text quotes what the server said, which may echo the credentials sent.
        raise ImapConnectionLostError(
            text("imap.connection_lost", reason=text("imap.sign_in_broken_off"))
        ) from None
    except imaplib.IMAP4.error:
        # The server's words are not repeated: some echo what was sent.
        raise CredentialsRejectedError(
            text("imap.sign_in_refused", username=account.username)
        ) from None
    except (OSError, ssl.SSLError) as error:
        raise ImapConnectionLostError(text("imap.connection_lost", reason=_reason(error))) from None
    # The capabilities change once signed in (SPECIAL-USE, UIDPLUS, ...).
    with contextlib.suppress(imaplib.IMAP4.error, OSError):
        _, data = client.capability()
        if data and isinstance(data[0], bytes):
            client.capabilities = tuple(data[0].decode(errors="replace").upper().split())


def open_imap(account: ImapAccount, credential: Credential) -> ImapConnection:
    """A connection to the account's IMAP server, signed in.

    Raises:
        UnreachableError: no connection, no TLS where TLS is required, broken TLS.
        CredentialsRejectedError: the server refused the password or token.
    """
    client = _connect(account)
    try:
        _sign_in(client, account, credential)
    except BaseException:
        _drop(client)
        raise
    log.info("imap: signed in (%s)", credential.sign_in.value)
    return ImapConnection(client)
