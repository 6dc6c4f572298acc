"""The ``m365`` account kind: Microsoft Graph for mail and lookups, SMTP XOAUTH2 for
messages over Graph's limit, both with tokens from one OAuth 2.0 sign-in.

One sign-in (device code or browser) asks for the Graph permissions; the token for
Outlook's SMTP.Send is then obtained silently with the same refresh token, from msal's
encrypted token cache. Nothing of the sign-in is stored in the account file.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.services.accounts.model import Account, AccountError
from desktop_app.services.graph.client import GraphClient
from desktop_app.services.graph.mail import GraphMailbox, M365Transport
from desktop_app.services.mail_server_errors import OAuthError
from desktop_app.services.oauth.client import OAuthClient
from desktop_app.services.oauth.config import OAuthConfig
from desktop_app.services.oauth.interactive import sign_in_interactively
from desktop_app.services.smtp.submission import SmtpCredentials, SmtpTransport
from desktop_app.services.transport.port import SentCopy

if TYPE_CHECKING:
    from desktop_app.services.accounts.kinds import AccountServices, SignInRequest

log = logging.getLogger(__name__)

GRAPH = "https://graph.microsoft.com/"
# Delegated permissions: read and send mail (Mail.ReadWrite covers getMailTips' Mail.Read
# and drafts), tell organisation mailboxes from external addresses, expand groups
# (GroupMember.Read.All needs an administrator's consent).
GRAPH_SCOPES = (
    GRAPH + "Mail.ReadWrite",
    GRAPH + "Mail.Send",
    GRAPH + "User.ReadBasic.All",
    GRAPH + "GroupMember.Read.All",
)
SMTP_SCOPE = "https://outlook.office.com/SMTP.Send"
# Microsoft documents that sendMail keeps a copy in Sent Items; for SMTP AUTH client
# submission it documents no such thing (README: "Microsoft 365"), so it is not promised.
SMTP_SENT_COPY = SentCopy.NOT_CONFIRMED


def _client(account: Account, services: AccountServices, scopes: tuple[str, ...]) -> OAuthClient:
    if account.oauth is None:
        raise AccountError(
            text("accounts.missing_option", kind=account.kind.value, option="--client-id")
        )
    config = OAuthConfig(account.oauth.authority, account.oauth.client_id, scopes)
    cache = services.access.oauth().token_cache(services.access.home)
    return OAuthClient(config, cache, verify=account.verify, timeout=services.timeout)


def graph_client(
    account: Account, services: AccountServices, *, timeout: float | None = None
) -> GraphClient:
    tokens = _client(account, services, GRAPH_SCOPES)
    user = account.login_name
    return GraphClient(
        account.graph_url or GRAPH + "v1.0",
        lambda force: tokens.token(user, force_refresh=force).value,
        verify=account.verify,
        timeout=timeout or services.timeout,
        sleep=services.sleep,
    )


def smtp_transport(account: Account, services: AccountServices) -> SmtpTransport | None:
    if account.smtp is None:
        return None
    tokens = _client(account, services, (SMTP_SCOPE,))
    user = account.login_name
    return SmtpTransport(
        account.smtp,
        SmtpCredentials(user, token=lambda: tokens.token(user).value),
        ca_file=account.ca_file,
        timeout=services.send_timeout,
        sent_copy=SMTP_SENT_COPY,
        sent_copy_where=text("smtp.sent_copy_unconfirmed"),
    )


class M365Kind:
    """Microsoft 365 through Graph (and SMTP for large messages)."""

    def _sign_in(
        self,
        client: OAuthClient,
        account: Account,
        request: SignInRequest,
        services: AccountServices,
    ) -> str:
        return sign_in_interactively(
            client,
            account.login_name,
            browser=request.browser,
            say=services.say,
            device_flow_started=services.device_flow_started,
        )

    def add(self, account: Account, request: SignInRequest, services: AccountServices) -> str:
        client = _client(account, services, GRAPH_SCOPES)
        signed_in_as = self._sign_in(client, account, request, services)
        if signed_in_as and signed_in_as.lower() != account.login_name.lower():
            client.forget(signed_in_as)
            raise OAuthError(
                text("exchange.oauth_wrong_account", signed=signed_in_as, email=account.login_name)
            )
        try:
            mailbox = self._prove(account, services)
        except UserFacingError:
            client.forget(account.login_name)  # nothing is kept of a sign-in that did not work
            raise
        detail = text(
            "graph.signed_in",
            user=account.login_name,
            mailbox=mailbox,
            kept=client.cache.kept_in or "memory only",
        )
        if account.smtp is not None:
            try:
                _client(account, services, (SMTP_SCOPE,)).token(account.login_name)
            except UserFacingError as error:
                log.info("m365: no SMTP token from the same sign-in")
                detail += " " + text("graph.smtp_token_failed", reason=error.message)
        return detail

    def _prove(self, account: Account, services: AccountServices) -> str:
        graph = graph_client(account, services)
        try:
            me = graph.get_json("/me", {"$select": "mail,userPrincipalName"})
        finally:
            graph.close()
        return str(me.get("mail") or me.get("userPrincipalName") or account.email)

    def test(self, account: Account, services: AccountServices) -> None:
        self._prove(account, services)

    def forget(self, account: Account, services: AccountServices) -> None:
        try:
            _client(account, services, GRAPH_SCOPES).forget(account.login_name)
        except UserFacingError:
            log.info("m365: the token cache could not be cleared (authority unreachable)")

    def open_transport(self, account: Account, services: AccountServices) -> M365Transport:
        graph = graph_client(account, services, timeout=services.send_timeout)
        return M365Transport(graph, smtp_transport(account, services))

    def open_mailbox(self, account: Account, services: AccountServices) -> GraphMailbox:
        return GraphMailbox(graph_client(account, services))
