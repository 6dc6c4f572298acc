"""``smime-guard account add --kind imap`` and ``inbox --account`` against real Dovecot and SMTP,
with the real keyring (the tests run inside .ci/secret-service.sh)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.cli import main
from desktop_app.core.pki.certstore import CertStore
from desktop_app.services.paths import log_folder, store_path
from tests.mail_servers.dovecot import DovecotServer, MailUser
from tests.mail_servers.smtp_local import SmtpTestServer
from tests.services.imap import messages
from tests.services.imap.conftest import MailPki
from tests.services.imap.sealing import NOW

NAME = "clinic-imap"


def _add(home: Path, dovecot: DovecotServer, smtp: SmtpTestServer, user: MailUser) -> int:
    return main(
        [
            "--home", str(home), "account", "add", "--kind", "imap", "--email", user.login,
            "--name", NAME, "--imap", f"127.0.0.1:{dovecot.imap_port}",
            "--smtp", f"127.0.0.1:{smtp.port}", "--username", user.login,
            "--password-env", "IMAP_TEST_PASSWORD", "--ca-file", str(dovecot.tls.ca_file),
        ]
    )  # fmt: skip


def test_add_an_account_then_list_the_inbox_with_security_and_harvest(
    home: Path,
    dovecot: DovecotServer,
    smtp: SmtpTestServer,
    mail_user: MailUser,
    mail_pki: MailPki,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("IMAP_TEST_PASSWORD", mail_user.password)
    with CertStore.open(store_path(home)) as store:
        store.add_trust_anchor(mail_pki.root.cert, NOW)
    dovecot.deliver(mail_user, messages.plain("Hello", 0))
    dovecot.deliver(mail_user, messages.signed(mail_pki.alice, "alice@clinic.example", "Signed"))
    dovecot.deliver(mail_user, messages.tampered(mail_pki.bob, "bob@clinic.example", "Tampered"))

    assert _add(home, dovecot, smtp, mail_user) == 0
    added = capsys.readouterr()
    assert NAME in added.out and "signed in to IMAP" in added.out

    assert main(["--home", str(home), "account", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["accounts"]
    assert [(a["name"], a["kind"], a["email"]) for a in listed] == [(NAME, "imap", mail_user.login)]

    assert main(["--home", str(home), "inbox", "--account", NAME, "--json", "--harvest"]) == 0
    rows = {row["subject"]: row for row in json.loads(capsys.readouterr().out)["messages"]}
    assert list(rows) == ["Tampered", "Signed", "Hello"]
    assert rows["Hello"]["signature"] == "none" and rows["Hello"]["encryption"] == "none"
    assert rows["Signed"]["signature_valid"] is True
    assert rows["Signed"]["harvested"] == "alice@clinic.example"
    assert rows["Tampered"]["signature_valid"] is False
    assert rows["Tampered"]["harvested"] is None
    with CertStore.open(store_path(home)) as store:
        found = store.candidates(["alice@clinic.example", "bob@clinic.example"])
        assert found.get("alice@clinic.example")
        assert not found.get("bob@clinic.example")

    assert main(["--home", str(home), "inbox", "--limit", "1"]) == 0
    text_out = capsys.readouterr().out
    assert "Tampered" in text_out and "signature NOT valid" in text_out and "Hello" not in text_out

    assert main(["--home", str(home), "account", "test", NAME]) == 0
    assert main(["--home", str(home), "account", "remove", NAME]) == 0
    capsys.readouterr()
    assert main(["--home", str(home), "inbox", "--account", NAME]) == 2
    assert "no account called" in capsys.readouterr().err
    _assert_nowhere(mail_user.password, home, log_folder())


def test_a_refused_password_keeps_nothing_and_exits_2(
    home: Path,
    dovecot: DovecotServer,
    smtp: SmtpTestServer,
    mail_user: MailUser,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("IMAP_TEST_PASSWORD", "not-the-password-42")
    assert _add(home, dovecot, smtp, mail_user) == 2
    out = capsys.readouterr()
    assert "refused the sign-in" in out.err
    assert "not-the-password-42" not in out.err + out.out
    assert main(["--home", str(home), "account", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["accounts"] == []
    _assert_nowhere("not-the-password-42", home, log_folder())


def _assert_nowhere(secret: str, *folders: Path) -> None:
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), path
