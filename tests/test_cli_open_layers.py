"""`smime-guard open` on layered, HTML-only, odd and non-mail input, end to end (issue 11
items 4, 5, 7 and 9; issue 14's garbage file)."""

import datetime as dt
from pathlib import Path

import pytest

from desktop_app.cli import main
from desktop_app.cli.open_command import run_open
from desktop_app.cli.parser import build_parser
from desktop_app.core.identity import identity_of
from desktop_app.core.mime.compose import InnerMessage, build_inner_mime
from desktop_app.core.pki.certificates import fingerprint_sha256
from desktop_app.core.smime.signature_mime import multipart_signed
from desktop_app.core.smime.signature_sign import sign_detached
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.identity_store import save_identity
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.paths import store_path
from desktop_app.services.secrets import SecretStore
from tests.factories import layered_mail
from tests.factories.certs import NOW, Issued, TestCA
from tests.services.keyrings import InMemoryKeyring
from tests.test_cli_smime import open_json

CA = TestCA("CLI Layers Root")
ME = CA.issue(["me@clinic.example"])
LEE = CA.issue(["lee@clinic.example"], slot=1)
ANN = CA.issue(["ann@clinic.example"], slot=2)


@pytest.fixture
def keyring() -> SecretStore:
    return SecretStore(InMemoryKeyring())


@pytest.fixture
def lee_home(tmp_path: Path, keyring: SecretStore) -> Path:
    home = tmp_path / "lee"
    save_identity(home, identity_of(LEE.cert, LEE.key, (), source="test"), keyring)
    with CertStore.open(store_path(home)) as store:
        store.add_trust_anchor(CA.cert, NOW)
    return home


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _head(sender: str) -> bytes:
    date = _now().strftime("%a, %d %b %Y %H:%M:%S +0000")
    return f"From: {sender}\r\nTo: lee@clinic.example\r\nSubject: x\r\nDate: {date}\r\n".encode()


def _sign(entity: bytes, signer: Issued, when: dt.datetime | None = None) -> bytes:
    return layered_mail.signed(entity, signer, when or _now())


def _encrypt(entity: bytes) -> bytes:
    return layered_mail.encrypted(entity, LEE)


def _write(tmp_path: Path, eml: bytes, name: str = "m.eml") -> Path:
    path = tmp_path / name
    path.write_bytes(eml)
    return path


def test_a_signature_around_the_encryption_is_not_valid_for_the_text(
    lee_home: Path, keyring: SecretStore, tmp_path: Path, capsys
) -> None:
    inner = build_inner_mime(InnerMessage("dose: 5 mg"))
    eml = _write(tmp_path, _head("me@clinic.example") + _sign(_encrypt(inner), ME))
    code, opened = open_json(lee_home, keyring, eml, capsys, "--harvest")
    assert code == 3
    assert opened["signature"]["valid"] is False
    assert opened["signature"]["covers"] == "envelope"
    assert "does not cover what you read" in opened["signature"]["reason"]
    assert [(x["kind"], x["covers"], x["valid"]) for x in opened["layers"]] == [
        ("signed", "envelope", True),
        ("encrypted", None, None),
    ]
    assert opened["layers"][0]["signer"] == "me@clinic.example"
    assert opened["harvested"] == []
    assert opened["text"].strip() == "dose: 5 mg"


def test_a_second_signer_around_an_envelope_is_listed_layer_by_layer(
    lee_home: Path, keyring: SecretStore, tmp_path: Path, capsys
) -> None:
    inner = _sign(build_inner_mime(InnerMessage("the secret")), ME)
    wrapped = _head("ann@clinic.example") + _sign(_encrypt(inner), ANN)
    eml = _write(tmp_path, wrapped)
    code, opened = open_json(lee_home, keyring, eml, capsys)
    assert code == 3  # the text is signed by me@, who is not the From address
    layers = [(x["kind"], x["signer"], x["covers"], x["valid"]) for x in opened["layers"]]
    assert layers == [
        ("signed", "ann@clinic.example", "envelope", True),
        ("encrypted", None, None, None),
        ("signed", "me@clinic.example", "text", False),
    ]
    assert opened["signature"]["signer_addresses"] == ["me@clinic.example"]
    assert opened["signature"]["covers"] == "text"
    parsed = build_parser().parse_args(["open", str(eml)])
    run_open(parsed, MailAccess(lee_home, secrets=lambda: keyring))
    printed = capsys.readouterr().out
    assert "Layers, outermost first:" in printed
    assert "1. Signed by ann@clinic.example around the encryption" in printed
    assert "3. Signed by me@clinic.example, over the text you read" in printed


