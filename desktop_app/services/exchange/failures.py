"""exchangelib's exceptions as ExchangeErrors, with messages safe to show.

exchangelib's own exception texts can carry response bodies and headers, so they never
reach the user: ``translate`` keeps only the exception type, the EWS response code and
the HTTP status.
"""

from __future__ import annotations

import logging
import re
import traceback

from exchangelib import errors as ews_errors
from exchangelib.util import CONNECTION_ERRORS

from desktop_app.core.messages import text
from desktop_app.services.mail_server_errors import (
    CredentialsRejectedError,
    MailServerError,
    ServerBusyError,
    ServerFaultError,
    UnreachableError,
)

log = logging.getLogger(__name__)

# Response codes that mean "try again later" rather than "this request is wrong".
_TRANSIENT = (
    ews_errors.ErrorServerBusy,
    ews_errors.ErrorInternalServerTransientError,
    ews_errors.ErrorTooManyObjectsOpened,
    ews_errors.RateLimitError,
    ews_errors.ErrorMailboxStoreUnavailable,
    ews_errors.ErrorMailboxMoveInProgress,
)
# exchangelib's own list (requests and socket errors), should one escape its wrapping.
_CONNECTION = (ews_errors.ErrorTimeoutExpired, ConnectionError, TimeoutError, *CONNECTION_ERRORS)
_HTTP_STATUS = re.compile(r"Unknown failure in response\. Code: (\d{3})\b")
_NOT_EWS: tuple[type[Exception], ...] = (
    ews_errors.MalformedResponseError,
    ews_errors.SOAPError,
    ews_errors.ErrorInvalidServerVersion,
    ews_errors.RedirectError,
    # What exchangelib 5.6's GetMailTips gets from a real server (see ews_services.py).
    ews_errors.ErrorSchemaValidation,
)


def _busy(server: str, back_off: float | None) -> ServerBusyError:
    wait = text("exchange.busy_wait", seconds=back_off) if back_off else ""
    return ServerBusyError(text("exchange.busy", server=server, wait=wait), back_off)


def _caused_by_connection(error: BaseException) -> bool:
    # With more than one session, exchangelib turns a connection failure into
    # ErrorServerBusy raised while handling ErrorTimeoutExpired (services/common.py,
    # EWSService._get_elements); the context tells the two apart.
    context: BaseException | None = error
    while context is not None:
        if isinstance(context, _CONNECTION):
            return True
        context = context.__context__
    return False


def _http_status(error: BaseException) -> str | None:
    # exchangelib reports an HTTP error status it has no better name for only in the
    # text of a MalformedResponseError (protocol.py, RetryPolicy.raise_response_errors).
    if isinstance(error, ews_errors.MalformedResponseError):
        found = _HTTP_STATUS.match(str(error))
        return found.group(1) if found else None
    return None


def translate(error: BaseException, server: str) -> MailServerError:
    """The MailServerError for a failure of an exchangelib call to ``server``."""
    log.info("exchange call failed: %s", type(error).__name__)
    if isinstance(error, MailServerError):
        return error
    if isinstance(error, ews_errors.UnauthorizedError):
        return CredentialsRejectedError(text("exchange.credentials_rejected", server=server))
    if isinstance(error, ews_errors.ErrorServerBusy) and _caused_by_connection(error):
        return UnreachableError(text("exchange.unreachable", server=server))
    if isinstance(error, _TRANSIENT):
        back_off = getattr(error, "back_off", None)
        return _busy(server, back_off if isinstance(back_off, int | float) else None)
    if isinstance(error, _CONNECTION):
        return UnreachableError(text("exchange.unreachable", server=server))
    status = _http_status(error)
    if status is not None:
        return ServerFaultError(text("exchange.server_fault", server=server, code=f"HTTP {status}"))
    if isinstance(error, _NOT_EWS):
        return ServerFaultError(text("exchange.bad_response", server=server))
    if isinstance(error, ews_errors.ResponseMessageError):
        return ServerFaultError(text("exchange.refused", server=server, code=type(error).__name__))
    if isinstance(error, ews_errors.TransportError):
        # What is left of TransportError: TLS failures, no usable auth method offered,
        # autodiscover finding nothing. None of them is an EWS answer.
        return UnreachableError(text("exchange.unreachable", server=server))
    # Not a failure exchangelib names: possibly a bug, so the log gets where it happened
    # (the frames only: a message could quote the request, with recipient addresses).
    log.warning("unexpected %s in an Exchange call:\n%s", type(error).__name__, _frames(error))
    return ServerFaultError(text("exchange.server_fault", server=server, code=type(error).__name__))


def _frames(error: BaseException) -> str:
    return "".join(traceback.format_tb(error.__traceback__))
