"""Against a real Secret Service (gnome-keyring): run through ``.ci/secret-service.sh``.

bash .ci/secret-service.sh python -m pytest -q tests/integration
"""

import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import keyring
import keyring.backend
import keyring.core
import pytest

from desktop_app.cli.identity_command import run_identity
from desktop_app.core.pki.certificates import fingerprint_sha256
from desktop_app.services.identity_store import load_identity, stored_identity
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.secrets import SERVICE_NAME, system_secret_store
from tests.factories.cert_files import pkcs12_file
from tests.factories.certs import TestCA
from tests.integration.test_identity_cli import parse
from tests.prerequisites import require_program, require_real_keyring

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _real_secret_service() -> None:
    require_real_keyring()


ROOT = TestCA("Real Keyring Root")
ME = ROOT.issue(["me@clinic.example"], key_kind="p256")
PASSWORD = "real keyring p12"


def _python(code: str, *, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_default_backend_is_the_secret_service() -> None:
    assert system_secret_store().backend_name == "keyring.backends.SecretService.Keyring"


def test_the_secret_service_is_taken_without_discovering_every_backend(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # keyring's discovery imports every installed backend (about 0.15 s) before D-Bus.
    discovered: list[bool] = []
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setattr(keyring.backend, "get_all_keyring", lambda: discovered.append(True))
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)  # nothing chosen before

    assert system_secret_store().backend_name == "keyring.backends.SecretService.Keyring"
    assert discovered == []


def test_round_trip_in_the_real_keyring() -> None:
    store = system_secret_store()
    name = f"test/{uuid.uuid4().hex}"
    try:
        store.set(name, "value")
        assert store.get(name) == "value"
        assert keyring.get_keyring().get_password(SERVICE_NAME, name) == "value"
    finally:
        store.delete(name)
    assert store.get(name) is None


def test_identity_import_load_remove_across_processes(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p12 = tmp_path / "me.p12"
    p12.write_bytes(pkcs12_file(ME, [ROOT.cert], password=PASSWORD.encode()))
    monkeypatch.setenv("P12_PASSWORD", PASSWORD)
    assert (
        run_identity(parse("import", str(p12), "--password-env", "P12_PASSWORD"), MailAccess(home))
        == 0
    )
    stored = stored_identity(home)
    assert stored is not None
    passphrase = keyring.get_keyring().get_password(SERVICE_NAME, stored.secret_name)
    assert passphrase
    for path in home.rglob("*"):
        if path.is_file():
            assert passphrase.encode() not in path.read_bytes(), path
    assert stored.key_file.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")

    # Another process finds the passphrase in the keyring and opens the key.
    opened = _python(f"""
        from pathlib import Path
        from desktop_app.core.pki.certificates import fingerprint_sha256
        from desktop_app.services.identity_store import load_identity
        from desktop_app.services.secrets import system_secret_store
        identity = load_identity(Path({str(home)!r}), system_secret_store())
        print(fingerprint_sha256(identity.cert), type(identity.key).__name__)
    """)
    assert opened.returncode == 0, opened.stderr
    assert opened.stdout.split()[0] == fingerprint_sha256(ME.cert)

    assert run_identity(parse("remove"), MailAccess(home)) == 0
    assert keyring.get_keyring().get_password(SERVICE_NAME, stored.secret_name) is None
    assert stored_identity(home) is None


def test_import_then_load_in_this_process(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p12 = tmp_path / "me.p12"
    p12.write_bytes(pkcs12_file(ME))
    monkeypatch.setenv("EMPTY_PASSWORD", "")
    assert (
        run_identity(
            parse("import", str(p12), "--password-env", "EMPTY_PASSWORD"), MailAccess(home)
        )
        == 0
    )
    try:
        assert load_identity(home, system_secret_store()).cert == ME.cert
    finally:
        run_identity(parse("remove"), MailAccess(home))


def test_keyring_without_an_unlocked_collection_refuses_and_writes_nothing(
    tmp_path: Path,
) -> None:
    require_program("gnome-keyring-daemon", "gnome-keyring")
    # A separate session whose daemon was started but never unlocked: creating or
    # unlocking the collection needs a prompt, which a headless box cannot show.
    home = tmp_path / "home"
    p12 = tmp_path / "me.p12"
    p12.write_bytes(pkcs12_file(ME))
    for folder in ("data", "runtime"):
        (tmp_path / folder).mkdir(mode=0o700)
    script = textwrap.dedent(f"""
        import argparse, sys
        from pathlib import Path
        from desktop_app.cli.identity_command import run_identity
        from desktop_app.core.errors import UserFacingError
        from desktop_app.services.mail_access import MailAccess
        arguments = argparse.Namespace(
            identity_command="import", file={str(p12)!r}, password_env="EMPTY_PASSWORD"
        )
        try:
            run_identity(arguments, MailAccess(Path({str(home)!r})))
        except UserFacingError as error:
            print(type(error).__name__, error.message, sep="\\n")
            sys.exit(2)
    """)
    environment = dict(
        os.environ,
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_RUNTIME_DIR=str(tmp_path / "runtime"),
        EMPTY_PASSWORD="",
    )
    result = subprocess.run(
        [
            "dbus-run-session",
            "--",
            "bash",
            "-c",
            'gnome-keyring-daemon --start --components=secrets >/dev/null 2>&1; exec "$@"',
            "session",
            sys.executable,
            "-c",
            script,
        ],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    kind, message = result.stdout.splitlines()[:2]
    assert kind == "SecretStoreUnavailable"
    # Named as staff know it, never by a Python class.
    assert message.startswith("GNOME Keyring (Secret Service) could not be used")
    assert "keyring.backends" not in message
    assert not home.exists()
