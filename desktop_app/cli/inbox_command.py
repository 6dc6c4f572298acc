"""``smime-guard inbox``: an account's newest messages with their security, optionally
harvesting signers' certificates from valid signatures (as ``open --harvest``)."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from desktop_app.cli.exit_codes import EXIT_OK
from desktop_app.core.errors import UserFacingError

if TYPE_CHECKING:
    from desktop_app.core.identity import Identity
    from desktop_app.services.accounts.kinds import AccountServices
    from desktop_app.services.certstore.store import CertStore
    from desktop_app.services.mailbox_port import RemoteMessage

MAX_PAGE = 50


class _OwnIdentity:
    """The user's identity, loaded (from the keyring) once, and only for encrypted mail."""

    def __init__(self, services: AccountServices) -> None:
        self._services = services
        self._loaded = False
        self._identity: Identity | None = None

    def __call__(self) -> Identity | None:
        from desktop_app.cli.open_command import _identity

        if not self._loaded:
            self._identity = _identity(self._services.access)
            self._loaded = True
        return self._identity


def _security(
    raw: bytes, store: CertStore, services: AccountServices, own: _OwnIdentity, harvest: bool
) -> dict[str, Any]:
    from desktop_app.cli.open_command import _harvest
    from desktop_app.core.smime.open_message import IdentityNeededError, open_message
    from desktop_app.services.mailbox.source import Encryption, Signature, read_message

    summary = read_message("", raw).summary
    if summary.encryption is Encryption.NONE and summary.signature is Signature.NONE:
        return {"encrypted": False, "signed": False, "signature_valid": None, "failure": None}
    now = services.access.clock()
    identity = own() if summary.encryption is not Encryption.NONE else None
    trust = store.trust_context()
    try:
        try:
            opened = open_message(raw, identity=identity, trust=trust, at=now)
        except IdentityNeededError:
            if identity is not None:
                raise
            # An envelope inside a signature: it looked signed only from outside.
            opened = open_message(raw, identity=own(), trust=trust, at=now)
    except UserFacingError as error:
        return {
            "encrypted": summary.encryption is not Encryption.NONE,
            "signed": summary.signature is not Signature.NONE,
            "signature_valid": None,
            "failure": error.message,
        }
    decision = _harvest(store, opened, now) if harvest else None
    signature = opened.signature
    return {
        "encrypted": opened.encryption is not None,
        "cipher": opened.encryption.cipher if opened.encryption else None,
        "signed": signature is not None,
        "signature_valid": signature.valid if signature is not None else None,
        "signature_reason": signature.reason if signature is not None else None,
        "harvested": bool(decision is not None and decision.harvested),
        "failure": None,
    }


def _line(message: RemoteMessage, security: dict[str, Any]) -> str:
    if security["failure"]:
        state = f"not opened: {security['failure']}"
    else:
        protection = "encrypted" if security["encrypted"] else "not encrypted"
        valid = security["signature_valid"]
        signed = (
            "unsigned"
            if not security["signed"]
            else ("signature valid" if valid else "SIGNATURE NOT VALID")
        )
        state = f"{protection}, {signed}" + (", harvested" if security.get("harvested") else "")
    received = message.received.isoformat() if message.received else "-"
    return f"{received}  {message.sender}  {message.subject}  [{state}]"


def run_inbox(arguments: argparse.Namespace, services: AccountServices) -> int:
    from desktop_app.services.accounts.kinds import kind_support
    from desktop_app.services.accounts.store import pick_account
    from desktop_app.services.certstore.store import CertStore
    from desktop_app.services.paths import store_path

    account = pick_account(services.access.home, arguments.account)
    limit = max(arguments.limit, 0)
    mailbox = kind_support(account.kind).open_mailbox(account, services)
    listed: list[tuple[RemoteMessage, dict[str, Any]]] = []
    own = _OwnIdentity(services)
    try:
        cursor: str | None = None
        with CertStore.open(store_path(services.access.home)) as store:
            while len(listed) < limit:
                page = mailbox.list_page(cursor, min(MAX_PAGE, limit - len(listed)))
                for message in page.messages[: limit - len(listed)]:
                    raw = mailbox.fetch_mime(message.id)
                    security = _security(raw, store, services, own, arguments.harvest)
                    listed.append((message, security))
                cursor = page.next_cursor
                if cursor is None or not page.messages:
                    break
    finally:
        mailbox.close()
    if arguments.json:
        document = {
            "account": account.name,
            "messages": [
                {
                    "id": message.id,
                    "sender": message.sender,
                    "subject": message.subject,
                    "received": message.received.isoformat() if message.received else None,
                    **security,
                }
                for message, security in listed
            ],
        }
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        for message, security in listed:
            print(_line(message, security))
    return EXIT_OK
