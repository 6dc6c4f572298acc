"""Adding an account, the same for the command line and the window: check what was
entered, prove the connection once, then keep the account (secrets apart)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.messages import text
from desktop_app.services.accounts.model import (
    Account,
    AccountError,
    AccountKind,
    OAuthSettings,
    Security,
    SignIn,
    check_account_name,
    check_security,
    parse_endpoint,
)

if TYPE_CHECKING:
    from desktop_app.services.accounts.kinds import AccountServices, SignInRequest

GRAPH_URL = "https://graph.microsoft.com/v1.0"
M365_SMTP = "smtp.office365.com:587"


def new_account(
    kind: AccountKind,
    email: str,
    *,
    name: str | None = None,
    client_id: str | None = None,
    authority: str | None = None,
    graph_url: str | None = None,
    imap: str | None = None,
    smtp: str | None = None,
    username: str | None = None,
    ca_file: str | None = None,
) -> Account:
    """The account these details describe; AccountError (or another UserFacingError)
    saying what is missing or wrong. Nothing is stored."""
    from desktop_app.core.recipients.addresses import MailboxKind, parse_mailbox
    from desktop_app.services.exchange.account import BadServerUrlError
    from desktop_app.services.oauth.config import authority_url

    mailbox = parse_mailbox(email)
    if mailbox.kind is not MailboxKind.SMTP:
        raise AccountError(text("exchange.not_an_email", address=email))
    oauth = None
    if client_id and client_id.strip():
        oauth = OAuthSettings(authority_url(authority), client_id.strip())
    if kind is AccountKind.M365 and oauth is None:
        raise AccountError(text("accounts.missing_option", kind=kind.value, option="--client-id"))
    if kind is AccountKind.IMAP and not imap:
        raise AccountError(text("accounts.missing_option", kind=kind.value, option="--imap"))
    smtp_value = smtp or (M365_SMTP if kind is AccountKind.M365 else None)
    if kind is AccountKind.IMAP and not smtp_value:
        raise AccountError(text("accounts.missing_option", kind=kind.value, option="--smtp"))
    graph = (graph_url or GRAPH_URL).rstrip("/") if kind is AccountKind.M365 else None
    if graph is not None and not graph.lower().startswith("https://"):
        raise BadServerUrlError(text("exchange.oauth_needs_https", url=graph))
    return Account(
        name=check_account_name(name or kind.value),
        kind=kind,
        email=mailbox.address,
        sign_in=SignIn.OAUTH2 if oauth is not None else SignIn.PASSWORD,
        username=username or None,
        oauth=oauth,
        graph_url=graph,
        imap=check_security(parse_endpoint(imap, Security.TLS)) if imap else None,
        smtp=check_security(parse_endpoint(smtp_value, Security.STARTTLS)) if smtp_value else None,
        ca_file=str(Path(ca_file).resolve()) if ca_file else None,
    )


def add_account(account: Account, request: SignInRequest, services: AccountServices) -> str:
    """Prove ``account``'s connection, keep its secrets, store it; a sentence on how it went.

    Raises:
        AccountError: an account of that name exists. Any ``UserFacingError`` of the kind:
            nothing was stored.
    """
    from desktop_app.services.accounts.kinds import kind_support
    from desktop_app.services.accounts.store import list_accounts, save_account

    if any(existing.name == account.name for existing in list_accounts(services.access.home)):
        raise AccountError(text("accounts.exists", name=account.name))
    detail = kind_support(account.kind).add(account, request, services)
    save_account(services.access.home, account)
    return detail
