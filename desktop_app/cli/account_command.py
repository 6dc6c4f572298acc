"""``smime-guard account add|list|test|remove``: mail accounts of every kind."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.cli.exit_codes import EXIT_OK
from desktop_app.core.messages import text

if TYPE_CHECKING:
    from desktop_app.services.accounts.kinds import AccountServices
    from desktop_app.services.accounts.model import Account
    from desktop_app.services.exchange.oauth import OAuthContext
    from desktop_app.services.secrets import SecretStore

SecretStoreFactory = Callable[[], "SecretStore"]

GRAPH_URL = "https://graph.microsoft.com/v1.0"
M365_SMTP = "smtp.office365.com:587"


def account_services(
    home: Path,
    *,
    open_secrets: SecretStoreFactory | None,
    oauth: OAuthContext | None,
    clock: Callable[[], dt.datetime],
    sleep: Callable[[float], None] | None = None,
    ca_file: str | None = None,
) -> AccountServices:
    from desktop_app.services.accounts.kinds import AccountServices
    from desktop_app.services.exchange.oauth import OAuthContext
    from desktop_app.services.secrets import system_secret_store

    services = AccountServices(
        home,
        open_secrets or system_secret_store,
        oauth or OAuthContext(verify=ca_file or True),
        clock,
    )
    if sleep is not None:
        services.sleep = sleep
    return services


def _password(arguments: argparse.Namespace) -> str | None:
    from desktop_app.cli.certs_commands import PasswordEnvironmentError

    if not arguments.password_env:
        return None
    value = os.environ.get(arguments.password_env)
    if value is None:
        raise PasswordEnvironmentError(
            text("cli.password_env_unset", variable=arguments.password_env)
        )
    return value


def _new_account(arguments: argparse.Namespace) -> Account:
    from desktop_app.core.recipients.addresses import MailboxKind, parse_mailbox
    from desktop_app.services.accounts.model import (
        Account,
        AccountError,
        AccountKind,
        OAuthSettings,
        Security,
        SignIn,
        check_name,
        check_security,
        parse_endpoint,
    )
    from desktop_app.services.exchange.account import authority_url

    kind = AccountKind(arguments.kind)
    mailbox = parse_mailbox(arguments.email)
    if mailbox.kind is not MailboxKind.SMTP:
        raise AccountError(text("exchange.not_an_email", address=arguments.email))
    oauth = None
    if arguments.client_id:
        oauth = OAuthSettings(authority_url(arguments.authority), arguments.client_id.strip())
    if kind is AccountKind.M365 and oauth is None:
        raise AccountError(text("accounts.missing_option", kind=kind.value, option="--client-id"))
    if kind is AccountKind.IMAP and not arguments.imap:
        raise AccountError(text("accounts.missing_option", kind=kind.value, option="--imap"))
    smtp_value = arguments.smtp or (M365_SMTP if kind is AccountKind.M365 else None)
    if kind is AccountKind.IMAP and not smtp_value:
        raise AccountError(text("accounts.missing_option", kind=kind.value, option="--smtp"))
    imap = check_security(parse_endpoint(arguments.imap, Security.TLS)) if arguments.imap else None
    smtp = check_security(parse_endpoint(smtp_value, Security.STARTTLS)) if smtp_value else None
    graph_url = (arguments.graph_url or GRAPH_URL).rstrip("/") if kind is AccountKind.M365 else None
    if graph_url is not None and not graph_url.lower().startswith("https://"):
        from desktop_app.services.exchange.account import BadServerUrlError

        raise BadServerUrlError(text("exchange.oauth_needs_https", url=graph_url))
    return Account(
        name=check_name(arguments.name or kind.value),
        kind=kind,
        email=mailbox.address,
        sign_in=SignIn.OAUTH2 if oauth is not None else SignIn.PASSWORD,
        username=arguments.username or None,
        oauth=oauth,
        graph_url=graph_url,
        imap=imap,
        smtp=smtp,
        ca_file=str(Path(arguments.ca_file).resolve()) if arguments.ca_file else None,
    )


def _add_exchange(arguments: argparse.Namespace, services: AccountServices) -> int:
    """``exchange login``'s sign-in, under the account grammar."""
    from desktop_app.cli.exchange_login import run_login
    from desktop_app.services.exchange.account import ExchangeSettings

    login = argparse.Namespace(
        email=arguments.email,
        server=arguments.ews_url,
        autodiscover=not arguments.ews_url,
        username=arguments.username,
        auth="oauth2" if arguments.client_id else "ntlm",
        password_env=arguments.password_env,
        client_id=arguments.client_id,
        tenant=arguments.authority,
        browser=arguments.browser,
    )
    return run_login(
        login, services.home, services.open_secrets, ExchangeSettings(), None, services.oauth
    )


