"""The application's IMAP wiring (app_imap): the stored account becomes the inbox, the way
out and the home of server drafts, with its secret from the keyring."""

from __future__ import annotations

from pathlib import Path

from desktop_app.app_imap import (
    imap_account_name,
    imap_retry,
    imap_send_queued,
    imap_source,
    mirrored_drafts,
)
from desktop_app.core.identity import identity_of
from desktop_app.services.drafts import DraftRecord, new_draft_id
from desktop_app.services.exchange.outbox import ExchangeOutbox
from desktop_app.services.imap.accounts import save_account, secret_name
from desktop_app.services.imap.settings import Credential, ImapAccount
from desktop_app.services.secrets import SecretStore
from tests.mail_servers.dovecot import DovecotServer, MailUser
from tests.mail_servers.smtp_local import SmtpTestServer
from tests.services.imap import messages
from tests.services.imap.conftest import MailPki
from tests.services.imap.sealing import NOW, sealed_copies
from tests.services.keyrings import InMemoryKeyring


def test_the_stored_account_is_inbox_outbox_and_drafts(
    home: Path,
    tmp_path: Path,
    account: ImapAccount,
    password: Credential,
    dovecot: DovecotServer,
    smtp: SmtpTestServer,
    mail_user: MailUser,
    mail_pki: MailPki,
) -> None:
    keyring = InMemoryKeyring()

    def secrets() -> SecretStore:
        return SecretStore(keyring)

    assert imap_account_name(home) is None
    save_account(home, "work", account)
    secrets().set(secret_name("work"), password.secret)
    assert imap_account_name(home) == "work"

    dovecot.deliver(mail_user, messages.signed(mail_pki.alice, "alice@clinic.example", "Hi"))
    source = imap_source(home, "work", lambda: NOW, lambda: None, secrets)
    try:
        [summary] = source.list_messages()
        detail = source.fetch(summary.message_id)
        assert detail.security is not None  # opened through the S/MIME reader
    finally:
        source.close()

    copies = sealed_copies(mail_pki, tmp_path / "store.sqlite")
    outbox = ExchangeOutbox(home, lambda: NOW)
    outbox.add_copies(copies, "test", unencrypted_by_choice=False)
    report = imap_send_queued(home, "work", outbox.pending(), lambda: NOW, secrets)
    assert len(report.sent) == 2
    assert [d.data for d in smtp.delivered] == copies
    assert imap_retry(home, "work", lambda: NOW, secrets) is None  # nothing waits

    identity = identity_of(mail_pki.me.cert, mail_pki.me.key, (mail_pki.root.cert,), source="t")
    drafts = mirrored_drafts(home, "work", home / "drafts", lambda: identity, lambda: NOW, secrets)
    draft_id = new_draft_id()
    assert drafts.save(DraftRecord(draft_id, NOW, body="Secret words")) is not None
    [(flags, raw)] = dovecot.messages(mail_user, "Drafts")
    assert b"\\Draft" in flags and b"Secret words" not in raw
    drafts.delete(draft_id)
    assert dovecot.messages(mail_user, "Drafts") == []
    assert not (home / "drafts" / f"{draft_id}.p7m").exists()


def test_a_draft_is_kept_locally_when_the_server_is_down(
    home: Path,
    account: ImapAccount,
    password: Credential,
    dovecot: DovecotServer,
    mail_pki: MailPki,
) -> None:
    keyring = InMemoryKeyring()
    save_account(home, "work", account)
    SecretStore(keyring).set(secret_name("work"), password.secret)
    identity = identity_of(mail_pki.me.cert, mail_pki.me.key, (mail_pki.root.cert,), source="t")
    drafts = mirrored_drafts(
        home, "work", home / "drafts", lambda: identity, lambda: NOW, lambda: SecretStore(keyring)
    )
    dovecot.stop()
    path = drafts.save(DraftRecord(new_draft_id(), NOW, body="Kept"))
    assert path is not None and path.exists()
