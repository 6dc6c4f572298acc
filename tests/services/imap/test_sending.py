"""Sending through an IMAP/SMTP account: sealed copies by SMTP, Bcc apart, a Sent copy in
Dovecot, and every injected fault leaving the same sealed bytes in the outbox until retry."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from pathlib import Path

import pytest

from desktop_app.services.exchange.outbox import ExchangeOutbox
from desktop_app.services.exchange.sending import SendReport
from desktop_app.services.imap.settings import Credential, ImapAccount
from desktop_app.services.imap.transport import send_through_account
from desktop_app.services.logging_setup import configure_logging
from desktop_app.services.paths import log_folder
from tests.mail_servers.dovecot import DovecotServer, MailUser
from tests.mail_servers.smtp_local import SmtpTestServer
from tests.services.imap.conftest import MailPki
from tests.services.imap.sealing import NOW, openssl_decrypt, sealed_copies


def _clock() -> dt.datetime:
    return NOW


def _queue(home: Path, pki: MailPki, tmp_path: Path) -> tuple[ExchangeOutbox, list[bytes]]:
    copies = sealed_copies(pki, tmp_path / "store.sqlite")
    outbox = ExchangeOutbox(home, _clock)
    outbox.add_copies(copies, "test", unencrypted_by_choice=False)
    return outbox, copies


def _send(
    home: Path, outbox: ExchangeOutbox, account: ImapAccount, password: Credential
) -> SendReport:
    return send_through_account(home, outbox.pending(), account, lambda: password, _clock)


def _names(raw: bytes) -> set[str]:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    found = set()
    for field in ("To", "Cc", "Bcc"):
        header = message.get(field)
        if header is not None:
            found |= {address.addr_spec for address in header.addresses}
    return found


def test_each_copy_goes_alone_and_sealed_with_a_sent_copy(
    home: Path,
    tmp_path: Path,
    account: ImapAccount,
    password: Credential,
    dovecot: DovecotServer,
    smtp: SmtpTestServer,
    mail_user: MailUser,
    mail_pki: MailPki,
) -> None:
    configure_logging(log_folder(), verbose=True)
    outbox, copies = _queue(home, mail_pki, tmp_path)
    report = _send(home, outbox, account, password)
    assert len(report.sent) == 2 and not report.waiting
    assert outbox.pending() == ()
    delivered = smtp.delivered
    assert [d.data for d in delivered] == copies  # the queued bytes, unchanged
    assert all(d.login == mail_user.login for d in delivered)
    main, blind = delivered
    assert set(main.recipients) == {"alice@clinic.example", "bob@clinic.example"}
    assert set(blind.recipients) == {"carol@clinic.example"}
    assert _names(main.data) == {"alice@clinic.example", "bob@clinic.example"}
    assert _names(blind.data) == {"carol@clinic.example"}
    assert "Private results." in openssl_decrypt(main.data, mail_pki.alice, tmp_path / "a")
    assert "Private results." in openssl_decrypt(main.data, mail_pki.bob, tmp_path / "b")
    assert "Private results." in openssl_decrypt(blind.data, mail_pki.carol, tmp_path / "c")
    sent = dovecot.messages(mail_user, "Sent")
    assert [raw for _flags, raw in sent] == copies
    assert all(b"\\Seen" in flags for flags, _raw in sent)
    _assert_no_secret(mail_user, home, log_folder())


@pytest.mark.parametrize("fault", ["smtp down", "smtp 4xx", "imap down"])
def test_a_fault_keeps_the_sealed_bytes_queued_until_retry_sends_them(
    fault: str,
    home: Path,
    tmp_path: Path,
    account: ImapAccount,
    password: Credential,
    dovecot: DovecotServer,
    smtp: SmtpTestServer,
    mail_user: MailUser,
    mail_pki: MailPki,
) -> None:
    configure_logging(log_folder(), verbose=True)
    outbox, copies = _queue(home, mail_pki, tmp_path)
    if fault == "smtp down":
        smtp.stop()
    elif fault == "smtp 4xx":
        smtp.handler.temporary_failure = True
    else:
        dovecot.stop()

    failed = _send(home, outbox, account, password)

    assert failed.sent == () and len(failed.waiting) == 2
    assert smtp.delivered == []
    waiting = outbox.pending()
    assert [outbox.mime(item) for item in waiting] == copies
    assert all(item.last_error for item in waiting)
    if fault == "smtp 4xx":
        assert "try later" in (waiting[0].last_error or "")

    if fault == "smtp down":
        smtp.start()
    elif fault == "smtp 4xx":
        smtp.handler.temporary_failure = False
    else:
        dovecot.start()
    retried = _send(home, outbox, account, password)
    assert len(retried.sent) == 2 and not retried.waiting
    assert [d.data for d in smtp.delivered] == copies
    assert [raw for _flags, raw in dovecot.messages(mail_user, "Sent")] == copies
    _assert_no_secret(mail_user, home, log_folder())


def _assert_no_secret(user: MailUser, *folders: Path) -> None:
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                assert user.password.encode() not in data, path
                assert user.token.encode() not in data, path