def test_an_html_only_message_opens_with_its_text(
    lee_home: Path, keyring: SecretStore, tmp_path: Path, capsys
) -> None:
    body = b"<p>Hello <script>x()</script>Lee</p><p>See you.</p>"
    eml = _write(tmp_path, _head("me@clinic.example") + b"Content-Type: text/html\r\n\r\n" + body)
    code, opened = open_json(lee_home, keyring, eml, capsys)
    assert code == 0
    assert (opened["text"], opened["text_from_html"]) == ("Hello Lee\n\nSee you.", True)


def test_capabilities_from_a_future_or_older_signature_are_not_stored(
    lee_home: Path, keyring: SecretStore, tmp_path: Path, capsys
) -> None:
    fingerprint = fingerprint_sha256(ME.cert)
    text = build_inner_mime(InnerMessage("hi"))
    future = _write(
        tmp_path, _head("me@clinic.example") + _sign(text, ME, _now() + dt.timedelta(days=800))
    )
    code, opened = open_json(lee_home, keyring, future, capsys, "--harvest")
    assert code == 0 and opened["harvested"] == [fingerprint]
    assert [w["code"] for w in opened["warnings"]] == [
        "signing_time_in_future",
        "signing_time_far_from_date",
    ]
    with CertStore.open(store_path(lee_home)) as store:
        assert store.capabilities([fingerprint]) == {}  # the certificate, but not its claims
    recent = _now() - dt.timedelta(minutes=1)
    newer = _write(tmp_path, _head("me@clinic.example") + _sign(text, ME, recent), "new.eml")
    assert open_json(lee_home, keyring, newer, capsys, "--harvest")[0] == 0
    with CertStore.open(store_path(lee_home)) as store:
        stored = store.capabilities([fingerprint])
        assert "aes256-gcm" in stored[fingerprint]
    older_time = _now() - dt.timedelta(minutes=30)
    older = sign_detached(text, ME.cert, ME.key, signing_time=older_time, capabilities=())
    replay = _write(tmp_path, _head("me@clinic.example") + multipart_signed(text, older), "old.eml")
    parsed = build_parser().parse_args(["open", str(replay), "--harvest"])
    assert run_open(parsed, MailAccess(lee_home, secrets=lambda: keyring)) == 0
    assert "older than the ones already known" in capsys.readouterr().out
    with CertStore.open(store_path(lee_home)) as store:
        assert store.capabilities([fingerprint]) == stored


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 8,
        b"\x89PNG\r\n\x1a\n" + bytes(100),
        b"",
        b"hello\nworld\n",
    ],
)
def test_a_file_that_is_no_mail_message_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes
) -> None:
    garbage = _write(tmp_path, data, "garbage.bin")
    assert main(["--home", str(tmp_path / "home"), "open", str(garbage)]) == 2
    captured = capsys.readouterr()
    assert "is not a mail message" in captured.err
    assert captured.out == ""


def test_two_from_fields_exit_2_and_nothing_is_learnt(tmp_path: Path, capsys) -> None:
    text = build_inner_mime(InnerMessage("hi"))
    eml = _write(
        tmp_path, b"From: boss@clinic.example\r\n" + _head("me@clinic.example") + _sign(text, ME)
    )
    home = tmp_path / "home"
    assert main(["--home", str(home), "open", str(eml), "--harvest"]) == 2
    assert "2 From: header fields" in capsys.readouterr().err
    with CertStore.open(store_path(home)) as store:
        assert store.list_certificates() == ()
