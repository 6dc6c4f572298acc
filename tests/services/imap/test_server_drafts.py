"""Drafts on the IMAP server: sealed to the user's own certificate, flagged \\Draft, one copy
per draft, and none at all without an identity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.core.identity import Identity, identity_of
from desktop_app.services.drafts import DraftRecord, DraftStore, new_draft_id
from desktop_app.services.imap.connection import open_imap
from desktop_app.services.imap.server_drafts import DRAFT_SUBJECT, ImapServerDrafts
from desktop_app.services.imap.settings import Credential, ImapAccount
from tests.mail_servers.dovecot import DovecotServer, MailUser
from tests.services.imap.conftest import MailPki
from tests.services.imap.sealing import NOW, openssl_decrypt

SECRET_BODY = "Patient 4711: biopsy results attached."
SECRET_SUBJECT = "Biopsy 4711"


def _drafts(account: ImapAccount, password: Credential, store: DraftStore) -> ImapServerDrafts:
    return ImapServerDrafts(
        lambda: open_imap(account, password), account.email, store.seal, lambda: NOW
    )


def _record(draft_id: str, body: str) -> DraftRecord:
    return DraftRecord(
        draft_id, NOW, to=("alice@clinic.example",), subject=SECRET_SUBJECT, body=body
    )


def test_a_draft_goes_to_the_server_sealed_with_the_draft_flag_once(
    tmp_path: Path,
    account: ImapAccount,
    password: Credential,
    dovecot: DovecotServer,
    mail_user: MailUser,
    mail_pki: MailPki,
) -> None:
    identity = identity_of(mail_pki.me.cert, mail_pki.me.key, (mail_pki.root.cert,), source="t")
    drafts = _drafts(account, password, DraftStore(tmp_path / "drafts", lambda: identity))
    draft_id = new_draft_id()
    drafts.save(_record(draft_id, "first words"))
    drafts.save(_record(draft_id, SECRET_BODY))

    [(flags, raw)] = dovecot.messages(mail_user, "Drafts")
    assert b"\\Draft" in flags
    assert b"application/pkcs7-mime" in raw and b"authEnveloped-data" in raw
    assert DRAFT_SUBJECT.encode() in raw
    for secret in (SECRET_BODY, SECRET_SUBJECT, "alice@clinic.example", "first words"):
        assert secret.encode() not in raw
    opened = json.loads(openssl_decrypt(raw, mail_pki.me, tmp_path / "openssl"))
    assert opened["draft"]["body"] == SECRET_BODY
    assert opened["draft"]["draft_id"] == draft_id

    drafts.delete(draft_id)
    assert dovecot.messages(mail_user, "Drafts") == []


def test_without_an_identity_nothing_reaches_the_server(
    tmp_path: Path,
    account: ImapAccount,
    password: Credential,
    dovecot: DovecotServer,
    mail_user: MailUser,
) -> None:
    from desktop_app.services.identity_store import NoIdentityError

    def no_identity() -> Identity:
        raise NoIdentityError("no identity")

    drafts = _drafts(account, password, DraftStore(tmp_path / "drafts", no_identity))
    with pytest.raises(NoIdentityError):
        drafts.save(_record(new_draft_id(), SECRET_BODY))
    assert dovecot.messages(mail_user, "Drafts") == []
