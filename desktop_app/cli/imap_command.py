"""``smime-guard account add --kind imap`` and ``smime-guard inbox`` for IMAP/SMTP accounts.

``add_imap_options`` and the ``run_*`` functions are what the shared ``account`` command
calls for the imap kind; ``add_account_commands`` registers a provisional ``account`` and
``inbox`` grammar (imap kind only) until that shared command exists.
Only the standard library is imported at the top: the grammar is built on every start.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.cli.exit_codes import EXIT_OK
from desktop_app.core.errors import UserFacingError

if TYPE_CHECKING:
    from desktop_app.services.imap.settings import Credential, ImapAccount
    from desktop_app.services.mailbox.source import MessageDetail, MessageSummary
    from desktop_app.services.secrets import SecretStore

SecretStoreFactory = Callable[[], "SecretStore"]

KINDS = ("imap",)  # the kinds this provisional grammar knows
DEFAULT_LIMIT = 20
ADDED = "Account {name} ({kind}, {email}) added: signed in to IMAP {imap} and SMTP {smtp}."
TESTED = "Account {name}: signed in to IMAP {imap} and SMTP {smtp}."
REMOVED = "Account {name} removed (its keyring entry too)."
NO_ACCOUNTS = "No accounts yet: add one with `smime-guard account add`."
ACCOUNT_LINE = "{name}  {kind}  {email}  IMAP {imap}  SMTP {smtp}"
INBOX_LINE = "{date}  {sender}  {subject}  [{security}]"
EMPTY_INBOX = "The inbox is empty."
HARVESTED = "  learnt the certificate of {address}"
EPILOG_ADD = (
    "The password (or XOAUTH2 token) is read from the environment variable named by "
    "--password-env (--token-env), never from the command line, and kept only in the "
    "system keyring. Exit status: 0 added, 2 the connection could not be proven (nothing "
    "kept)."
)


class AccountOptionError(UserFacingError):
    """An option missing or unusable for ``account add``."""


def add_imap_options(add: argparse.ArgumentParser) -> None:
    """The options of ``account add`` for the imap kind."""
    add.add_argument("--imap", metavar="HOST:PORT", help="IMAP server (993: TLS, else STARTTLS)")
    add.add_argument(
        "--smtp", metavar="HOST:PORT", help="SMTP submission (465: TLS, else STARTTLS)"
    )
    add.add_argument("--username", metavar="U", help="sign-in name (default: the address)")
    add.add_argument("--password-env", metavar="VAR", help="environment variable with the password")
    add.add_argument(
        "--token-env", metavar="VAR", help="environment variable with an XOAUTH2 access token"
    )
    add.add_argument("--ca-file", metavar="PEM", help="trust this CA for the servers' TLS")


def add_account_commands(
    subcommands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """Provisional ``account`` and ``inbox`` commands (imap kind only)."""
    account = subcommands.add_parser("account", help="mail accounts: add, list, test, remove")
    actions = account.add_subparsers(dest="account_action", required=True, metavar="ACTION")
    add = actions.add_parser(
        "add", help="prove the connection once, then keep the account", epilog=EPILOG_ADD
    )
    add.add_argument("--kind", choices=KINDS, required=True)
    add.add_argument("--email", required=True, metavar="ADDR")
    add.add_argument("--name", metavar="NAME", help="what to call it (default: the address)")
    add_imap_options(add)
    listing = actions.add_parser("list", help="list the accounts")
    listing.add_argument("--json", action="store_true")
    for action in ("test", "remove"):
        parser = actions.add_parser(action, help=f"{action} an account")
        parser.add_argument("name", metavar="NAME")
    inbox = subcommands.add_parser("inbox", help="list the inbox with each message's security")
    inbox.add_argument("--account", metavar="NAME", help="which account (default: the only one)")
    inbox.add_argument("--limit", type=int, default=DEFAULT_LIMIT, metavar="N")
    inbox.add_argument("--json", action="store_true", help="print one JSON document")
    inbox.add_argument(
        "--harvest", action="store_true", help="store certificates from valid signatures"
    )


def _secret(arguments: argparse.Namespace) -> Credential:
    from desktop_app.services.imap.settings import Credential, SignIn

    variable, sign_in = arguments.password_env, SignIn.PASSWORD
    if arguments.token_env:
        variable, sign_in = arguments.token_env, SignIn.XOAUTH2
    if not variable:
        raise AccountOptionError("Name the variable holding the password: --password-env VAR.")
    value = os.environ.get(variable, "")
    if not value:
        raise AccountOptionError(f"The environment variable {variable} is empty or not set.")
    return Credential(sign_in, value)


def _account_from(arguments: argparse.Namespace, credential: Credential) -> ImapAccount:
    from desktop_app.services.imap.settings import ImapAccount, parse_endpoint

    if not arguments.imap or not arguments.smtp:
        raise AccountOptionError("An IMAP account needs --imap HOST:PORT and --smtp HOST:PORT.")
    ca_file = Path(arguments.ca_file).expanduser() if arguments.ca_file else None
    if ca_file is not None and not ca_file.is_file():
        raise AccountOptionError(f"The CA file {ca_file} does not exist.")
    return ImapAccount(
        email=arguments.email,
        imap=parse_endpoint(arguments.imap),
        smtp=parse_endpoint(arguments.smtp),
        username=arguments.username or arguments.email,
        sign_in=credential.sign_in,
        ca_file=ca_file,
    )


def _prove(account: ImapAccount, credential: Credential) -> None:
    """Sign in to both servers once; raises what they said."""
    from desktop_app.services.imap.connection import open_imap
    from desktop_app.services.imap.submission import check_sign_in

    open_imap(account, credential).close()
    check_sign_in(account, credential)


def _add(arguments: argparse.Namespace, home: Path, open_secrets: SecretStoreFactory) -> int:
    from desktop_app.services.imap.accounts import save_account, secret_name

    credential = _secret(arguments)
    account = _account_from(arguments, credential)
    name = arguments.name or arguments.email
    _prove(account, credential)
    open_secrets().set(secret_name(name), credential.secret)
    save_account(home, name, account)
    print(
        ADDED.format(
            name=name, kind="imap", email=account.email, imap=account.imap, smtp=account.smtp
        )
    )
    return EXIT_OK


def _list(arguments: argparse.Namespace, home: Path) -> int:
    from desktop_app.services.imap.accounts import account_names, load_account

    rows = []
    for name in account_names(home):
        account = load_account(home, name)
        rows.append(
            {
                "name": name,
                "kind": "imap",
                "email": account.email,
                "imap": str(account.imap),
                "smtp": str(account.smtp),
            }
        )
    if arguments.json:
        print(json.dumps({"accounts": rows}, indent=2))
    elif not rows:
        print(NO_ACCOUNTS)
    for row in rows if not arguments.json else []:
        print(ACCOUNT_LINE.format(**row))
    return EXIT_OK


def run_account(
    arguments: argparse.Namespace, home: Path, *, open_secrets: SecretStoreFactory | None = None
) -> int:
    """``account add|list|test|remove``; a UserFacingError is left to the caller (exit 2)."""
    from desktop_app.services.imap.accounts import load_account, remove_account, stored_credential
    from desktop_app.services.secrets import system_secret_store

    secrets = open_secrets or system_secret_store
    action = arguments.account_action
    if action == "add":
        return _add(arguments, home, secrets)
    if action == "list":
        return _list(arguments, home)
    if action == "remove":
        remove_account(home, arguments.name, secrets())
        print(REMOVED.format(name=arguments.name))
        return EXIT_OK
    account = load_account(home, arguments.name)
    _prove(account, stored_credential(arguments.name, account, secrets))
    print(TESTED.format(name=arguments.name, imap=account.imap, smtp=account.smtp))
    return EXIT_OK


def _only_account(home: Path, wanted: str | None) -> str:
    from desktop_app.services.imap.accounts import account_names

    if wanted:
        return wanted
    names = account_names(home)
    if len(names) != 1:
        raise AccountOptionError("Name the account with --account NAME (see `account list`).")
    return names[0]


def _security(summary: MessageSummary, detail: MessageDetail | None) -> dict[str, Any]:
    security = detail.security if detail is not None else None
    return {
        "encryption": summary.encryption.value,
        "signature": summary.signature.value,
        "signature_valid": security.signature_valid if security else None,
        "signer": security.signer if security else None,
        "failure": security.failure if security else None,
        "reason": security.reason if security else "",
    }


def _label(row: dict[str, Any]) -> str:
    parts = []
    if row["encryption"] != "none":
        parts.append("encrypted" if not row["failure"] else "encrypted, not opened")
    if row["signature"] != "none":
        valid = row["signature_valid"]
        parts.append(
            "signed"
            if valid
            else "signature NOT valid"
            if valid is False
            else "signed, not checked"
        )
    return ", ".join(parts) or "plain"


def run_inbox(
    arguments: argparse.Namespace, home: Path, *, open_secrets: SecretStoreFactory | None = None
) -> int:
    """``inbox``: the newest ``--limit`` messages with their security; ``--harvest`` learns
    certificates from valid signatures, as ``open --harvest`` does."""
    from desktop_app.cli.open_command import _harvest, _identity
    from desktop_app.core.pki.certstore import CertStore
    from desktop_app.core.smime.open_message import open_message
    from desktop_app.services.imap.accounts import load_account, stored_credential
    from desktop_app.services.imap.connection import open_imap
    from desktop_app.services.imap.inbox_source import ImapMailboxSource
    from desktop_app.services.mailbox.opening import MessageOpener
    from desktop_app.services.mailbox.source import Encryption, Signature
    from desktop_app.services.paths import store_path
    from desktop_app.services.secrets import system_secret_store

    secrets = open_secrets or system_secret_store
    name = _only_account(home, arguments.account)
    account = load_account(home, name)
    credential = stored_credential(name, account, secrets)
    now = dt.datetime.now(dt.UTC)
    source = ImapMailboxSource(lambda: open_imap(account, credential), account.email)
    opener = MessageOpener(store_path(home), lambda: _identity(home, secrets), lambda: now)
    rows: list[dict[str, Any]] = []
    try:
        offset, more = 0, True
        while more and len(rows) < max(arguments.limit, 0):
            page = source.list_page(offset)
            for summary in page.messages[: arguments.limit - len(rows)]:
                detail = None
                protected = (
                    summary.encryption is not Encryption.NONE
                    or summary.signature is not Signature.NONE
                )
                if protected:
                    detail = opener(source.fetch(summary.message_id))
                row = {
                    "id": summary.message_id,
                    "from": summary.sender_address,
                    "subject": summary.subject,
                    "date": summary.date.isoformat() if summary.date else None,
                    **_security(summary, detail),
                    "harvested": None,
                }
                if arguments.harvest and detail is not None and row["signature_valid"]:
                    with CertStore.open(store_path(home)) as store:
                        identity = (
                            _identity(home, secrets)
                            if summary.encryption is not Encryption.NONE
                            else None
                        )
                        opened = open_message(
                            detail.raw, identity=identity, trust=store.trust_context(), at=now
                        )
                        decision = _harvest(store, opened, now)
                    if decision is not None and decision.harvested:
                        row["harvested"] = opened.from_key
                rows.append(row)
            offset, more = offset + len(page.messages), page.more and bool(page.messages)
    finally:
        source.close()
    _print_inbox(rows, json_output=arguments.json)
    return EXIT_OK


def _print_inbox(rows: list[dict[str, Any]], *, json_output: bool) -> None:
    if json_output:
        print(json.dumps({"messages": rows}, ensure_ascii=False, indent=2))
        return
    if not rows:
        print(EMPTY_INBOX)
    for row in rows:
        print(
            INBOX_LINE.format(
                date=row["date"] or "-",
                sender=row["from"],
                subject=row["subject"],
                security=_label(row),
            )
        )
        if row["harvested"]:
            print(HARVESTED.format(address=row["harvested"]))
