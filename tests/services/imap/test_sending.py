"""Sending through an IMAP/SMTP account (the imap kind's Transport and the account outbox):
sealed copies by SMTP, Bcc apart, a Sent copy in Dovecot, and every injected fault leaving
the same sealed bytes in the outbox until retry sends them."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest

from desktop_app.services.accounts.delivery import account_outbox, send_account
from desktop_app.services.accounts.kinds import AccountServices
from desktop_app.services.accounts.model import Account
from desktop_app.services.logging_setup import configure_logging
from desktop_app.services.outbox.queue import OutboxQueue
from desktop_app.services.outbox.sending_run import SendReport
from desktop_app.services.paths import log_folder
from desktop_app.services.transport.port import SentCopy
from tests.mail_servers.dovecot import DovecotServer, MailUser
from tests.services.imap.conftest import MailPki, RestartableSmtp
from tests.services.imap.sealing import openssl_decrypt, sealed_copies


def _queue(
    services: AccountServices, account: Account, pki: MailPki, tmp_path: Path
) -> tuple[OutboxQueue, list[bytes]]:
    copies = sealed_copies(pki, tmp_path / "store.sqlite")
    outbox = account_outbox(services, account)
    outbox.add_copies(copies, "test", unencrypted_by_choice=False)
    return outbox, copies


def _send(services: AccountServices, account: Account, outbox: OutboxQueue) -> SendReport:
    return send_account(services, account, outbox.pending())


def _names(raw: bytes) -> set[str]:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    found = set()
    for field in ("To", "Cc", "Bcc"):
        header = message.get(field)
        if header is not None:
            found |= {address.addr_spec for address in header.addresses}
    return found


def test_each_copy_goes_alone_and_sealed_with_a_sent_copy(
    tmp_path: Path,
    services: AccountServices,
    imap_account: Account,
    dovecot: DovecotServer,
    smtp: RestartableSmtp,
    mail_user: MailUser,
    mail_pki: MailPki,
) -> None:
    configure_logging(log_folder(), verbose=True)
    outbox, copies = _queue(services, imap_account, mail_pki, tmp_path)
    report = _send(services, imap_account, outbox)
    assert len(report.sent) == 2 and not report.waiting
    assert {result.sent_copy for result in report.results.values()} == {SentCopy.APPENDED}
    assert outbox.pending() == ()
    delivered = smtp.state.delivered
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
    _assert_no_secret(mail_user, services.access.home, log_folder())


@pytest.mark.parametrize("fault", ["smtp down", "smtp 4xx", "imap down"])
def test_a_fault_keeps_the_sealed_bytes_queued_until_retry_sends_them(
    fault: str,
    tmp_path: Path,
    services: AccountServices,
    imap_account: Account,
    dovecot: DovecotServer,
    smtp: RestartableSmtp,
    mail_user: MailUser,
    mail_pki: MailPki,
) -> None:
    configure_logging(log_folder(), verbose=True)
    outbox, copies = _queue(services, imap_account, mail_pki, tmp_path)
    if fault == "smtp down":
        smtp.stop()
    elif fault == "smtp 4xx":
        smtp.state.faults.append("451 4.3.0 Temporary local problem, try again later")
    else:
        dovecot.stop()

    failed = _send(services, imap_account, outbox)

    assert failed.sent == () and len(failed.waiting) == 2
    assert smtp.state.delivered == []
    waiting = outbox.pending()
    assert [outbox.mime(item) for item in waiting] == copies
    assert all(item.last_error for item in waiting)
    if fault == "smtp 4xx":
        assert "try again later" in (waiting[0].last_error or "")
    assert dovecot.running is (fault != "imap down") or dovecot.messages(mail_user, "Sent") == []

    if fault == "smtp down":
        smtp.restart()
    elif fault == "imap down":
        dovecot.start()
    retried = _send(services, imap_account, outbox)
    assert len(retried.sent) == 2 and not retried.waiting
    assert [d.data for d in smtp.state.delivered] == copies
    assert [raw for _flags, raw in dovecot.messages(mail_user, "Sent")] == copies
    _assert_no_secret(mail_user, services.access.home, log_folder())


def _assert_no_secret(user: MailUser, *folders: Path) -> None:
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                assert user.password.encode() not in data, path
                assert user.token.encode() not in data, path