def _add(arguments: argparse.Namespace, services: AccountServices) -> int:
    from desktop_app.services.accounts.kinds import SignInRequest, kind_support
    from desktop_app.services.accounts.model import AccountError
    from desktop_app.services.accounts.store import list_accounts, save_account

    if arguments.kind == "exchange":
        return _add_exchange(arguments, services)
    account = _new_account(arguments)
    if any(existing.name == account.name for existing in list_accounts(services.home)):
        raise AccountError(text("accounts.exists", name=account.name))
    request = SignInRequest(password=_password(arguments), browser=bool(arguments.browser))
    detail = kind_support(account.kind).add(account, request, services)
    save_account(services.home, account)
    print(
        text(
            "accounts.added", name=account.name, kind=account.kind.value, email=account.email,
            detail=detail,
        )
    )  # fmt: skip
    return EXIT_OK


def _list(arguments: argparse.Namespace, services: AccountServices) -> int:
    from desktop_app.services.accounts.store import account_document, list_accounts

    accounts = list_accounts(services.home)
    if arguments.json:
        documents = [account_document(account) for account in accounts]
        for document in documents:
            document.pop("format", None)
        print(json.dumps({"accounts": documents}, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not accounts:
        print(text("accounts.none"))
    for account in accounts:
        servers = [
            str(server) for server in (account.graph_url, account.imap, account.smtp) if server
        ]
        print(f"{account.name}  {account.kind.value}  {account.email}  {'  '.join(servers)}")
    return EXIT_OK


def _test(arguments: argparse.Namespace, services: AccountServices) -> int:
    from desktop_app.services.accounts.kinds import kind_support
    from desktop_app.services.accounts.store import pick_account

    account = pick_account(services.home, arguments.name)
    kind_support(account.kind).test(account, services)
    if arguments.json:
        document = {"name": account.name, "kind": account.kind.value, "ok": True}
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        print(text("accounts.test_ok", name=account.name, kind=account.kind.value))
    return EXIT_OK


def _remove(arguments: argparse.Namespace, services: AccountServices) -> int:
    from desktop_app.services.accounts.kinds import kind_support
    from desktop_app.services.accounts.store import load_account, remove_account_file

    account = load_account(services.home, arguments.name)
    kind_support(account.kind).forget(account, services)
    remove_account_file(services.home, account.name)
    if arguments.json:
        print(json.dumps({"removed": account.name}, ensure_ascii=False, indent=2))
    else:
        print(text("accounts.removed", name=account.name))
    return EXIT_OK


def run_account(arguments: argparse.Namespace, services: AccountServices) -> int:
    """Run ``account add|list|test|remove``; a UserFacingError is left to the caller."""
    command = arguments.account_command
    if command == "add":
        return _add(arguments, services)
    if command == "test":
        return _test(arguments, services)
    if command == "remove":
        return _remove(arguments, services)
    return _list(arguments, services)


ACCOUNT_COMMANDS = frozenset({"account", "send", "outbox", "retry", "inbox"})


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def run_accounts(
    arguments: argparse.Namespace,
    home: Path,
    *,
    open_secrets: SecretStoreFactory | None = None,
    oauth: OAuthContext | None = None,
    clock: Callable[[], dt.datetime] = _now,
    sleep: Callable[[float], None] | None = None,
    timeouts: tuple[float, float] | None = None,
) -> int:
    """Run ``account ...``, ``send``, ``outbox``, ``retry`` or ``inbox``.

    ``oauth`` carries OAuth token caches between commands of one process (tests);
    ``timeouts`` are seconds for a request and for sending one message.
    """
    ca_file = getattr(arguments, "ca_file", None)
    services = account_services(
        home, open_secrets=open_secrets, oauth=oauth, clock=clock, sleep=sleep, ca_file=ca_file
    )
    if timeouts is not None:
        services.timeout, services.send_timeout = timeouts
    if arguments.command == "account":
        return run_account(arguments, services)
    from desktop_app.cli.mail_commands import run_mail_command

    return run_mail_command(arguments, services)
