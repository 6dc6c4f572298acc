"""An IMAP server that offers no STARTTLS gets no password: the client stops after the
capabilities, unless the endpoint is a loopback one allowed plain text (tests only)."""

from __future__ import annotations

import base64
import socket
import threading
from collections.abc import Iterator

import pytest

from desktop_app.core.errors import UserFacingError
from desktop_app.services.imap.connection import open_imap
from desktop_app.services.imap.settings import AuthMechanism, Credential, ImapAccount, MailServer
from desktop_app.services.mail_server_errors import UnreachableError

PASSWORD = "never-in-clear-7"


class PlainImapServer:
    """Speaks just enough IMAP4rev1 without TLS, and records every line it is sent."""

    def __init__(self) -> None:
        self.received: list[bytes] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            pending = ""  # the tag of an AUTHENTICATE waiting for its response line
            with client, client.makefile("rwb") as stream:
                stream.write(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] plain test server\r\n")
                stream.flush()
                for line in stream:
                    self.received.append(line)
                    tag, _, command = line.decode(errors="replace").partition(" ")
                    if pending:
                        # Echo the response back, as a broken server might.
                        answer = f"{line.decode().strip()} what?\r\n"
                        pending = ""
                    elif command.upper().startswith("CAPABILITY"):
                        answer = f"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n{tag} OK done\r\n"
                    elif command.upper().startswith("AUTHENTICATE"):
                        answer, pending = "+ \r\n", tag  # the response comes as the next line
                    elif command.upper().startswith("LOGOUT"):
                        stream.write(f"* BYE\r\n{tag} OK bye\r\n".encode())
                        stream.flush()
                        break
                    else:
                        answer = f"{tag} NO not here\r\n"
                    stream.write(answer.encode())
                    stream.flush()

    def close(self) -> None:
        self._listener.close()


@pytest.fixture
def plain_server() -> Iterator[PlainImapServer]:
    server = PlainImapServer()
    yield server
    server.close()


def _account(port: int, *, allow_plaintext: bool) -> ImapAccount:
    imap = MailServer("127.0.0.1", port, allow_plaintext=allow_plaintext)
    return ImapAccount("me@clinic.example", imap, imap, "me@clinic.example", timeout=2.0)


def test_no_starttls_means_no_password_is_sent(plain_server: PlainImapServer) -> None:
    with pytest.raises(UnreachableError, match="offers no TLS"):
        open_imap(
            _account(plain_server.port, allow_plaintext=False),
            Credential(AuthMechanism.PASSWORD, PASSWORD),
        )
    sent = b"".join(plain_server.received)
    assert b"AUTHENTICATE" not in sent.upper() and b"LOGIN" not in sent.upper()


def test_a_loopback_server_allowed_plain_text_gets_the_sign_in_but_no_echo_of_it(
    plain_server: PlainImapServer,
) -> None:
    with pytest.raises(UserFacingError) as failed:
        open_imap(
            _account(plain_server.port, allow_plaintext=True),
            Credential(AuthMechanism.PASSWORD, PASSWORD),
        )
    assert any(b"AUTHENTICATE PLAIN" in line.upper() for line in plain_server.received)
    # The server echoed the (base64) credentials back; the error shows none of it.
    blob = base64.b64encode(f"\0me@clinic.example\0{PASSWORD}".encode()).decode()
    assert blob not in failed.value.message and PASSWORD not in failed.value.message
