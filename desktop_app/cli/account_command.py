"""``smime-guard account add|list|test|remove``: mail accounts of every kind."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.cli.exit_codes import EXIT_OK
from desktop_app.core.messages import text

if TYPE_CHECKING:
    from desktop_app.services.accounts.kinds import AccountServices
    from desktop_app.services.accounts.model import Account
    from desktop_app.services.mail_access import MailAccess


def account_access(arguments: argparse.Namespace, home: Path) -> MailAccess:
    """What the account commands reach; ``--ca-file`` also verifies the sign-in service."""
    from desktop_app.services.mail_access import MailAccess

    ca_file = getattr(arguments, "ca_file", None)
    if ca_file is None:
        return MailAccess(home)
    from desktop_app.services.oauth.client import OAuthContext

    return MailAccess(home, oauth=OAuthContext(verify=ca_file))


def _new_account(arguments: argparse.Namespace) -> Account:
    from desktop_app.services.accounts.adding import new_account
    from desktop_app.services.accounts.model import AccountKind

    return new_account(
        AccountKind(arguments.kind),
        arguments.email,
        name=arguments.name,
        client_id=arguments.client_id,
        authority=arguments.authority,
        graph_url=arguments.graph_url,
        imap=arguments.imap,
        smtp=arguments.smtp,
        username=arguments.username,
        ca_file=arguments.ca_file,
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
    return run_login(login, services.access, ExchangeSettings())


def _add(arguments: argparse.Namespace, services: AccountServices) -> int:
    from desktop_app.cli.password_env import password_from_environment
    from desktop_app.services.accounts.adding import add_account
    from desktop_app.services.accounts.kinds import SignInRequest

    if arguments.kind == "exchange":
        return _add_exchange(arguments, services)
    account = _new_account(arguments)
    request = SignInRequest(
        password=password_from_environment(arguments), browser=bool(arguments.browser)
    )
    detail = add_account(account, request, services)
    print(
        text(
            "accounts.added", name=account.name, kind=account.kind.value, email=account.email,
            detail=detail,
        )
    )  # fmt: skip
    return EXIT_OK


def _list(arguments: argparse.Namespace, services: AccountServices) -> int:
    from desktop_app.services.accounts.store import account_document, list_accounts

    accounts = list_accounts(services.access.home)
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

    account = pick_account(services.access.home, arguments.name)
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

    account = load_account(services.access.home, arguments.name)
    kind_support(account.kind).forget(account, services)
    remove_account_file(services.access.home, account.name)
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


def run_accounts(
    arguments: argparse.Namespace,
    access: MailAccess,
    *,
    sleep: Callable[[float], None] | None = None,
    timeouts: tuple[float, float] | None = None,
) -> int:
    """Run ``account ...``, ``send``, ``outbox``, ``retry`` or ``inbox``.

    ``access`` carries OAuth token caches between commands of one process (tests);
    ``timeouts`` are seconds for a request and for sending one message.
    """
    from desktop_app.services.accounts.kinds import AccountServices

    services = AccountServices(access)
    if sleep is not None:
        services.sleep = sleep
    if timeouts is not None:
        services.timeout, services.send_timeout = timeouts
    if arguments.command == "account":
        return run_account(arguments, services)
    from desktop_app.cli.mail_commands import run_mail_command

    return run_mail_command(arguments, services)
