"""What a command loads and asks for at start: an unsigned seal never touches the keyring,
and each command imports only its own code (start-up is most of a small command's time)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.cli.exit_codes import EXIT_OK, EXIT_USAGE
from desktop_app.services.secrets import SecretStore
from tests.services.keyrings import InMemoryKeyring
from tests.test_cli_smime import ANN, LEE, ME, make_home

REPO = Path(__file__).resolve().parents[1]
# Runs one command as the installed console script does, then reports what it imported.
PROBE = """
import json, sys
from desktop_app.app.main import main
code = main(sys.argv[2:])
with open(sys.argv[1], "w") as report:
    json.dump({"code": code, "modules": sorted(sys.modules)}, report)
sys.exit(code)
"""
# None of these is needed to seal a message without signing it.
NOT_FOR_AN_UNSIGNED_SEAL = (
    "keyring",
    "secretstorage",
    "jeepney",
    "PySide6",
    "exchangelib",
    "msal",
    "requests",
    "desktop_app.services.exchange.gal_search",
    "desktop_app.cli.certs_commands",
    "desktop_app.cli.check_command",
    "desktop_app.cli.open_command",
    "desktop_app.cli.lint_command",
    "desktop_app.core.smime.open_message",
    "desktop_app.core.smime.lint",
)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    # The key's passphrase lives only in this process's memory: a child process that asked
    # any keyring for it could not sign.
    return make_home(tmp_path / "me", ME, SecretStore(InMemoryKeyring()), [LEE, ANN])


def _command(home: Path, tmp_path: Path, *arguments: str) -> tuple[int, list[str], str]:
    body = tmp_path / "body.txt"
    body.write_text("Results for our patient.\n", encoding="utf-8")
    report = tmp_path / "modules.json"
    environment = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        # Any keyring use is refused: the configured backend is keyring's "no keyring".
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    seal = [
        *("--home", str(home), "seal", "--from", "me@clinic.example"),
        *("--to", "lee@clinic.example", "--cc", "ann@clinic.example", "--subject", "Results"),
        *("--body-file", str(body), "--out-dir", str(tmp_path / "out"), *arguments),
    ]
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(report), *seal],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    reported = json.loads(report.read_text())
    assert reported["code"] == result.returncode
    return result.returncode, reported["modules"], result.stderr


def test_an_unsigned_seal_needs_no_keyring_and_loads_only_its_own_code(
    home: Path, tmp_path: Path
) -> None:
    code, modules, stderr = _command(home, tmp_path, "--no-sign")

    assert code == EXIT_OK, stderr
    assert [path.name for path in (tmp_path / "out").iterdir()] == ["01-to-cc.eml"]
    loaded = [
        name
        for name in modules
        if any(
            name == unwanted or name.startswith(unwanted + ".")
            for unwanted in NOT_FOR_AN_UNSIGNED_SEAL
        )
    ]
    assert loaded == []


def test_a_signed_seal_asks_the_configured_keyring(home: Path, tmp_path: Path) -> None:
    code, modules, stderr = _command(home, tmp_path)

    assert code == EXIT_USAGE
    # The user's configuration (fail.Keyring), refused in words staff know, never a class.
    assert "No system keyring is available" in stderr
    assert not (tmp_path / "out").exists()
    assert "keyring" in modules
