"""SMTP submission (stdlib smtplib) of one finished message: STARTTLS, AUTH PLAIN or XOAUTH2.

TLS always (465 from the first byte, else STARTTLS, which is then required), except to a
loopback address. The envelope's recipients are the message's own To and Cc: each copy of
a message names only its own audience (a Bcc copy is addressed to its Bcc recipient
alone), so the headers and the envelope agree. A 4xx answer is temporary (the message
stays queued and the run stops), a 5xx one concerns this message only. Errors never
repeat the password or token.
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import email.utils
import logging
import smtplib
from typing import TYPE_CHECKING

from desktop_app.core.messages import text
from desktop_app.services.exchange.errors import (
    CredentialsRejectedError,
    ServerBusyError,
    ServerFaultError,
    UnreachableError,
)
from desktop_app.services.imap.connection import tls_context
from desktop_app.services.imap.settings import SignIn, is_loopback

if TYPE_CHECKING:
    from desktop_app.services.imap.settings import Credential, ImapAccount

log = logging.getLogger(__name__)


def envelope_recipients(mime: bytes) -> list[str]:
    """The addresses of the message's To and Cc headers, in order, each once."""
    headers = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(mime)
    found: list[str] = []
    values = [str(value) for field in ("To", "Cc") for value in headers.get_all(field, [])]
    for _name, address in email.utils.getaddresses(values):
        if address and address.lower() not in {seen.lower() for seen in found}:
            found.append(address)
    return found


def _temporary(code: int) -> bool:
    return 400 <= code < 500


def _answer(error: smtplib.SMTPResponseException) -> tuple[int, str]:
    reason = error.smtp_error
    shown = reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)
    return error.smtp_code, " ".join(shown.split())


def _xoauth2(username: str, token: str) -> object:
    calls: list[None] = []

    def respond(_challenge: bytes | None = None) -> str:
        calls.append(None)
        # On failure the server sends its JSON error as a challenge: answer empty to end.
        return f"user={username}\x01auth=Bearer {token}\x01\x01" if len(calls) == 1 else ""

    return respond


def _open(account: ImapAccount) -> smtplib.SMTP:
    endpoint = account.smtp
    where = {"host": endpoint.host, "port": endpoint.port}
    context = tls_context(account.ca_file)
    client: smtplib.SMTP | None = None
    try:
        if endpoint.implicit_tls:
            client = smtplib.SMTP_SSL(
                endpoint.host, endpoint.port, timeout=account.timeout, context=context
            )
        else:
            client = smtplib.SMTP(endpoint.host, endpoint.port, timeout=account.timeout)
        client.ehlo()
        if not endpoint.implicit_tls:
            if client.has_extn("starttls"):
                client.starttls(context=context)
                client.ehlo()
            elif not is_loopback(endpoint.host):
                raise UnreachableError(text("smtp.no_tls", **where))
        return client
    except (OSError, smtplib.SMTPException) as error:
        if client is not None:
            with contextlib.suppress(OSError):
                client.close()
        reason = str(error.strerror if isinstance(error, OSError) and error.strerror else error)
        if isinstance(error, TimeoutError):
            reason = "no answer in time"
        raise UnreachableError(text("smtp.unreachable", **where, reason=reason)) from None


def _sign_in(client: smtplib.SMTP, account: ImapAccount, credential: Credential) -> None:
    if not client.has_extn("auth"):
        return  # the server asks for none (a local relay); MAIL FROM says if it wanted one
    try:
        if credential.sign_in is SignIn.XOAUTH2:
            client.auth(
                "XOAUTH2",
                _xoauth2(account.username, credential.secret),  # type: ignore[arg-type]  # smtplib types the callback loosely
                initial_response_ok=True,
            )
        else:
            client.login(account.username, credential.secret)
    except smtplib.SMTPAuthenticationError as error:
        code, reason = _answer(error)
        if _temporary(code):
            raise ServerBusyError(text("smtp.temporary", code=code, reason=reason), None) from None
        raise CredentialsRejectedError(
            text("smtp.sign_in_refused", username=account.username, reason=f"{code} {reason}")
        ) from None
    except smtplib.SMTPNotSupportedError:
        raise CredentialsRejectedError(
            text("smtp.sign_in_refused", username=account.username, reason=credential.sign_in)
        ) from None


def _refused(error: smtplib.SMTPResponseException) -> ServerBusyError | ServerFaultError:
    code, reason = _answer(error)
    if _temporary(code):
        return ServerBusyError(text("smtp.temporary", code=code, reason=reason), None)
    return ServerFaultError(text("smtp.refused", code=code, reason=reason))


def submit(account: ImapAccount, credential: Credential, mime: bytes) -> None:
    """Hand ``mime`` to the account's SMTP server for its To and Cc recipients.

    Raises:
        UnreachableError: no connection, no TLS where required, the line dropped.
        CredentialsRejectedError: the sign-in was refused.
        ServerBusyError: a 4xx answer (try again later).
        ServerFaultError: a 5xx answer for this message (refused sender, recipients, data).
    """
    recipients = envelope_recipients(mime)
    client = _open(account)
    try:
        _sign_in(client, account, credential)
        refused = client.sendmail(account.email, recipients, mime)
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _reason in error.recipients.values()]
        if codes and all(_temporary(code) for code in codes):
            code, reason = next(iter(error.recipients.values()))
            shown = reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)
            raise ServerBusyError(text("smtp.temporary", code=code, reason=shown), None) from None
        raise ServerFaultError(
            text("smtp.recipients_refused", addresses=", ".join(error.recipients))
        ) from None
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
        raise _refused(error) from None
    except smtplib.SMTPResponseException as error:
        raise _refused(error) from None
    except (smtplib.SMTPServerDisconnected, OSError) as error:
        endpoint = account.smtp
        raise UnreachableError(
            text("smtp.unreachable", host=endpoint.host, port=endpoint.port, reason=str(error))
        ) from None
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            client.quit()
        with contextlib.suppress(OSError):
            client.close()
    if refused:
        # Accepted for the others: sending again would deliver twice to them.
        log.warning("smtp: %d of %d recipients refused", len(refused), len(recipients))
    log.info("smtp: submitted one message for %d recipients", len(recipients))


def check_sign_in(account: ImapAccount, credential: Credential) -> None:
    """Connect, secure and sign in to the SMTP server, then leave: nothing is sent.

    Raises:
        UnreachableError, CredentialsRejectedError, ServerBusyError: as ``submit``.
    """
    client = _open(account)
    try:
        _sign_in(client, account, credential)
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            client.quit()
        with contextlib.suppress(OSError):
            client.close()
