"""``smime-guard account add --kind imap``, ``inbox``, ``send``, ``outbox`` and ``retry``
against real Dovecot and the SMTP test server, with the real keyring (the tests run inside
.ci/secret-service.sh). The password is given only through the environment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.cli import main
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.paths import log_folder, store_path
from tests.mail_servers.dovecot import DovecotServer, MailUser
from tests.services.imap import messages
from tests.services.imap.conftest import NOW, MailPki, RestartableSmtp
from tests.services.imap.sealing import openssl_decrypt, sealed_copies

NAME = "clinic-imap"


def _add(home: Path, dovecot: DovecotServer, smtp: RestartableSmtp, user: MailUser) -> int:
    # 127.0.0.1:<imaps port> is implicit TLS (the account grammar's default for --imap).
    return main(
        [
            "--home", str(home), "account", "add", "--kind", "imap", "--email", user.login,
            "--name", NAME, "--imap", f"127.0.0.1:{dovecot.imaps_port}",
            "--smtp", f"127.0.0.1:{smtp.port}", "--username", user.login,
            "--password-env", "IMAP_TEST_PASSWORD", "--ca-file", str(dovecot.tls.ca_file),
        ]
    )  # fmt: skip


def test_add_list_inbox_harvest_send_and_retry_from_the_command_line(
    home: Path,
    tmp_path: Path,
    dovecot: DovecotServer,
    smtp: RestartableSmtp,
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
    assert NAME in added.out and "IMAP" in added.out
    monkeypatch.delenv("IMAP_TEST_PASSWORD")  # from now on the keyring has it

    assert main(["--home", str(home), "account", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert NAME in json.dumps(listed) and mail_user.password not in json.dumps(listed)

    assert main(["--home", str(home), "inbox", "--account", NAME, "--json", "--harvest"]) == 0
    rows = {row["subject"]: row for row in json.loads(capsys.readouterr().out)["messages"]}
    assert list(rows) == ["Tampered", "Signed", "Hello"]
    assert rows["Hello"]["signed"] is False and rows["Hello"]["encrypted"] is False
    assert rows["Signed"]["signature_valid"] is True and rows["Signed"]["harvested"] is True
    assert rows["Tampered"]["signature_valid"] is False and not rows["Tampered"]["harvested"]
    with CertStore.open(store_path(home)) as store:
        found = store.candidates(["alice@clinic.example", "bob@clinic.example"])
        assert found.get("alice@clinic.example")
        assert not found.get("bob@clinic.example")

    # Sending: SMTP answers 4xx once, so both copies wait; retry sends the same bytes.
    files = []
    for number, copy in enumerate(sealed_copies(mail_pki, tmp_path / "seal.sqlite"), 1):
        files.append(tmp_path / f"{number}.eml")
        files[-1].write_bytes(copy)
    smtp.state.faults.append("451 4.3.0 Try again later")
    assert main(["--home", str(home), "send", "--account", NAME, *map(str, files)]) == 1
    capsys.readouterr()
    assert main(["--home", str(home), "outbox", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["messages"]) == 2
    assert main(["--home", str(home), "retry", "--account", NAME, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [item["sent_copy"] for item in report["sent"]] == ["appended", "appended"]
    assert [d.data for d in smtp.state.delivered] == [f.read_bytes() for f in files]
    blind_copy = smtp.state.delivered[1]
    assert set(blind_copy.recipients) == {"carol@clinic.example"}
    assert "Private" in openssl_decrypt(blind_copy.data, mail_pki.carol, tmp_path / "carol")
    assert len(dovecot.messages(mail_user, "Sent")) == 2
    # Nothing left: --json still prints JSON, not the sentence.
    assert main(["--home", str(home), "retry", "--account", NAME, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"sent": [], "waiting": []}

    assert main(["--home", str(home), "account", "test", NAME]) == 0
    assert main(["--home", str(home), "account", "remove", NAME]) == 0
    captured = capsys.readouterr()
    assert main(["--home", str(home), "inbox", "--account", NAME]) == 2
    for text_out in (captured.out, captured.err, capsys.readouterr().err):
        assert mail_user.password not in text_out
    _assert_nowhere(mail_user.password, home, log_folder())


def test_a_refused_password_keeps_nothing_and_exits_2(
    home: Path,
    dovecot: DovecotServer,
    smtp: RestartableSmtp,
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
    assert NAME not in capsys.readouterr().out
    _assert_nowhere("not-the-password-42", home, log_folder())


def _assert_nowhere(secret: str, *folders: Path) -> None:
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), path
