"""``smime-guard identity``: grammar, password sources, refusal without a keyring, output."""

import argparse
import io
import json
from pathlib import Path

import pytest
from keyring.backends import fail

from desktop_app.cli import identity_command
from desktop_app.cli.identity_command import run_identity
from desktop_app.cli.parser import build_parser
from desktop_app.cli.password_env import PasswordUnavailableError
from desktop_app.core.errors import UserFacingError
from desktop_app.core.pki.certificates import CertificateError, fingerprint_sha256
from desktop_app.services.identity_store import identity_folder, load_identity
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.secrets import SecretStore, SecretStoreUnavailable, checked_secret_store
from tests.factories.cert_files import pkcs12_file
from tests.factories.certs import NOW, TestCA
from tests.services.keyrings import InMemoryKeyring

ROOT = TestCA("CLI Identity Root")
ME = ROOT.issue(["me@clinic.example"], common_name="Me Myself")
PASSWORD = "p12 pässword"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def parse(*arguments: str) -> argparse.Namespace:
    return build_parser().parse_args(["identity", *arguments])


@pytest.fixture
def backend() -> InMemoryKeyring:
    return InMemoryKeyring()


@pytest.fixture
def p12(tmp_path: Path) -> Path:
    path = tmp_path / "me.p12"
    path.write_bytes(pkcs12_file(ME, [ROOT.cert], password=PASSWORD.encode()))
    return path


def run(home: Path, backend: InMemoryKeyring, *arguments: str, stdin: io.StringIO | None = None):
    return run_identity(
        parse(*arguments),
        MailAccess(home, clock=lambda: NOW, secrets=lambda: SecretStore(backend)),
        stdin=stdin or io.StringIO(),
    )


def test_import_show_remove(
    home: Path,
    p12: Path,
    backend: InMemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("P12_PASSWORD", PASSWORD)
    assert run(home, backend, "import", str(p12), "--password-env", "P12_PASSWORD") == 0
    out = capsys.readouterr().out
    assert "Imported your identity: CN=Me Myself (me@clinic.example)" in out
    assert "InMemoryKeyring" in out
    assert load_identity(home, SecretStore(backend)).cert == ME.cert

    assert run(home, backend, "show") == 0
    shown = capsys.readouterr().out
    assert "me@clinic.example" in shown
    assert fingerprint_sha256(ME.cert) in shown
    assert "PRIVATE KEY" not in shown
    assert "(expired)" not in shown

    assert run(home, backend, "show", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["addresses"] == ["me@clinic.example"]
    assert data["fingerprint"] == fingerprint_sha256(ME.cert)
    assert data["valid_now"] is True
    assert data["chain"] == [
        {
            "subject": ROOT.cert.subject.rfc4514_string(),
            "fingerprint": fingerprint_sha256(ROOT.cert),
        }
    ]
    assert set(data) == {
        "subject",
        "addresses",
        "issuer",
        "serial",
        "fingerprint",
        "not_before",
        "not_after",
        "valid_now",
        "chain",
    }

    assert run(home, backend, "remove") == 0
    assert "Removed your identity" in capsys.readouterr().out
    assert backend.entries == {}
    assert run(home, backend, "show", "--json") == 0
    assert json.loads(capsys.readouterr().out) is None
    assert run(home, backend, "remove") == 0
    assert "nothing was removed" in capsys.readouterr().out


def test_password_is_asked_on_a_terminal(
    home: Path, p12: Path, backend: InMemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts: list[str] = []

    def fake_getpass(prompt: str) -> str:
        prompts.append(prompt)
        return PASSWORD

    monkeypatch.setattr(identity_command.getpass, "getpass", fake_getpass)
    assert run(home, backend, "import", str(p12), stdin=Terminal()) == 0
    assert prompts == [f"Password for {p12}: "]


def test_without_terminal_or_password_env_it_refuses(
    home: Path, p12: Path, backend: InMemoryKeyring
) -> None:
    with pytest.raises(PasswordUnavailableError, match="--password-env"):
        run(home, backend, "import", str(p12))
    assert not home.exists()
    assert backend.entries == {}


def test_unset_password_env(home: Path, p12: Path, backend: InMemoryKeyring) -> None:
    with pytest.raises(UserFacingError, match="NOT_SET_ANYWHERE"):
        run(home, backend, "import", str(p12), "--password-env", "NOT_SET_ANYWHERE")


def test_wrong_password_writes_nothing(
    home: Path, p12: Path, backend: InMemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("P12_PASSWORD", "wrong")
    with pytest.raises(CertificateError, match="is wrong"):
        run(home, backend, "import", str(p12), "--password-env", "P12_PASSWORD")
    assert not home.exists()
    assert backend.entries == {}


def test_no_system_keyring_refuses_before_asking_and_writes_nothing(
    home: Path, p12: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_prompt(prompt: str) -> str:
        raise AssertionError("asked for a password although nothing can be stored")

    monkeypatch.setattr(identity_command.getpass, "getpass", no_prompt)
    arguments = parse("import", str(p12))
    with pytest.raises(SecretStoreUnavailable) as caught:
        run_identity(
            arguments,
            MailAccess(home, secrets=lambda: checked_secret_store(fail.Keyring())),
            stdin=Terminal(),
        )
    assert caught.value.message.startswith("No system keyring is available.")
    assert not home.exists()


def test_missing_file(home: Path, backend: InMemoryKeyring, tmp_path: Path) -> None:
    with pytest.raises(UserFacingError, match="does not exist"):
        run(home, backend, "import", str(tmp_path / "absent.p12"), "--password-env", "X")


def test_show_marks_an_expired_certificate(
    home: Path,
    p12: Path,
    backend: InMemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("P12_PASSWORD", PASSWORD)
    run(home, backend, "import", str(p12), "--password-env", "P12_PASSWORD")
    capsys.readouterr()
    later = ME.cert.not_valid_after_utc.replace(year=ME.cert.not_valid_after_utc.year + 1)
    run_identity(parse("show"), MailAccess(home, clock=lambda: later))
    assert "(expired)" in capsys.readouterr().out


def test_show_without_identity_needs_no_keyring(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_keyring() -> SecretStore:
        raise AssertionError("show must not open the keyring")

    assert run_identity(parse("show"), MailAccess(home, secrets=no_keyring)) == 0
    assert "No identity of your own is stored." in capsys.readouterr().out
    assert not identity_folder(home).exists()
