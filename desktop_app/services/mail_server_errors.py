"""Failures of talking to a mail server (EWS, IMAP) or an OAuth 2.0 authority, as typed
errors with messages safe to show.

Kept free of exchangelib, which takes a third of a second to import: the command-line
grammar and the account file need these without it (``exchange.failures`` maps its
exceptions).
"""

from __future__ import annotations

from desktop_app.core.errors import UserFacingError


class MailServerError(UserFacingError):
    """Base of every failure to talk to a mail server or an OAuth 2.0 authority."""


class NotSetUpError(MailServerError):
    """No account is configured in this home folder."""


class CredentialsRejectedError(MailServerError):
    """The server answered 401: wrong user name or password, or a locked account."""


class UnreachableError(MailServerError):
    """No answer: refused connection, unknown host, time-out, broken TLS."""


class ServerBusyError(MailServerError):
    """The server asked to back off (ErrorServerBusy, HTTP 503 and the like)."""

    def __init__(self, message: str, back_off: float | None) -> None:
        super().__init__(message)
        self.back_off = back_off


class ServerFaultError(MailServerError):
    """The server answered, but with an error or something that is not EWS."""


class UnsupportedAuthError(MailServerError):
    """An authentication method or combination this version does not implement."""


class OAuthError(MailServerError):
    """Signing in with OAuth 2.0 failed: the authority refused, or could not be reached."""


class OAuthCancelledError(OAuthError):
    """The user stopped waiting for the sign-in; nothing was stored."""


class OAuthRejectedError(CredentialsRejectedError):
    """The server answered 401 to a token the authority had issued."""
