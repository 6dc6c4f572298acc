"""The application's IMAP wiring (app_imap): the home's IMAP account keeps sealed drafts in
the server's Drafts folder as well as on disk, with its secret from the keyring."""

from __future__ import annotations

from pathlib import Path

from desktop_app.app_imap import imap_account, mirrored_drafts
from desktop_app.core.identity import identity_of
from desktop_app.services.accounts.kinds import AccountServices
from desktop_app.services.accounts.model import Account
from desktop_app.services.drafts import DraftRecord, new_draft_id
from tests.mail_servers.dovecot import DovecotServer, MailUser
from tests.services.imap.conftest import NOW, MailPki, RestartableSmtp


def test_the_stored_account_keeps_sealed_drafts_on_the_server(
    tmp_path: Path,
    services: AccountServices,
    imap_account: Account,
    dovecot: DovecotServer,
    smtp: RestartableSmtp,
    mail_user: MailUser,
    mail_pki: MailPki,
) -> None:
    from desktop_app import app_imap

    assert app_imap.imap_account(services.home) == imap_account
    identity = identity_of(mail_pki.me.cert, mail_pki.me.key, (mail_pki.root.cert,), source="t")
    folder = services.home / "drafts"
    drafts = mirrored_drafts(services, imap_account, folder, lambda: identity)
    draft_id = new_draft_id()
    assert drafts.save(DraftRecord(draft_id, NOW, body="Secret words")) is not None
    [(flags, raw)] = dovecot.messages(mail_user, "Drafts")
    assert b"\\Draft" in flags and b"Secret words" not in raw
    drafts.delete(draft_id)
    assert dovecot.messages(mail_user, "Drafts") == []
    assert not (folder / f"{draft_id}.p7m").exists()


def test_a_draft_is_kept_locally_when_the_server_is_down(
    services: AccountServices,
    imap_account: Account,
    dovecot: DovecotServer,
    mail_pki: MailPki,
) -> None:
    identity = identity_of(mail_pki.me.cert, mail_pki.me.key, (mail_pki.root.cert,), source="t")
    drafts = mirrored_drafts(services, imap_account, services.home / "drafts", lambda: identity)
    dovecot.stop()
    path = drafts.save(DraftRecord(new_draft_id(), NOW, body="Kept"))
    assert path is not None and path.exists()


def test_no_imap_account_means_none(home: Path) -> None:
    assert imap_account(home) is None
