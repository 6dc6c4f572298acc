"""``check`` and ``seal`` ask CRL servers synchronously; the policy decides what unknown means."""

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from desktop_app.cli import main
from desktop_app.cli.parser import build_parser
from desktop_app.cli.seal_command import run_seal
from desktop_app.core.identity import identity_of
from desktop_app.core.pki.stored import Source
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.identity_store import save_identity
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.paths import store_path
from desktop_app.services.secrets import SecretStore
from tests.factories.certs import TestCA
from tests.factories.revocation_server import Fault, RevocationServer, Route
from tests.services.keyrings import InMemoryKeyring

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
    assert server.hits["root.crl"] == 1  # the verified list was kept until its nextUpdate


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


def sealed(
    tmp_path: Path,
    server: RevocationServer,
    choice: str,
    *,
    revoked: bool = False,
    fault=Fault.NONE,
) -> int:
    """``seal`` from me to Lee, whose certificate names the server's CRL."""
    keyring = SecretStore(InMemoryKeyring())
    me = ROOT.issue(["me@clinic.example"], not_before=NOW - dt.timedelta(days=1))
    lee = ROOT.issue(
        ["lee@clinic.example"],
        crl_urls=[server.url("lee.crl")],
        not_before=NOW - dt.timedelta(days=1),
    )
    home = tmp_path / "me"
    save_identity(home, identity_of(me.cert, me.key, (), source="test"), keyring)
    with CertStore.open(store_path(home)) as store:
        store.add_trust_anchor(ROOT.cert, NOW)
        store.add_certificate(lee.cert, Source.IMPORTED, NOW)
    policy(home, choice)
    crl = ROOT.crl(
        [lee.cert.serial_number] if revoked else [],
        last_update=NOW - dt.timedelta(hours=1),
        next_update=NOW + dt.timedelta(days=1),
    )
    server.routes["lee.crl"] = Route(crl=crl.public_bytes(serialization.Encoding.DER), fault=fault)
    body = tmp_path / "body.txt"
    body.write_text("Results.\n", encoding="utf-8")
    arguments = build_parser().parse_args(
        [
            *("seal", "--from", "me@clinic.example", "--to", "lee@clinic.example"),
            *("--subject", "R", "--body-file", str(body), "--out-dir", str(tmp_path / "out")),
        ]
    )
    return run_seal(arguments, MailAccess(home, secrets=lambda: keyring))


def test_seal_fetches_before_sealing(tmp_path: Path, server: RevocationServer) -> None:
    assert sealed(tmp_path, server, "require") == 0
    assert server.hits["lee.crl"] == 1
    assert len(list((tmp_path / "out").iterdir())) == 1


def test_seal_refuses_a_certificate_the_fetched_crl_revokes(
    tmp_path: Path, server: RevocationServer, capsys
) -> None:
    assert sealed(tmp_path, server, "prefer", revoked=True) == 3
    assert "revoked" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_seal_under_require_refuses_when_nobody_answers(
    tmp_path: Path, server: RevocationServer, capsys
) -> None:
    assert sealed(tmp_path, server, "require", fault=Fault.NOT_FOUND) == 3
    assert "HTTP status 404" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
