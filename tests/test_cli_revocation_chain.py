"""``check`` asks about the intermediate CA above a recipient too, over real HTTP."""

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from desktop_app.cli import main
from tests.factories.certs import TestCA
from tests.factories.revocation_server import Fault, RevocationServer, Route

NOW = dt.datetime.now(dt.UTC)


def der(crl: x509.CertificateRevocationList) -> bytes:
    return crl.public_bytes(serialization.Encoding.DER)


def current_crl(ca: TestCA, revoked: tuple[int, ...] = ()) -> bytes:
    return der(
        ca.crl(
            list(revoked),
            last_update=NOW - dt.timedelta(hours=1),
            next_update=NOW + dt.timedelta(days=1),
        )
    )


@pytest.fixture
def server() -> Iterator[RevocationServer]:
    with RevocationServer() as running:
        yield running


@pytest.fixture
def chain(tmp_path: Path, server: RevocationServer) -> tuple[Path, TestCA, TestCA]:
    """A home trusting a root, with its Sub CA (which names ``root.crl``) and Kim (issued
    by the Sub CA, naming ``sub.crl``) imported; both lists served and current."""
    root = TestCA("CLI Chain Root", slot=31)
    sub = root.intermediate("CLI Chain Sub CA", crl_urls=[server.url("root.crl")])
    kim = sub.issue(
        ["kim@clinic.example"],
        crl_urls=[server.url("sub.crl")],
        not_before=NOW - dt.timedelta(days=1),
        not_after=NOW + dt.timedelta(days=30),
    )
    home = tmp_path / "home"
    for name, pem in (("root.pem", root.pem), ("sub.pem", sub.pem), ("kim.pem", kim.pem)):
        (tmp_path / name).write_bytes(pem)
    assert main(["--home", str(home), "certs", "trust", str(tmp_path / "root.pem")]) == 0
    files = [str(tmp_path / "sub.pem"), str(tmp_path / "kim.pem")]
    assert main(["--home", str(home), "certs", "import", *files]) == 0
    server.routes["root.crl"] = Route(crl=current_crl(root))
    server.routes["sub.crl"] = Route(crl=current_crl(sub))
    (home / "policy.toml").write_text('revocation = "require"\n', encoding="utf-8")
    return home, root, sub


def check(home: Path, capsys) -> tuple[int, dict]:
    capsys.readouterr()
    code = main(["--home", str(home), "check", "--to", "kim@clinic.example", "--json"])
    return code, json.loads(capsys.readouterr().out)["recipients"][0]


def test_a_good_chain_is_covered_under_require(chain, server: RevocationServer, capsys) -> None:
    home, _, _ = chain
    code, kim = check(home, capsys)
    assert (code, kim["status"]) == (0, "ok")
    assert (server.hits["root.crl"], server.hits["sub.crl"]) == (1, 1)


def test_an_unreachable_intermediate_list_is_revocation_unknown(
    chain, server: RevocationServer, capsys
) -> None:
    home, _, _ = chain
    server.routes["root.crl"] = Route(fault=Fault.NOT_FOUND)
    code, kim = check(home, capsys)
    assert (code, kim["status"]) == (3, "revocation_unknown")
    assert "“CLI Chain Sub CA”" in kim["reason"]
    assert "HTTP status 404" in kim["reason"]


def test_a_revoked_intermediate_revokes_the_recipient(
    chain, server: RevocationServer, capsys
) -> None:
    home, root, sub = chain
    server.routes["root.crl"] = Route(crl=current_crl(root, (sub.cert.serial_number,)))
    code, kim = check(home, capsys)
    assert (code, kim["status"]) == (3, "revoked")
    assert "“CLI Chain Sub CA” in its chain was revoked" in kim["reason"]
