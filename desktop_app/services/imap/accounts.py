"""IMAP/SMTP accounts of a home: settings in ``accounts/<name>.json``, secrets in the keyring.

Provisional until the shared account model lands: one JSON file per account with its
``kind`` ("imap"), so other kinds can live beside it; the password or token only ever in
the keyring, under ``account:<name>:secret``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.services.exchange.storage import read_json, write_json
from desktop_app.services.imap.settings import (
    DEFAULT_TIMEOUT_SECONDS,
    Credential,
    Endpoint,
    ImapAccount,
    SignIn,
)

if TYPE_CHECKING:
    from desktop_app.services.secrets import SecretStore

ACCOUNTS_FOLDER = "accounts"
KIND = "imap"
_NAME = re.compile(r"^[A-Za-z0-9@._+-]{1,100}$")


class AccountError(UserFacingError):
    """No such account, a damaged account file, or a name that cannot be a file name."""


def _path(home: Path, name: str) -> Path:
    if not _NAME.match(name) or name.startswith("."):
        raise AccountError(text("imap.bad_account_name", name=name))
    return home / ACCOUNTS_FOLDER / f"{name}.json"


def secret_name(name: str) -> str:
    return f"account:{name}:secret"


def _document(account: ImapAccount) -> dict[str, object]:
    return {
        "kind": KIND,
        "email": account.email,
        "imap": {
            "host": account.imap.host,
            "port": account.imap.port,
            "tls": account.imap.implicit_tls,
        },
        "smtp": {
            "host": account.smtp.host,
            "port": account.smtp.port,
            "tls": account.smtp.implicit_tls,
        },
        "username": account.username,
        "sign_in": account.sign_in.value,
        "ca_file": str(account.ca_file) if account.ca_file else None,
        "timeout": account.timeout,
    }


def _endpoint(value: object) -> Endpoint:
    if not isinstance(value, dict):
        raise TypeError("endpoint")
    host, port, tls = value["host"], value["port"], value.get("tls", False)
    if not isinstance(host, str) or not isinstance(port, int) or not isinstance(tls, bool):
        raise TypeError("endpoint")
    return Endpoint(host, port, implicit_tls=tls)


def save_account(home: Path, name: str, account: ImapAccount) -> Path:
    path = _path(home, name)
    write_json(path, _document(account))
    return path


def load_account(home: Path, name: str) -> ImapAccount:
    """The IMAP account called ``name``.

    Raises:
        AccountError: none by that name, another kind, or a damaged file.
    """
    path = _path(home, name)
    document = read_json(path)
    if document is None:
        raise AccountError(text("imap.no_account", name=name))
    try:
        assert isinstance(document, dict)
        if document.get("kind") != KIND:
            raise AccountError(text("imap.other_kind", name=name, kind=document.get("kind")))
        ca_file = document.get("ca_file")
        return ImapAccount(
            email=str(document["email"]),
            imap=_endpoint(document["imap"]),
            smtp=_endpoint(document["smtp"]),
            username=str(document["username"]),
            sign_in=SignIn(document.get("sign_in", SignIn.PASSWORD.value)),
            ca_file=Path(ca_file) if isinstance(ca_file, str) else None,
            timeout=float(document.get("timeout", DEFAULT_TIMEOUT_SECONDS)),
        )
    except (AssertionError, KeyError, TypeError, ValueError):
        raise AccountError(text("imap.damaged_account", path=path)) from None


def account_names(home: Path) -> list[str]:
    """Names of the IMAP accounts of ``home``, sorted."""
    folder = home / ACCOUNTS_FOLDER
    names = []
    for path in sorted(folder.glob("*.json")):
        document = read_json(path)
        if isinstance(document, dict) and document.get("kind") == KIND:
            names.append(path.stem)
    return names


def remove_account(home: Path, name: str, secrets: SecretStore) -> None:
    _path(home, name).unlink(missing_ok=True)
    secrets.delete(secret_name(name))


def stored_credential(
    name: str, account: ImapAccount, open_secrets: Callable[[], SecretStore]
) -> Credential:
    """The account's password or token from the keyring.

    Raises:
        AccountError: the keyring holds none (sign in again with ``account add``).
    """
    secret = open_secrets().get(secret_name(name))
    if secret is None:
        raise AccountError(text("imap.no_secret", name=name))
    return Credential(account.sign_in, secret)
