"""seal and open with protect_headers: the Subject round-trips inside the encryption, and
the seal command names what the Subject gives away instead of a fixed reminder."""

from pathlib import Path

import pytest

from desktop_app.cli import main
from desktop_app.services.secrets import SecretStore
from tests.services.keyrings import InMemoryKeyring
from tests.test_cli_smime import LEE, ME, make_home, open_json, seal


@pytest.fixture
def keyring() -> SecretStore:
    return SecretStore(InMemoryKeyring())


def test_protected_headers_round_trip_through_seal_and_open(
    tmp_path: Path, keyring: SecretStore, capsys: pytest.CaptureFixture[str]
) -> None:
    home = make_home(tmp_path / "me", ME, keyring, [LEE])
    (home / "policy.toml").write_text("protect_headers = true\n", encoding="utf-8")
    code = seal(home, keyring, tmp_path, "--to", "Lee <lee@clinic.example>")
    out, err = capsys.readouterr()
    assert code == 0
    assert "Subject" not in err  # "Results" gives nothing away: nothing to say
    eml = Path(out.split()[0])
    assert b"Subject: [...]" in eml.read_bytes()
    lee_keyring = SecretStore(InMemoryKeyring())
    lee_home = make_home(tmp_path / "lee", LEE, lee_keyring, [])
    code, opened = open_json(lee_home, lee_keyring, eml, capsys)
    assert code == 0
    assert opened["headers_protected"] is True
    assert opened["headers"]["subject"] == "Results"
    assert opened["headers"]["to"] == "Lee <lee@clinic.example>"
    assert opened["text"].strip() == "Results for our patient."
    assert opened["warnings"] == []
    assert main(["lint", str(eml)]) == 0


def test_seal_names_a_subject_finding(
    tmp_path: Path, keyring: SecretStore, capsys: pytest.CaptureFixture[str]
) -> None:
    home = make_home(tmp_path / "me", ME, keyring, [LEE])
    code = seal(home, keyring, tmp_path, "--to", "lee@clinic.example", "--subject", "DOB 4/12/1961")
    err = capsys.readouterr().err
    assert code == 0
    assert "looks like a date of birth (*/**/**61)" in err
    assert "1961" not in err.replace("**61", "")
