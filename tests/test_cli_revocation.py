"""``check`` and ``seal`` ask CRL servers synchronously; the policy decides what unknown means."""

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from desktop_app.cli import main
from tests.factories.certs import TestCA
from tests.factories.revocation_server import Fault, RevocationServer, Route

ROOT = TestCA("CLI Revocation Root")
NOW = dt.datetime.now(dt.UTC)


@pytest.fixture
def server() -> Iterator[RevocationServer]:
    with RevocationServer() as running:
        yield running


@pytest.fixture
def home(tmp_path: Path, server: RevocationServer) -> Path:
    home = tmp_path / "home"
    lee = ROOT.issue(
        ["lee@clinic.example"],
        crl_urls=[server.url("root.crl")],
        not_before=NOW - dt.timedelta(days=1),
        not_after=NOW + dt.timedelta(days=30),
    )
    (tmp_path / "root.pem").write_bytes(ROOT.pem)
    (tmp_path / "lee.pem").write_bytes(lee.pem)
    assert main(["--home", str(home), "certs", "trust", str(tmp_path / "root.pem")]) == 0
    assert main(["--home", str(home), "certs", "import", str(tmp_path / "lee.pem")]) == 0
    server.routes["root.crl"] = Route(
        crl=ROOT.crl(
            last_update=NOW - dt.timedelta(hours=1), next_update=NOW + dt.timedelta(days=1)
        ).public_bytes(serialization.Encoding.DER)
    )
    return home


def check(home: Path, capsys, *extra: str) -> tuple[int, dict]:
    capsys.readouterr()
    code = main(["--home", str(home), "check", "--to", "lee@clinic.example", "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


def policy(home: Path, choice: str) -> None:
    (home / "policy.toml").write_text(f'revocation = "{choice}"\n', encoding="utf-8")


def test_check_fetches_the_crl_and_is_sure(home: Path, server: RevocationServer, capsys) -> None:
    policy(home, "require")
    code, result = check(home, capsys)
    assert (code, result["recipients"][0]["status"], result["warnings"]) == (0, "ok", [])
    assert server.hits["root.crl"] == 1
    check(home, capsys)
    assert server.hits["root.crl"] == 1  # the verified list was kept in the store


def test_require_refuses_when_the_crl_server_fails(
    home: Path, server: RevocationServer, capsys
) -> None:
    policy(home, "require")
    server.routes["root.crl"] = Route(fault=Fault.NOT_FOUND)
    code, result = check(home, capsys)
    assert code == 3
    assert result["recipients"][0]["status"] == "revocation_unknown"
    assert "HTTP status 404" in result["recipients"][0]["reason"]


def test_prefer_covers_with_a_warning(home: Path, server: RevocationServer, capsys) -> None:
    server.routes["root.crl"] = Route(fault=Fault.GARBAGE)
    code, result = check(home, capsys)
    assert (code, result["recipients"][0]["status"]) == (0, "ok")
    assert [w["code"] for w in result["warnings"]] == ["revocation_unknown"]


def test_off_fetches_nothing(home: Path, server: RevocationServer, capsys) -> None:
    policy(home, "off")
    code, result = check(home, capsys)
    assert (code, result["warnings"]) == (0, [])
    assert server.hits["root.crl"] == 0


def test_offline_fetches_nothing_and_yields_unknown(
    home: Path, server: RevocationServer, capsys
) -> None:
    policy(home, "require")
    code, result = check(home, capsys, "--offline")
    assert code == 3
    assert "offline" in result["recipients"][0]["reason"]
    assert server.hits["root.crl"] == 0
