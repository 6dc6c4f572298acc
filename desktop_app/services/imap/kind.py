"""The ``imap`` account kind: IMAP for the mailbox, SMTP submission for sending.

A password is proved against both servers before anything is kept, then lives only in
the keyring (``Account.secret_name``); with OAuth, one sign-in gives XOAUTH2 tokens for
both, kept in msal's encrypted token cache. The ports themselves are in ``ports``.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import ssl
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.services.accounts.model import AccountError, Security, SignIn
from desktop_app.services.imap import settings as imap_settings
from desktop_app.services.imap.connection import (
    ImapConnection,
    open_imap,
    tls_context,
)
from desktop_app.services.imap.ports import ImapPortMailbox, ImapPortTransport, as_transport_error
from desktop_app.services.smtp.submission import SmtpCredentials, SmtpTransport, xoauth2_blob
from desktop_app.services.transport.port import (
    AccountRefusedError,
    TemporaryTransportError,
)

if TYPE_CHECKING:
    from desktop_app.services.accounts.kinds import AccountServices, SignInRequest
    from desktop_app.services.accounts.model import Account, Endpoint
    from desktop_app.services.oauth.client import OAuthClient

log = logging.getLogger(__name__)

# Microsoft 365's IMAP and SMTP permissions (delegated); msal adds offline_access.
IMAP_SCOPES = ("https://outlook.office.com/IMAP.AccessAsUser.All",)
SMTP_SCOPE = "https://outlook.office.com/SMTP.Send"


def imap_account(account: Account, timeout: float) -> imap_settings.ImapAccount:
    """The connection settings of ``account`` for ``services.imap.connection``."""
    if account.imap is None or account.smtp is None:
        missing = "--imap" if account.imap is None else "--smtp"
        raise AccountError(text("accounts.missing_option", kind=account.kind.value, option=missing))

    def endpoint(value: Endpoint) -> imap_settings.MailServer:
        return imap_settings.MailServer(
            value.host,
            value.port,
            implicit_tls=value.security is Security.TLS,
            allow_plaintext=value.security is Security.NONE and value.is_loopback,
        )

    return imap_settings.ImapAccount(
        email=account.email,
        imap=endpoint(account.imap),
        smtp=endpoint(account.smtp),
        username=account.login_name,
        sign_in=imap_settings.AuthMechanism.XOAUTH2
        if account.sign_in is SignIn.OAUTH2
        else imap_settings.AuthMechanism.PASSWORD,
        ca_file=Path(account.ca_file) if account.ca_file else None,
        timeout=timeout,
    )


def _credential(account: Account, secret: str) -> imap_settings.Credential:
    kind = imap_settings.AuthMechanism.XOAUTH2 if account.sign_in is SignIn.OAUTH2 else None
    return imap_settings.Credential(kind or imap_settings.AuthMechanism.PASSWORD, secret)


def oauth_client(
    account: Account, services: AccountServices, scopes: tuple[str, ...]
) -> OAuthClient:
    """msal for the account's authority and app, with the home's encrypted token cache."""
    from desktop_app.services.oauth.client import OAuthClient
    from desktop_app.services.oauth.config import OAuthConfig

    if account.oauth is None:
        raise AccountError(text("accounts.missing_option", kind="imap", option="--client-id"))
    config = OAuthConfig(account.oauth.authority, account.oauth.client_id, scopes)
    cache = services.access.oauth().token_cache(services.access.home)
    return OAuthClient(config, cache, verify=account.verify, timeout=services.timeout)


def stored_secret(account: Account, services: AccountServices) -> str:
    """The password from the keyring, or a fresh IMAP access token from the token cache."""
    if account.sign_in is SignIn.OAUTH2:
        return oauth_client(account, services, IMAP_SCOPES).token(account.login_name).value
    secret = services.access.secrets().get(account.secret_name)
    if secret is None:
        raise AccountRefusedError(text("imap.no_secret", name=account.name))
    return secret


def smtp_credentials(account: Account, services: AccountServices, secret: str) -> SmtpCredentials:

    if account.sign_in is SignIn.OAUTH2:
        tokens = oauth_client(account, services, (SMTP_SCOPE,))
        user = account.login_name
        return SmtpCredentials(user, token=lambda: tokens.token(user).value)
    return SmtpCredentials(account.login_name, password=secret)


def _prove_smtp(account: Account, credentials: SmtpCredentials, timeout: float) -> None:
    """Connect, secure and sign in to the SMTP server, then leave: nothing is sent."""
    assert account.smtp is not None
    endpoint, server = account.smtp, str(account.smtp)
    context = tls_context(Path(account.ca_file) if account.ca_file else None)
    client: smtplib.SMTP | None = None
    try:
        if endpoint.security is Security.TLS:
            client = smtplib.SMTP_SSL(
                endpoint.host, endpoint.port, timeout=timeout, context=context
            )
        else:
            client = smtplib.SMTP(endpoint.host, endpoint.port, timeout=timeout)
        client.ehlo()
        if endpoint.security is Security.STARTTLS:
            if not client.has_extn("starttls"):
                raise AccountRefusedError(text("smtp.no_starttls", server=server))
            client.starttls(context=context)
            client.ehlo()
        if client.has_extn("auth"):
            if credentials.token is not None:
                blob = xoauth2_blob(credentials.username, credentials.token())
                calls: list[None] = []

                def respond(_challenge: bytes | None = None) -> str:
                    calls.append(None)  # an error comes as a challenge: answer it empty
                    return blob if len(calls) == 1 else ""

                client.auth("XOAUTH2", respond, initial_response_ok=True)
            else:
                client.login(credentials.username, credentials.password or "")
    except smtplib.SMTPAuthenticationError as error:
        raise AccountRefusedError(
            text("smtp.auth_rejected", server=server, user=account.login_name, code=error.smtp_code)
        ) from None
    except ssl.SSLError as error:
        reason = error.reason or type(error).__name__
        raise AccountRefusedError(text("smtp.tls_failed", server=server, reason=reason)) from None
    except (OSError, smtplib.SMTPException) as error:
        reason = getattr(error, "strerror", None) or type(error).__name__
        raise TemporaryTransportError(
            text("smtp.unreachable", server=server, reason=reason)
        ) from None
    finally:
        if client is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                client.quit()
            with contextlib.suppress(OSError):
                client.close()


class ImapKind:
    """IMAP/SMTP accounts: a password in the keyring, or OAuth 2.0 (XOAUTH2) tokens."""

    def _sign_in(self, account: Account, request: SignInRequest, services: AccountServices) -> str:
        """The OAuth sign-in (device code, or a browser window); the token for SMTP then
        comes silently from the same sign-in."""
        from desktop_app.services.oauth.interactive import sign_in_interactively

        client = oauth_client(account, services, IMAP_SCOPES)
        signed_in_as = sign_in_interactively(
            client, account.login_name, browser=request.browser, say=services.say
        )
        if signed_in_as and signed_in_as.lower() != account.login_name.lower():
            client.forget(signed_in_as)
            raise AccountError(
                text("exchange.oauth_wrong_account", signed=signed_in_as, email=account.login_name)
            )
        return client.token(account.login_name).value

    def add(self, account: Account, request: SignInRequest, services: AccountServices) -> str:
        if account.sign_in is SignIn.OAUTH2:
            secret = self._sign_in(account, request, services)
        elif request.password:
            secret = request.password
        else:
            raise AccountError(
                text("accounts.missing_option", kind="imap", option="--password-env")
            )
        try:
            self._prove(account, services, secret)
        except UserFacingError:
            self.forget(account, services)  # nothing is kept of a sign-in that did not work
            raise
        if account.sign_in is SignIn.OAUTH2:
            return text("imap.added_oauth", imap=account.imap, smtp=account.smtp)
        services.access.secrets().set(account.secret_name, secret)
        return text("imap.added", imap=account.imap, smtp=account.smtp)

    def _prove(self, account: Account, services: AccountServices, secret: str) -> None:
        open_imap(imap_account(account, services.timeout), _credential(account, secret)).close()
        credentials = smtp_credentials(account, services, secret)
        _prove_smtp(account, credentials, services.timeout)

    def test(self, account: Account, services: AccountServices) -> None:
        self._prove(account, services, stored_secret(account, services))

    def forget(self, account: Account, services: AccountServices) -> None:
        from desktop_app.services.secrets import SecretStoreUnavailable

        if account.sign_in is SignIn.OAUTH2:
            for scopes in (IMAP_SCOPES, (SMTP_SCOPE,)):
                oauth_client(account, services, scopes).forget(account.login_name)
            return
        with contextlib.suppress(SecretStoreUnavailable):
            services.access.secrets().delete(account.secret_name)

    def open_transport(self, account: Account, services: AccountServices) -> ImapPortTransport:
        try:
            secret = stored_secret(account, services)
            settings = imap_account(account, services.send_timeout)
            connection = open_imap(settings, _credential(account, secret))
            credentials = smtp_credentials(account, services, secret)
        except UserFacingError as error:
            raise as_transport_error(error) from None
        assert account.smtp is not None
        smtp = SmtpTransport(
            account.smtp, credentials, ca_file=account.ca_file, timeout=services.send_timeout
        )
        return ImapPortTransport(connection, smtp)

    def connector(
        self, account: Account, services: AccountServices
    ) -> Callable[[], ImapConnection]:
        """Opens a signed-in IMAP connection each time it is called (the keyring or the
        token cache is asked then, not now)."""
        settings = imap_account(account, services.timeout)

        def connect() -> ImapConnection:
            return open_imap(settings, _credential(account, stored_secret(account, services)))

        return connect

    def open_mailbox(self, account: Account, services: AccountServices) -> ImapPortMailbox:
        return ImapPortMailbox(self.connector(account, services))
