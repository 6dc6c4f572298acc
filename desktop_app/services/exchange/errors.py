"""Failures of the Exchange adapter as typed errors with messages safe to show.

Kept free of exchangelib, which takes a third of a second to import: the command-line
grammar and the account file need these without it (``failures`` maps its exceptions).
"""

from __future__ import annotations

from desktop_app.core.errors import UserFacingError

NOT_SET_UP = (
    "No Exchange account is set up in {home}. Sign in first: smime-guard exchange login "
    "--email ADDRESS --server https://mail.example.org/EWS/Exchange.asmx"
)
CREDENTIALS_REJECTED = (
    "Exchange at {server} did not accept the user name or password. Check them and sign "
    "in again with smime-guard exchange login."
)
UNREACHABLE = (
    "Exchange at {server} could not be reached or did not answer in time. Check the "
    "address and the network, then try again."
)
BUSY = "Exchange at {server} is busy and asked to wait{wait} before trying again."
BUSY_WAIT = " {seconds:.0f} seconds"
SERVER_FAULT = "Exchange at {server} failed to answer this request ({code}). Try again later."
BAD_RESPONSE = (
    "Exchange at {server} sent an answer that is not a valid EWS response. Check that the "
    "URL is the EWS address (…/EWS/Exchange.asmx), or try again later."
)
REFUSED = "Exchange at {server} refused the request ({code})."
OAUTH_NOT_AVAILABLE = (
    "Signing in with OAuth 2.0 (Exchange Online) is not available in this version; use "
    "--auth ntlm or --auth basic with an on-premises Exchange server."
)
NO_PASSWORD = (
    "The password for {email} is not in the system keyring. Sign in again with "
    "smime-guard exchange login."
)


class ExchangeError(UserFacingError):
    """Base of every failure of the Exchange adapter."""


class NotSetUpError(ExchangeError):
    """No account is configured in this home folder."""


class CredentialsRejectedError(ExchangeError):
    """The server answered 401: wrong user name or password, or a locked account."""


class UnreachableError(ExchangeError):
    """No answer: refused connection, unknown host, time-out, broken TLS."""


class ServerBusyError(ExchangeError):
    """The server asked to back off (ErrorServerBusy, HTTP 503 and the like)."""

    def __init__(self, message: str, back_off: float | None) -> None:
        super().__init__(message)
        self.back_off = back_off


class ServerFaultError(ExchangeError):
    """The server answered, but with an error or something that is not EWS."""


class UnsupportedAuthError(ExchangeError):
    """An authentication method this version does not implement."""
