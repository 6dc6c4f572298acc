"""Sending one finished message by SMTP submission, as a ``Transport``.

TLS always (STARTTLS on 587, implicit TLS on 465); plain text only to this computer, for
tests. The password or token is handed to smtplib and nowhere else: smtplib's debug
output stays off, and no server reply that could echo it reaches a log.
"""

from __future__ import annotations

import base64
import logging
import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field

from desktop_app.core.messages import text
from desktop_app.services.accounts.model import Endpoint, Security, check_security
from desktop_app.services.transport.port import (
    AccountRefusedError,
    MessageRefusedError,
    MessageTooLargeError,
    SendResult,
    SentCopy,
    SmtpEnvelope,
    TemporaryTransportError,
    TransportError,
)

log = logging.getLogger(__name__)

# Exchange Online's answer when the mailbox may not use SMTP AUTH
# (SmtpClientAuthenticationDisabled): "535 5.7.139 Authentication unsuccessful,
# SmtpClientAuthentication is disabled for the Mailbox."
_AUTH_DISABLED_MARKERS = ("5.7.139", "smtpclientauthentication is disabled")
_TOO_LARGE_CODES = frozenset({552})
_TOO_LARGE_MARKERS = ("5.3.4", "too large", "size limit", "message size")
_SENT_COPY_WHERE = "sent by SMTP submission; the server keeps no copy that we know of."


@dataclass(frozen=True)
class SmtpCredentials:
    """Who signs in, and with what: a password, or a token fetched when needed.

    ``token`` is called once per connection so a cached OAuth token is refreshed in time.
    """

    username: str
    password: str | None = field(default=None, repr=False)
    token: Callable[[], str] | None = field(default=None, repr=False)

    @property
    def mechanism(self) -> str:
        return "XOAUTH2" if self.token is not None else "PLAIN"


def xoauth2_blob(username: str, token: str) -> str:
    """The SASL XOAUTH2 initial response (Google's and Microsoft's format), unencoded."""
    return f"user={username}\x01auth=Bearer {token}\x01\x01"


def _code_text(code: int, reply: bytes | str) -> str:
    """``535 5.7.8``: the code and the enhanced status, never the rest (it may echo input)."""
    words = (reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply).split()
    enhanced = words[0] if words and words[0][:1].isdigit() and "." in words[0] else ""
    return f"{code} {enhanced}".strip()


def _reply_text(reply: bytes | str) -> str:
    return (reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply).lower()


