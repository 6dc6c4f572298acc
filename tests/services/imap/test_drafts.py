"""Drafts of an IMAP account on the server: sealed to the user's own certificate, flagged
\\Draft, one copy per draft (also after a restart), removed when sent or discarded, kept
locally when the server is down, and never sent without an identity."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.identity import Identity, identity_of
from desktop_app.services.accounts.kinds import AccountServices, kind_support
from desktop_app.services.accounts.model import Account, AccountKind
from desktop_app.services.accounts.server_drafts import ServerMirroredDrafts
from desktop_app.services.drafts import DraftError, DraftRecord, new_draft_id
from tests.mail_servers.dovecot import DovecotServer, MailUser
from tests.services.imap.conftest import NOW, MailPki
from tests.services.imap.sealing import openssl_decrypt

SECRET_BODY = "Patient 4711: biopsy results attached."
SECRET_SUBJECT = "Biopsy 4711"


def _drafts(
    services: AccountServices, account: Account, folder: Path, identity: Identity | None
) -> ServerMirroredDrafts:
    def own() -> Identity:
        if identity is None:
            raise DraftError("no identity")
        return identity

    return ServerMirroredDrafts(
        folder,
        own,
        lambda: kind_support(AccountKind.IMAP).open_mailbox(account, services),
        lambda: NOW,
    )


def _record(draft_id: str, body: str) -> DraftRecord:
    return DraftRecord(
        draft_id, NOW, to=("alice@clinic.example",), subject=SECRET_SUBJECT, body=body
    )


def test_a_draft_is_on_the_server_sealed_flagged_and_once(
    tmp_path: Path,
    services: AccountServices,
    imap_account: Account,
    dovecot: DovecotServer,
    mail_user: MailUser,
    mail_pki: MailPki,
) -> None:
    identity = identity_of(mail_pki.me.cert, mail_pki.me.key, (mail_pki.root.cert,), source="t")
    draft_id = new_draft_id()
    drafts = _drafts(services, imap_account, tmp_path / "drafts", identity)
    drafts.save(_record(draft_id, "first words"))
    drafts.save(_record(draft_id, SECRET_BODY))
    # Another process (after a restart) saving the same draft replaces the copy too.
    again = _drafts(services, imap_account, tmp_path / "drafts", identity)
    again.save(_record(draft_id, SECRET_BODY + " More."))

    [(flags, raw)] = dovecot.messages(mail_user, "Drafts")
    assert b"\\Draft" in flags
    assert b"application/pkcs7-mime" in raw and b"authEnveloped-data" in raw
    for secret in (SECRET_BODY, SECRET_SUBJECT, "alice@clinic.example", "first words"):
        assert secret.encode() not in raw
    opened = openssl_decrypt(raw, mail_pki.me, tmp_path / "openssl")
    assert SECRET_BODY + " More." in opened and SECRET_SUBJECT in opened

    again.delete(draft_id)
    assert dovecot.messages(mail_user, "Drafts") == []


def test_without_an_identity_no_draft_reaches_the_server(
    tmp_path: Path,
    services: AccountServices,
    imap_account: Account,
    dovecot: DovecotServer,
    mail_user: MailUser,
) -> None:
    drafts = _drafts(services, imap_account, tmp_path / "drafts", None)
    with pytest.raises(DraftError):
        drafts.save(_record(new_draft_id(), SECRET_BODY))
    assert dovecot.messages(mail_user, "Drafts") == []


def test_a_draft_stays_local_when_the_server_is_down(
    tmp_path: Path,
    services: AccountServices,
    imap_account: Account,
    dovecot: DovecotServer,
    mail_pki: MailPki,
) -> None:
    identity = identity_of(mail_pki.me.cert, mail_pki.me.key, (mail_pki.root.cert,), source="t")
    drafts = _drafts(services, imap_account, tmp_path / "drafts", identity)
    dovecot.stop()
    path = drafts.save(_record(new_draft_id(), "Kept here"))
    assert path is not None and path.exists()
