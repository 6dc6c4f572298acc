"""The IMAP inbox against real Dovecot: sign-in, paging by UID, previews of S/MIME mail, harvest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from desktop_app.core.identity import identity_of
from desktop_app.services.accounts.inbox_source import AccountMessageListSource
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.imap.connection import open_imap
from desktop_app.services.imap.ports import ImapPortMailbox
from desktop_app.services.imap.settings import AuthMechanism, Credential, ImapAccount, MailServer
from desktop_app.services.mail_server_errors import CredentialsRejectedError, UnreachableError
from desktop_app.services.mailbox.opening import MessageOpener
from desktop_app.services.mailbox.source import Encryption, MailboxError, Signature
from tests.mail_servers.dovecot import DovecotServer, MailUser
from tests.services.imap import messages
from tests.services.imap.conftest import MailPki

NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)


def source(
    account: ImapAccount, credential: Credential, page_size: int = 50
) -> AccountMessageListSource:
    """The inbox as the main window reads it: the imap kind's port, paged by offset."""
    return AccountMessageListSource(
        lambda: ImapPortMailbox(lambda: open_imap(account, credential)),
        f"{account.email} (imap)",
        page_size,
    )


def test_signs_in_with_a_password_over_starttls(account: ImapAccount, password: Credential) -> None:
    connection = open_imap(account, password)
    try:
        assert connection.client.state == "AUTH"
        assert connection.client.sock.version() is not None  # type: ignore[attr-defined]  # an SSLSocket after STARTTLS
    finally:
        connection.close()


def test_signs_in_with_xoauth2_over_implicit_tls(
    account: ImapAccount, dovecot: DovecotServer, mail_user: MailUser
) -> None:
    implicit = ImapAccount(
        account.email,
        MailServer(dovecot.host, dovecot.imaps_port, implicit_tls=True),
        account.smtp,
        account.username,
        AuthMechanism.XOAUTH2,
        account.ca_file,
        timeout=5.0,
    )
    connection = open_imap(implicit, Credential(AuthMechanism.XOAUTH2, mail_user.token))
    connection.close()
    with pytest.raises(CredentialsRejectedError) as refused:
        open_imap(implicit, Credential(AuthMechanism.XOAUTH2, "not-the-token"))
    assert "not-the-token" not in refused.value.message


def test_a_wrong_password_is_refused_without_repeating_it(account: ImapAccount) -> None:
    with pytest.raises(CredentialsRejectedError) as refused:
        open_imap(account, Credential(AuthMechanism.PASSWORD, "wrong-secret-123"))
    assert account.username in refused.value.message
    assert "wrong-secret-123" not in refused.value.message


def test_a_server_certificate_from_an_unknown_ca_is_refused(
    account: ImapAccount, password: Credential
) -> None:
    untrusted = ImapAccount(
        account.email, account.imap, account.smtp, account.username, ca_file=None, timeout=5.0
    )
    with pytest.raises(UnreachableError, match="TLS"):
        open_imap(untrusted, password)


def test_a_server_that_is_down_is_reported(account: ImapAccount, password: Credential) -> None:
    from tests.mail_servers.dovecot import free_port

    gone = ImapAccount(
        account.email,
        MailServer("127.0.0.1", free_port()),
        account.smtp,
        account.username,
        ca_file=account.ca_file,
        timeout=2.0,
    )
    with pytest.raises(UnreachableError, match="cannot be reached"):
        open_imap(gone, password)


def test_the_inbox_pages_newest_first_by_uid(
    account: ImapAccount, password: Credential, dovecot: DovecotServer, mail_user: MailUser
) -> None:
    for number in range(5):
        dovecot.deliver(mail_user, messages.plain(f"Message {number}", number))
    inbox = source(account, password, page_size=2)
    try:
        assert account.email in inbox.name
        first = inbox.list_page(0)
        assert [m.subject for m in first.messages] == ["Message 4", "Message 3"]
        assert first.more
        # Mail arriving between pages neither shifts nor repeats the next page.
        dovecot.deliver(mail_user, messages.plain("Late arrival", 9))
        second = inbox.list_page(2)
        assert [m.subject for m in second.messages] == ["Message 2", "Message 1"]
        third = inbox.list_page(4)
        assert [m.subject for m in third.messages] == ["Message 0"]
        assert not third.more
        assert [m.subject for m in inbox.list_messages()][:1] == ["Late arrival"]
        detail = inbox.fetch(first.messages[0].message_id)
        assert detail.body_text == "Body of Message 4.\n"
        assert detail.raw.startswith(b"From: Sender")
    finally:
        inbox.close()


def test_a_stale_or_unknown_message_id_is_refused(
    account: ImapAccount, password: Credential
) -> None:
    inbox = source(account, password)
    try:
        inbox.list_page(0)
        for stale in ("1:999", "junk", "0:1"):
            with pytest.raises(MailboxError):
                inbox.fetch(stale)
    finally:
        inbox.close()


def test_signed_encrypted_and_tampered_mail_preview_and_harvest(
    account: ImapAccount,
    password: Credential,
    dovecot: DovecotServer,
    mail_user: MailUser,
    mail_pki: MailPki,
    tmp_path: Path,
) -> None:
    store_path = tmp_path / "store.sqlite"
    with CertStore.open(store_path) as store:
        store.add_trust_anchor(mail_pki.root.cert, NOW)
    dovecot.deliver(mail_user, messages.signed(mail_pki.alice, "alice@clinic.example", "Signed"))
    dovecot.deliver(mail_user, messages.tampered(mail_pki.bob, "bob@clinic.example", "Tampered"))
    dovecot.deliver(mail_user, messages.encrypted_to(mail_pki.me, "Sealed"))
    identity = identity_of(mail_pki.me.cert, mail_pki.me.key, (mail_pki.root.cert,), source="test")
    opener = MessageOpener(store_path, lambda: identity, lambda: NOW)
    inbox = source(account, password)
    try:
        listed = {m.subject: m for m in inbox.list_page(0).messages}
        # The port's listing does not carry the protection; the fetched message does.
        fetched = {name: inbox.fetch(m.message_id).summary for name, m in listed.items()}
        assert fetched["Signed"].signature is Signature.UNVERIFIED
        assert fetched["Tampered"].signature is Signature.UNVERIFIED
        assert fetched["Sealed"].encryption is Encryption.SMIME
        signed = opener(inbox.fetch(listed["Signed"].message_id))
        assert signed.security is not None and signed.security.signature_valid is True
        assert signed.body_text is not None and "Signed hello." in signed.body_text
        tampered = opener(inbox.fetch(listed["Tampered"].message_id))
        assert tampered.security is not None and tampered.security.signature_valid is False
        sealed = opener(inbox.fetch(listed["Sealed"].message_id))
        assert sealed.security is not None and sealed.security.cipher is not None
        assert sealed.body_text is not None and "The secret results." in sealed.body_text
        # Harvest: the verified signer's certificate is learnt from the fetched bytes.
        from desktop_app.core.smime.open_message import open_message

        with CertStore.open(store_path) as store:
            opened = open_message(
                inbox.fetch(listed["Signed"].message_id).raw,
                identity=None,
                trust=store.trust_context(),
                at=NOW,
            )
        decision = opened.harvest()
        assert decision is not None and decision.certificate == mail_pki.alice.cert
        with CertStore.open(store_path) as store:
            opened = open_message(
                inbox.fetch(listed["Tampered"].message_id).raw,
                identity=None,
                trust=store.trust_context(),
                at=NOW,
            )
        tampered_decision = opened.harvest()
        assert tampered_decision is None or tampered_decision.certificate is None
    finally:
        inbox.close()
