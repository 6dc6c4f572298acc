"""SMTP submission against a real SMTP server on 127.0.0.1 (aiosmtpd) over TLS."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.services.accounts.model import AccountError, Endpoint, Security
from desktop_app.services.smtp.submission import SmtpCredentials, SmtpTransport
from desktop_app.services.transport.port import (
    AccountRefusedError,
    MessageRefusedError,
    MessageTooLargeError,
    SentCopy,
    TemporaryTransportError,
    envelope_of,
)
from tests.ews_server.tls import LocalTls, make_local_tls
from tests.mail_servers.smtp_server import SmtpState, SmtpTestServer

USER, PASSWORD, TOKEN = "ann@clinic.test", "correct horse", "at-valid-token"
MESSAGE = (
    b"From: ann@clinic.test\r\nTo: Bob <bob@clinic.test>\r\nCc: cy@example.org\r\n"
    b"Subject: s\r\nMessage-ID: <1@clinic.test>\r\n\r\nbody\r\n"
)


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> LocalTls:
    return make_local_tls(tmp_path_factory.mktemp("smtp-tls"))


@pytest.fixture
def state() -> SmtpState:
    return SmtpState(passwords={USER: PASSWORD}, tokens=lambda token: token == TOKEN)


@pytest.fixture(params=[False, True], ids=["starttls", "implicit-tls"])
def server(
    request: pytest.FixtureRequest, tls: LocalTls, state: SmtpState
) -> Iterator[SmtpTestServer]:
    with SmtpTestServer(tls.server_context(), state, implicit_tls=request.param) as running:
        yield running


def _transport(
    server: SmtpTestServer, tls: LocalTls, credentials: SmtpCredentials
) -> SmtpTransport:
    security = Security.TLS if server.implicit_tls else Security.STARTTLS
    return SmtpTransport(
        Endpoint("127.0.0.1", server.port, security), credentials, ca_file=str(tls.ca_file)
    )


def test_password_submission_delivers_the_bytes_to_the_header_recipients(
    server: SmtpTestServer, tls: LocalTls
) -> None:
    transport = _transport(server, tls, SmtpCredentials(USER, password=PASSWORD))
    result = transport.send(MESSAGE, envelope_of(MESSAGE, USER))
    [delivered] = server.state.delivered
    assert delivered.recipients == ("bob@clinic.test", "cy@example.org")
    assert delivered.data.replace(b"\r\n", b"\n") == MESSAGE.replace(b"\r\n", b"\n")
    assert delivered.login == USER
    assert result.route == "smtp" and result.sent_copy is SentCopy.NONE
    assert ("PLAIN", USER) in server.state.auth_attempts


def test_xoauth2_submission_takes_the_token_from_its_callable(
    server: SmtpTestServer, tls: LocalTls
) -> None:
    asked = []

    def token() -> str:
        asked.append(1)
        return TOKEN

    transport = _transport(server, tls, SmtpCredentials(USER, token=token))
    transport.send(MESSAGE, envelope_of(MESSAGE, USER))
    assert len(server.state.delivered) == 1 and asked == [1]
    assert ("XOAUTH2", USER) in server.state.auth_attempts
    assert TOKEN not in repr(transport)


def test_a_wrong_password_is_refused_for_the_account(server: SmtpTestServer, tls: LocalTls) -> None:
    transport = _transport(server, tls, SmtpCredentials(USER, password="wrong"))
    with pytest.raises(AccountRefusedError) as raised:
        transport.send(MESSAGE, envelope_of(MESSAGE, USER))
    assert "wrong" not in raised.value.message
    assert not server.state.delivered


def test_smtp_auth_disabled_is_said_plainly(server: SmtpTestServer, tls: LocalTls) -> None:
    server.state.auth_disabled = True
    transport = _transport(server, tls, SmtpCredentials(USER, token=lambda: TOKEN))
    with pytest.raises(AccountRefusedError) as raised:
        transport.send(MESSAGE, envelope_of(MESSAGE, USER))
    assert "SMTP AUTH is disabled for the mailbox ann@clinic.test" in raised.value.message
    assert "SmtpClientAuthenticationDisabled" in raised.value.message


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("451 4.3.0 Mail server temporarily rejected message", TemporaryTransportError),
        ("554 5.6.0 Corrupt message content", MessageRefusedError),
        ("552 5.3.4 Message size exceeds fixed maximum message size", MessageTooLargeError),
    ],
)
def test_replies_to_data_map_to_what_the_outbox_does_next(
    server: SmtpTestServer, tls: LocalTls, fault: str, error: type[Exception]
) -> None:
    server.state.faults.append(fault)
    transport = _transport(server, tls, SmtpCredentials(USER, password=PASSWORD))
    with pytest.raises(error):
        transport.send(MESSAGE, envelope_of(MESSAGE, USER))
    transport.send(MESSAGE, envelope_of(MESSAGE, USER))  # the next try goes through
    assert len(server.state.delivered) == 1


def test_an_untrusted_certificate_is_refused_and_nothing_goes_in_clear(
    server: SmtpTestServer, tmp_path: Path
) -> None:
    other_ca = make_local_tls(tmp_path / "other")
    transport = _transport(server, other_ca, SmtpCredentials(USER, password=PASSWORD))
    with pytest.raises(AccountRefusedError):
        transport.send(MESSAGE, envelope_of(MESSAGE, USER))
    assert not server.state.auth_attempts and not server.state.delivered


def test_a_closed_port_is_temporary(tls: LocalTls) -> None:
    transport = SmtpTransport(
        Endpoint("127.0.0.1", 1, Security.STARTTLS),
        SmtpCredentials(USER, password=PASSWORD),
        ca_file=str(tls.ca_file),
        timeout=5,
    )
    with pytest.raises(TemporaryTransportError):
        transport.send(MESSAGE, envelope_of(MESSAGE, USER))


def test_plain_text_is_refused_to_anything_but_this_computer() -> None:
    with pytest.raises(AccountError):
        SmtpTransport(Endpoint("mail.example.org", 25, Security.NONE), SmtpCredentials(USER))
