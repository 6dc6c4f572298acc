"""The imap kind behind the shared ports: add proves both servers before keeping the
password, the mailbox pages by UID cursor, drafts go only sealed, forget clears the keyring."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from desktop_app.services.accounts.kinds import AccountServices, SignInRequest, kind_support
from desktop_app.services.accounts.model import Account, AccountKind
from desktop_app.services.mail_server_errors import CredentialsRejectedError
from desktop_app.services.mailbox_port import DraftNotSealedError
from desktop_app.services.transport.port import AccountRefusedError, SentCopy, envelope_of
from tests.mail_servers.dovecot import DovecotServer, MailUser
from tests.services.imap import messages
from tests.services.imap.conftest import MailPki, RestartableSmtp
from tests.services.imap.sealing import sealed_copies
from tests.services.keyrings import InMemoryKeyring


def test_add_proves_both_servers_then_keeps_the_password_in_the_keyring(
    services: AccountServices,
    imap_account: Account,
    keyring: InMemoryKeyring,
    mail_user: MailUser,
    smtp: RestartableSmtp,
) -> None:
    kind = kind_support(AccountKind.IMAP)
    keyring.entries.clear()
    with pytest.raises(CredentialsRejectedError):
        kind.add(imap_account, SignInRequest(password="wrong-pass-1"), services)
    assert keyring.entries == {}
    smtp.state.passwords[mail_user.login] = "only-imap-knows-otherwise"
    with pytest.raises(AccountRefusedError, match="refused the sign-in"):
        kind.add(imap_account, SignInRequest(password=mail_user.password), services)
    assert keyring.entries == {}
    smtp.state.passwords[mail_user.login] = mail_user.password
    detail = kind.add(imap_account, SignInRequest(password=mail_user.password), services)
    assert "IMAP" in detail and mail_user.password not in detail
    assert list(keyring.entries.values()) == [mail_user.password]
    kind.test(imap_account, services)
    kind.forget(imap_account, services)
    assert keyring.entries == {}
    with pytest.raises(AccountRefusedError):
        kind.test(imap_account, services)


def test_the_mailbox_pages_by_uid_cursor_and_keeps_only_sealed_drafts(
    services: AccountServices,
    imap_account: Account,
    dovecot: DovecotServer,
    mail_user: MailUser,
) -> None:
    for number in range(5):
        dovecot.deliver(mail_user, messages.plain(f"Message {number}", number))
    mailbox = kind_support(AccountKind.IMAP).open_mailbox(imap_account, services)
    try:
        first = mailbox.list_page(None, 2)
        assert [m.subject for m in first.messages] == ["Message 4", "Message 3"]
        dovecot.deliver(mail_user, messages.plain("Late", 9))  # does not shift the pages
        second = mailbox.list_page(first.next_cursor, 2)
        assert [m.subject for m in second.messages] == ["Message 2", "Message 1"]
        last = mailbox.list_page(second.next_cursor, 2)
        assert [m.subject for m in last.messages] == ["Message 0"]
        assert last.next_cursor is None
        raw = mailbox.fetch_mime(first.messages[0].id)
        assert b"Body of Message 4." in raw
        # The server drops the connection (a restart, an idle time-out): one fresh try.
        dovecot.stop()
        dovecot.start()
        assert mailbox.fetch_mime(first.messages[0].id) == raw
        with pytest.raises(DraftNotSealedError):
            mailbox.save_draft(messages.plain("A plaintext draft"))
        assert dovecot.messages(mail_user, "Drafts") == []
    finally:
        mailbox.close()


def test_an_account_without_a_stored_password_is_refused_before_any_connection(
    services: AccountServices, imap_account: Account, keyring: InMemoryKeyring
) -> None:
    keyring.entries.clear()
    with pytest.raises(AccountRefusedError, match="no password"):
        kind_support(AccountKind.IMAP).open_transport(imap_account, services)
    other = dataclasses.replace(imap_account, name="other")
    with pytest.raises(AccountRefusedError):
        kind_support(AccountKind.IMAP).test(other, services)


def test_a_sent_copy_that_fails_after_delivery_is_reported_not_sent_again(
    tmp_path: Path,
    services: AccountServices,
    imap_account: Account,
    dovecot: DovecotServer,
    smtp: RestartableSmtp,
    mail_user: MailUser,
    mail_pki: MailPki,
) -> None:
    first, second = sealed_copies(mail_pki, tmp_path / "store.sqlite")
    transport = kind_support(AccountKind.IMAP).open_transport(imap_account, services)
    try:
        assert transport.send(first, envelope_of(first, mail_user.login)).sent_copy is (
            SentCopy.APPENDED
        )
        dovecot.stop()  # IMAP goes away between the submission and the APPEND
        result = transport.send(second, envelope_of(second, mail_user.login))
    finally:
        transport.close()
    assert result.sent_copy is SentCopy.NONE
    assert [d.data for d in smtp.state.delivered] == [first, second]
