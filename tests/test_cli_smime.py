"""The seal, open and lint commands, end to end through a real store and identity."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from desktop_app.cli import main
from desktop_app.cli.open_command import run_open
from desktop_app.cli.parser import build_parser
from desktop_app.cli.seal_command import run_seal
from desktop_app.core.identity import identity_of
from desktop_app.core.mime.parse import parse_inner_mime
from desktop_app.core.pki.stored import Source
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.files import InputFileError
from desktop_app.services.identity_store import save_identity
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.paths import store_path
from desktop_app.services.secrets import SecretStore
from tests.factories.certs import NOW, Issued, TestCA
from tests.prerequisites import require_program
from tests.services.keyrings import InMemoryKeyring

CA = TestCA("CLI S/MIME Root")
ME = CA.issue(["me@clinic.example"])
LEE = CA.issue(["lee@clinic.example"], slot=1)
ANN = CA.issue(["ann@clinic.example"], key_kind="p256")


@pytest.fixture
def keyring() -> SecretStore:
    return SecretStore(InMemoryKeyring())


def make_home(path: Path, person: Issued, keyring: SecretStore, known: list[Issued]) -> Path:
    save_identity(path, identity_of(person.cert, person.key, (), source="test"), keyring)
    with CertStore.open(store_path(path)) as store:
        store.add_trust_anchor(CA.cert, NOW)
        for other in known:
            store.add_certificate(other.cert, Source.IMPORTED, NOW)
    return path


def seal(home: Path, keyring: SecretStore, tmp_path: Path, *arguments: str) -> int:
    body = tmp_path / "body.txt"
    body.write_text("Results for our patient.\n", encoding="utf-8")
    report = tmp_path / "report.pdf"
    report.write_bytes(b"%PDF-1.7 results")
    parsed = build_parser().parse_args(
        [
            "seal",
            "--from",
            "me@clinic.example",
            "--subject",
            "Results",
            "--body-file",
            str(body),
            "--attach",
            str(report),
            "--at",
            NOW.isoformat(),
            "--out-dir",
            str(tmp_path / "out"),
            *arguments,
        ]
    )
    return run_seal(parsed, MailAccess(home, secrets=lambda: keyring))


def open_json(home: Path, keyring: SecretStore, eml: Path, capsys, *extra: str) -> tuple[int, dict]:
    capsys.readouterr()
    parsed = build_parser().parse_args(["open", str(eml), "--json", *extra])
    code = run_open(parsed, MailAccess(home, secrets=lambda: keyring))
    return code, json.loads(capsys.readouterr().out)


def test_seal_writes_one_file_per_envelope_that_recipients_open(
    tmp_path: Path, keyring, capsys
) -> None:
    home = make_home(tmp_path / "me", ME, keyring, [LEE, ANN])
    code = seal(
        home, keyring, tmp_path, "--to", "lee@clinic.example", "--bcc", "ann@clinic.example"
    )
    printed = capsys.readouterr().out.split()
    assert code == 0
    assert [Path(p).name for p in printed] == ["01-to-cc.eml", "02-bcc-ann@clinic.example.eml"]
    lee_keyring = SecretStore(InMemoryKeyring())
    lee_home = make_home(tmp_path / "lee", LEE, lee_keyring, [])
    code, opened = open_json(lee_home, lee_keyring, Path(printed[0]), capsys, "--harvest")
    assert code == 0
    assert opened["encryption"]["algorithm"] == "AES-256-CBC"
    assert opened["signature"]["valid"] is True
    assert opened["text"].strip() == "Results for our patient."
    assert [(a["filename"], a["size"]) for a in opened["attachments"]] == [("report.pdf", 16)]
    assert len(opened["harvested"]) == 1
    with CertStore.open(store_path(lee_home)) as store:
        assert [c.addresses for c in store.list_certificates()] == [("me@clinic.example",)]
    assert main(["lint", printed[0]]) == 0


def test_seal_refuses_and_writes_nothing_when_someone_is_not_covered(
    tmp_path: Path, keyring, capsys
) -> None:
    home = make_home(tmp_path / "me", ME, keyring, [LEE])
    code = seal(
        home, keyring, tmp_path, "--to", "lee@clinic.example", "--cc", "dana@partner.example"
    )
    assert code == 3
    assert "dana@partner.example" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_seal_from_an_address_that_is_not_ours_is_refused(tmp_path: Path, keyring) -> None:
    home = make_home(tmp_path / "me", LEE, keyring, [ANN])
    with pytest.raises(Exception, match="not an address of your certificate"):
        seal(home, keyring, tmp_path, "--to", "ann@clinic.example")


def test_open_of_a_message_for_someone_else_exits_2(tmp_path: Path, keyring, capsys) -> None:
    home = make_home(tmp_path / "me", ME, keyring, [LEE])
    assert seal(home, keyring, tmp_path, "--to", "lee@clinic.example") == 0
    eml = capsys.readouterr().out.split()[0]
    ann_keyring = SecretStore(InMemoryKeyring())
    ann_home = make_home(tmp_path / "ann", ANN, ann_keyring, [])
    parsed = build_parser().parse_args(["open", eml])
    with pytest.raises(Exception, match="not encrypted for"):
        run_open(parsed, MailAccess(ann_home, secrets=lambda: ann_keyring))


def test_lint_reports_a_legacy_message(tmp_path: Path, capsys) -> None:
    legacy = tmp_path / "legacy.eml"
    legacy.write_bytes(
        b"From: a@b.org\r\nTo: c@d.org\r\nBcc: e@f.org\r\nSubject: x\r\n"
        b"Content-Type: application/x-pkcs7-mime\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"MAA=\r\n"
    )
    capsys.readouterr()
    assert main(["lint", "--json", str(legacy)]) == 3
    codes = {f["code"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert {"legacy_content_type", "missing_smime_type", "bcc_header"} <= codes
    (tmp_path / "empty.eml").write_bytes(b"")
    assert main(["lint", str(tmp_path / "missing.eml")]) == 2


def _seal_large(home: Path, keyring: SecretStore, tmp_path: Path, scan: bytes, *extra: str) -> Path:
    (tmp_path / "body.txt").write_text("Bilder anbei.\n", encoding="utf-8")
    (tmp_path / "scan.dcm").write_bytes(scan)
    out = tmp_path / "out"
    parsed = build_parser().parse_args(
        [
            *("seal", "--from", "me@clinic.example", "--to", "lee@clinic.example"),
            *("--subject", "Bilder", "--body-file", str(tmp_path / "body.txt")),
            *("--attach", str(tmp_path / "scan.dcm"), "--at", NOW.isoformat()),
            *("--out-dir", str(out), *extra),
        ]
    )
    assert run_seal(parsed, MailAccess(home, secrets=lambda: keyring)) == 0
    [eml] = out.glob("*.eml")
    return eml


@pytest.mark.parametrize("signing", [(), ("--no-sign",)], ids=["signed", "unsigned"])
def test_a_large_attachment_streamed_from_its_file_is_what_openssl_decrypts(
    tmp_path: Path, keyring, signing: tuple[str, ...]
) -> None:
    openssl = require_program("openssl", "openssl")
    home = make_home(tmp_path / "me", ME, keyring, [LEE])
    scan = os.urandom(3_000_017) + b"\r\n--\r\n"  # several read buffers, not whole lines
    eml = _seal_large(home, keyring, tmp_path, scan, *signing)
    assert main(["lint", str(eml)]) == 0
    (tmp_path / "lee.pem").write_bytes(LEE.pem)
    (tmp_path / "lee.key").write_bytes(
        LEE.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    decrypt = [openssl, "cms", "-decrypt", "-in", str(eml), "-recip", str(tmp_path / "lee.pem")]
    decrypted = subprocess.run(
        [*decrypt, "-inkey", str(tmp_path / "lee.key")], capture_output=True, check=True
    ).stdout
    if "--no-sign" in signing:
        inner = decrypted
    else:
        # -noverify: the certificates are judged at the tests' fixed time, not today.
        verify = [openssl, "cms", "-verify", "-noverify"]
        checked = subprocess.run(verify, input=decrypted, capture_output=True, check=False)
        assert checked.returncode == 0, checked.stderr.decode(errors="replace")
        inner = checked.stdout
    [attachment] = parse_inner_mime(inner).attachments
    assert attachment.filename == "scan.dcm"
    assert attachment.content == scan


def test_a_missing_or_folder_attachment_is_refused_before_anything_is_written(
    tmp_path: Path, keyring
) -> None:
    home = make_home(tmp_path / "me", ME, keyring, [LEE])
    (tmp_path / "body.txt").write_text("x\n", encoding="utf-8")
    for attachment, reason in ((tmp_path / "gone.pdf", "does not exist"), (tmp_path, "folder")):
        parsed = build_parser().parse_args(
            [
                *("seal", "--from", "me@clinic.example", "--to", "lee@clinic.example"),
                *("--subject", "x", "--body-file", str(tmp_path / "body.txt")),
                *("--attach", str(attachment), "--out-dir", str(tmp_path / "out")),
            ]
        )
        with pytest.raises(InputFileError, match=reason):
            run_seal(parsed, MailAccess(home, secrets=lambda: keyring))
        assert not (tmp_path / "out").exists()


def test_the_seal_command_loads_neither_other_commands_nor_the_opening_code() -> None:
    # Start-up is most of a small seal's time (issue 3): keep what it imports to its own.
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, desktop_app.cli.seal_command; print(' '.join(sys.modules))",
        ],
        capture_output=True,
        check=True,
        text=True,
    ).stdout.split()
    unwanted = {
        "desktop_app.cli.check_command",
        "desktop_app.cli.render",
        "desktop_app.core.mime.parse",
        "desktop_app.core.smime.envelope_open",
        "PySide6",
    }
    assert unwanted.isdisjoint(loaded)
