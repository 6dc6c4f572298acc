"""Accounts in the home folder: ``<home>/accounts/<name>.json``, each replaced whole.

The Exchange account of earlier versions (``<home>/exchange/account.json``) is listed
too, as the account ``exchange``: the ``exchange`` commands keep working on it.
"""

from __future__ import annotations

from pathlib import Path

from desktop_app.core.messages import text
from desktop_app.services.accounts.model import (
    Account,
    AccountError,
    AccountKind,
    Endpoint,
    OAuthSettings,
    Security,
    SignIn,
    check_account_name,
)
from desktop_app.services.json_files import StorageError, read_json, write_json

ACCOUNTS_FOLDER_NAME = "accounts"
ACCOUNT_FORMAT = 1
LEGACY_EXCHANGE_NAME = "exchange"


def accounts_folder(home: Path) -> Path:
    return home / ACCOUNTS_FOLDER_NAME


def account_folder(home: Path, name: str) -> Path:
    """Where one account keeps its own files (outbox, token cache)."""
    return accounts_folder(home) / check_account_name(name)


def _path(home: Path, name: str) -> Path:
    return accounts_folder(home) / f"{check_account_name(name)}.json"


def _endpoint(endpoint: Endpoint | None) -> dict[str, object] | None:
    if endpoint is None:
        return None
    return {"host": endpoint.host, "port": endpoint.port, "security": endpoint.security.value}


def account_document(account: Account) -> dict[str, object]:
    """The stored (and ``account list --json``) form of an account: nothing secret."""
    return {
        "format": ACCOUNT_FORMAT,
        "name": account.name,
        "kind": account.kind.value,
        "email": account.email,
        "sign_in": account.sign_in.value,
        "username": account.username,
        "oauth": (
            {"authority": account.oauth.authority, "client_id": account.oauth.client_id}
            if account.oauth
            else None
        ),
        "graph_url": account.graph_url,
        "imap": _endpoint(account.imap),
        "smtp": _endpoint(account.smtp),
        "ca_file": account.ca_file,
    }


def _read_endpoint(value: object) -> Endpoint | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValueError("endpoint")
    port = value.get("port")
    if not isinstance(port, int):
        raise ValueError("port")
    return Endpoint(str(value["host"]), port, Security(value["security"]))


def _optional_text(document: dict[str, object], key: str) -> str | None:
    value = document.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(key)
    return value


def account_from_document(document: object) -> Account:
    """The account a document describes; ValueError, KeyError or TypeError if damaged."""
    if not isinstance(document, dict) or document.get("format") != ACCOUNT_FORMAT:
        raise ValueError("format")
    oauth = document.get("oauth")
    if oauth is not None and not isinstance(oauth, dict):
        raise ValueError("oauth")
    return Account(
        name=check_account_name(str(document["name"])),
        kind=AccountKind(document["kind"]),
        email=str(document["email"]),
        sign_in=SignIn(document["sign_in"]),
        username=_optional_text(document, "username"),
        oauth=OAuthSettings(str(oauth["authority"]), str(oauth["client_id"])) if oauth else None,
        graph_url=_optional_text(document, "graph_url"),
        imap=_read_endpoint(document.get("imap")),
        smtp=_read_endpoint(document.get("smtp")),
        ca_file=_optional_text(document, "ca_file"),
    )


def save_account(home: Path, account: Account) -> None:
    write_json(_path(home, account.name), account_document(account))


def load_account(home: Path, name: str) -> Account:
    """The account called ``name``; AccountError if there is none or it is damaged."""
    path = _path(home, name)
    document = read_json(path)
    if document is None:
        legacy = _legacy_exchange(home) if name == LEGACY_EXCHANGE_NAME else None
        if legacy is None:
            raise AccountError(text("accounts.unknown", name=name))
        return legacy
    try:
        return account_from_document(document)
    except (KeyError, ValueError, TypeError, AccountError):
        raise AccountError(text("accounts.file_invalid", path=path)) from None


def _legacy_exchange(home: Path) -> Account | None:
    """The Exchange account of ``exchange login``, as an account of kind exchange."""
    from desktop_app.services.exchange.account import AuthType, load_exchange_account
    from desktop_app.services.mail_server_errors import MailServerError

    try:
        config = load_exchange_account(home)
    except (MailServerError, StorageError):
        return None
    except Exception:  # AccountFileError and the like: listed as unusable elsewhere
        return None
    oauth = config.oauth
    return Account(
        name=LEGACY_EXCHANGE_NAME,
        kind=AccountKind.EXCHANGE,
        email=config.email,
        sign_in=SignIn.OAUTH2 if config.auth is AuthType.OAUTH2 else SignIn.PASSWORD,
        username=config.username,
        oauth=OAuthSettings(oauth.authority, oauth.client_id) if oauth else None,
    )


def list_accounts(home: Path) -> tuple[Account, ...]:
    """Every account of ``home``, by name; damaged files are skipped (``test`` names them)."""
    found: dict[str, Account] = {}
    folder = accounts_folder(home)
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        try:
            account = account_from_document(read_json(path))
        except (KeyError, ValueError, TypeError, AccountError, StorageError):
            continue
        found[account.name] = account
    if LEGACY_EXCHANGE_NAME not in found:
        legacy = _legacy_exchange(home)
        if legacy is not None:
            found[legacy.name] = legacy
    return tuple(found[name] for name in sorted(found))


def remove_account_file(home: Path, name: str) -> None:
    _path(home, name).unlink(missing_ok=True)


def pick_account(home: Path, name: str | None) -> Account:
    """The account ``name``, or the only one there is."""
    if name:
        return load_account(home, name)
    accounts = list_accounts(home)
    if not accounts:
        raise AccountError(text("accounts.none"))
    if len(accounts) > 1:
        names = ", ".join(account.name for account in accounts)
        raise AccountError(text("accounts.choose", names=names))
    return accounts[0]
