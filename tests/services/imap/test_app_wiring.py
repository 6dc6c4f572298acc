"""The application's IMAP wiring (app_imap): the stored account becomes the inbox, the way
out and the home of server drafts, with its secret from the keyring."""

from __future__ import annotations

from pathlib import Path

from desktop_app.app_imap import (
    imap_account,
    imap_retry,
    imap_send_queued,
    mirrored_drafts,
)
from desktop_app.core.identity import identity_of
from desktop_app.services.accounts.delivery import account_outbox
from desktop_app.services.accounts.kinds import AccountServices
from desktop_app.services.accounts.model import Account
from desktop_app.services.drafts import DraftRecord, new_draft_id
from tests.mail_servers.dovecot import DovecotServer, MailUser
from tests.services.imap.conftest import NOW, MailPki, RestartableSmtp
from tests.services.imap.sealing import sealed_copies


def test_the_stored_account_is_inbox_outbox_and_drafts(
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
    copies = sealed_copies(mail_pki, tmp_path / "store.sqlite")
    outbox = account_outbox(services, imap_account)
    outbox.add_copies(copies, "test", unencrypted_by_choice=False)
    report = imap_send_queued(services, imap_account, outbox.pending())
    assert len(report.sent) == 2
    assert [d.data for d in smtp.state.delivered] == copies
    assert imap_retry(services, imap_account) is None  # nothing waits

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