class SmtpTransport:
    """A ``Transport`` that submits each message over a new SMTP connection.

    ``sent_copy`` says what the server does with a submitted message: most keep no
    copy (an IMAP account then appends one itself); for Exchange Online see README.
    """

    route = "smtp"

    def __init__(
        self,
        endpoint: Endpoint,
        credentials: SmtpCredentials,
        *,
        ca_file: str | None = None,
        timeout: float = 60.0,
        sent_copy: SentCopy = SentCopy.NONE,
        sent_copy_where: str = _SENT_COPY_WHERE,
        local_hostname: str | None = None,
    ) -> None:
        self._endpoint = check_security(endpoint)
        self._credentials = credentials
        self._ca_file = ca_file
        self._timeout = timeout
        self._sent_copy = sent_copy
        self._sent_copy_where = sent_copy_where
        self._local_hostname = local_hostname

    def __repr__(self) -> str:
        return f"SmtpTransport({str(self._endpoint)!r}, {self._credentials.mechanism})"

    @property
    def server(self) -> str:
        return str(self._endpoint)

    def _tls(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=self._ca_file)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        return context

    def _connect(self) -> smtplib.SMTP:
        endpoint = self._endpoint
        hostname = self._local_hostname or "smime-guard.localdomain"
        if endpoint.security is Security.TLS:
            secure = smtplib.SMTP_SSL(
                endpoint.host,
                endpoint.port,
                local_hostname=hostname,
                timeout=self._timeout,
                context=self._tls(),
            )
            secure.ehlo()
            return secure
        client = smtplib.SMTP(
            endpoint.host, endpoint.port, local_hostname=hostname, timeout=self._timeout
        )
        if endpoint.security is Security.STARTTLS:
            client.ehlo()
            if not client.has_extn("starttls"):
                client.close()
                raise AccountRefusedError(text("smtp.no_starttls", server=self.server))
            client.starttls(context=self._tls())
        client.ehlo()
        return client

    def _authenticate(self, client: smtplib.SMTP) -> None:
        credentials = self._credentials
        mechanism = credentials.mechanism
        offered = (client.esmtp_features.get("auth") or "").upper().split()
        if mechanism not in offered:
            raise AccountRefusedError(
                text("smtp.auth_unsupported", server=self.server, mechanism=mechanism)
            )
        if credentials.token is not None:
            blob = xoauth2_blob(credentials.username, credentials.token())
            encoded = base64.b64encode(blob.encode()).decode("ascii")
            code, reply = client.docmd("AUTH", f"XOAUTH2 {encoded}")
            if code == 334:  # the server's error details; an empty line ends the exchange
                code, reply = client.docmd("")
            if code != 235:
                raise smtplib.SMTPAuthenticationError(code, reply)
            return
        client.login(credentials.username, credentials.password or "")

    def _auth_failure(self, error: smtplib.SMTPAuthenticationError) -> TransportError:
        reply = _reply_text(error.smtp_error)
        user = self._credentials.username
        if any(marker in reply for marker in _AUTH_DISABLED_MARKERS):
            return AccountRefusedError(text("smtp.auth_disabled", user=user))
        code = _code_text(error.smtp_code, error.smtp_error)
        if 400 <= error.smtp_code < 500:
            return TemporaryTransportError(text("smtp.temporary", server=self.server, code=code))
        return AccountRefusedError(
            text("smtp.auth_rejected", server=self.server, user=user, code=code)
        )

    def _response_failure(self, code: int, reply: bytes | str) -> TransportError:
        shown = _code_text(code, reply)
        lowered = _reply_text(reply)
        if code in _TOO_LARGE_CODES or any(marker in lowered for marker in _TOO_LARGE_MARKERS):
            return MessageTooLargeError(text("smtp.too_large", server=self.server, code=shown))
        if 400 <= code < 500:
            return TemporaryTransportError(text("smtp.temporary", server=self.server, code=shown))
        return MessageRefusedError(text("smtp.refused", server=self.server, code=shown))

    def send(self, mime: bytes, envelope: SmtpEnvelope) -> SendResult:
        if not envelope.recipients:
            raise MessageRefusedError(text("smtp.no_recipients"))
        try:
            client = self._connect()
        except TransportError:
            raise
        except ssl.SSLError as error:
            reason = error.reason or type(error).__name__
            log.info("smtp: TLS to %s failed: %s", self.server, reason)
            raise AccountRefusedError(
                text("smtp.tls_failed", server=self.server, reason=reason)
            ) from None
        except smtplib.SMTPResponseException as error:
            raise self._response_failure(error.smtp_code, error.smtp_error) from None
        except (OSError, smtplib.SMTPException) as error:
            raise self._unreachable(error) from None
        try:
            self._submit(client, mime, envelope)
        finally:
            try:
                client.quit()
            except (OSError, smtplib.SMTPException):
                client.close()
        log.info("smtp: submitted one message for %d recipients", len(envelope.recipients))
        return SendResult(self.route, self._sent_copy, self._sent_copy_where)

    def _submit(self, client: smtplib.SMTP, mime: bytes, envelope: SmtpEnvelope) -> None:
        try:
            self._authenticate(client)
            refused = client.sendmail(envelope.sender, list(envelope.recipients), mime)
        except smtplib.SMTPAuthenticationError as error:
            log.info("smtp: sign-in refused (%d)", error.smtp_code)
            raise self._auth_failure(error) from None
        except smtplib.SMTPRecipientsRefused as error:
            codes = {code for code, _ in error.recipients.values()}
            if all(400 <= code < 500 for code in codes):
                raise TemporaryTransportError(
                    text("smtp.temporary", server=self.server, code=min(codes))
                ) from None
            addresses = ", ".join(sorted(error.recipients))
            raise MessageRefusedError(
                text("smtp.recipients_refused", server=self.server, addresses=addresses)
            ) from None
        except smtplib.SMTPResponseException as error:
            raise self._response_failure(error.smtp_code, error.smtp_error) from None
        except (OSError, smtplib.SMTPException) as error:
            # The connection broke during DATA: the server may or may not have taken it;
            # the outbox keeps it and asks before sending again where it can.
            raise self._unreachable(error) from None
        if refused:
            # Some recipients were refused: the others got it. Sending again would
            # duplicate theirs, so this counts as sent; the log says how many.
            log.warning("smtp: %d recipients refused, the rest accepted", len(refused))

    def _unreachable(self, error: BaseException) -> TemporaryTransportError:
        reason = (
            "timed out"
            if isinstance(error, socket.timeout | TimeoutError)
            else (getattr(error, "strerror", None) or type(error).__name__)
        )
        log.info("smtp: %s unreachable: %s", self.server, type(error).__name__)
        return TemporaryTransportError(text("smtp.unreachable", server=self.server, reason=reason))

    def already_sent(self, message_id: str) -> bool:
        return False  # SMTP cannot tell; a Sent folder check belongs to the mailbox

    def close(self) -> None:
        pass
