"""The admin bundle: built and signed by the CLI, fetched over HTTPS, accepted, refreshed
with 304, and refused (keeping the old one) when tampered, unsigned, signed by another
admin, older, or stale."""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
from pathlib import Path

import pytest

from desktop_app.cli import main
from desktop_app.core.bundles.manifest import BundleError, read_export
from desktop_app.core.bundles.signing import open_bundle, sign_bundle
from desktop_app.core.pki.certificates import fingerprint_sha256
from desktop_app.services.certificates.bundle_source import BundleSource
from desktop_app.services.certificates.config import SourceConfig
from desktop_app.services.certificates.consult import read_values
from desktop_app.services.certificates.source import FindingKind
from tests.factories.cert_files import p7b_file, pkcs12_file
from tests.factories.certs import NOW, TestCA
from tests.ldap_server.seed import der
from tests.services.certificates.bundle_http import bundle_server

ADMIN_CA = TestCA("Practice Admin CA")
ADMIN = ADMIN_CA.issue(["it@clinic.example"], slot=5)
ROGUE_CA = TestCA("Rogue CA")
ROGUE = ROGUE_CA.issue(["it@clinic.example"], slot=6)
PEOPLE_CA = TestCA("People CA")
LEE = PEOPLE_CA.issue(["lee@clinic.example"], slot=7).cert
LEE_NEXT = PEOPLE_CA.issue(["lee@clinic.example"], slot=8).cert
ANN = PEOPLE_CA.issue(["ann@clinic.example"], slot=9).cert


def export(exported: dt.datetime, *, garbage: bool = False) -> dict[str, object]:
    ann_values = [base64.b64encode(der(ANN)).decode()]
    if garbage:
        ann_values.append(base64.b64encode(b"not a certificate").decode())
    return {
        "exported": exported.isoformat(),
        "recipients": [
            {
                "address": "lee@clinic.example",
                "proxy_addresses": ["SMTP:lee@clinic.example", "smtp:l.lee@clinic.example"],
                "certificates": [base64.b64encode(p7b_file([LEE, LEE_NEXT])).decode()],
            },
            {"address": "ann@clinic.example", "proxy_addresses": [], "certificates": ann_values},
        ],
    }


def bundle(exported: dt.datetime, signer=ADMIN, chain=()) -> bytes:  # type: ignore[no-untyped-def]
    read = read_export(json.dumps(export(exported)).encode(), where="test")
    return sign_bundle(read.manifest, signer.cert, signer.key, chain=chain, at=NOW)


def test_cli_builds_a_bundle_the_pinned_admin_opens(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "export.json"
    source.write_text(json.dumps(export(NOW, garbage=True)))
    p12 = tmp_path / "admin.p12"
    p12.write_bytes(pkcs12_file(ADMIN, [ADMIN_CA.cert], password=b"pw"))
    monkeypatch.setenv("ADMIN_PW", "pw")
    out = tmp_path / "bundle.p7m"
    code = main(
        [
            "admin",
            "bundle",
            "build",
            "--from",
            str(source),
            "--sign",
            str(p12),
            "--password-env",
            "ADMIN_PW",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    assert "certificate #2 of ann@clinic.example" in capsys.readouterr().err
    manifest = open_bundle(out.read_bytes(), [ADMIN_CA.cert], NOW)
    index = manifest.by_key()
    assert index["l.lee@clinic.example"].address == "lee@clinic.example"
    assert len(index["lee@clinic.example"].certificates) == 2
    with pytest.raises(BundleError, match="not signed by the administrator"):
        open_bundle(out.read_bytes(), [ROGUE_CA.cert], NOW)


def test_cli_refuses_a_wrong_p12_password(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "export.json"
    source.write_text(json.dumps(export(NOW)))
    p12 = tmp_path / "admin.p12"
    p12.write_bytes(pkcs12_file(ADMIN, password=b"pw"))
    monkeypatch.setenv("ADMIN_PW", "wrong")
    out = tmp_path / "bundle.p7m"
    args = ["admin", "bundle", "build", "--from", str(source), "--sign", str(p12)]
    assert main([*args, "--password-env", "ADMIN_PW", "--out", str(out)]) == 2
    assert not out.exists()


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


def test_fetched_accepted_refreshed_and_refused(
    tmp_path: Path, home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    signer_file = tmp_path / "admin-ca.pem"
    signer_file.write_bytes(ADMIN_CA.pem)
    clock = Clock()
    with bundle_server(tmp_path / "tls") as (url, ca_file, served):
        config = SourceConfig(
            "practice", "bundle", url=url, signer=str(signer_file), ca_file=str(ca_file)
        )
        source = BundleSource(config, home, clock)
        served.body = bundle(NOW - dt.timedelta(days=1))
        source.test()  # fetched over HTTPS and accepted
        found = source.lookup(["l.lee@clinic.example", "ann@clinic.example", "x@y.example"])
        lee = found["l.lee@clinic.example"]
        assert lee.kind is FindingKind.PERSON and lee.source == "bundle:practice"
        assert lee.primary == "lee@clinic.example"
        fingerprints = {fingerprint_sha256(p.certificate) for p in read_values(lee)[0]}
        assert fingerprints == {fingerprint_sha256(LEE), fingerprint_sha256(LEE_NEXT)}
        assert found["x@y.example"].kind is FindingKind.UNKNOWN

        # Unchanged: the server says 304 to the ETag, and nothing changes.
        assert source.refresh(force=True) is None
        assert served.statuses[-1] == 304 and served.conditional

        # Not due yet: nothing is asked.
        clock.now += dt.timedelta(hours=1)
        asked = len(served.statuses)
        source.refresh()
        assert len(served.statuses) == asked

        held = source.held()
        assert held is not None
        refusals = {
            "tampered": (_tampered(bundle(NOW)), "not signed by the administrator"),
            "unsigned": (b'{"format": "smime-guard-bundle/1"}', "not a signed bundle"),
            "another admin": (bundle(NOW, signer=ROGUE), "not signed by the administrator"),
            "older": (bundle(NOW - dt.timedelta(days=5)), "is older"),
            "stale": (bundle(NOW - dt.timedelta(days=400)), "days ago"),
        }
        for why, (body, reason) in refusals.items():
            served.body = body
            caplog.clear()
            with caplog.at_level(logging.WARNING):
                warning = source.refresh(force=True)
                source.refresh(force=True)  # the same refusal again: no second warning
            assert warning is not None and "still used" in warning, why
            assert reason in warning, (why, warning)
            assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1, why
            assert source.held() == held, why
            assert source.lookup(["ann@clinic.example"])["ann@clinic.example"].kind is (
                FindingKind.PERSON
            )

        # A newer bundle from the right admin replaces the old one and clears the warning.
        served.body = bundle(NOW)
        assert source.refresh(force=True) is None
        newer = source.held()
        assert newer is not None and newer.exported == NOW


def _tampered(data: bytes) -> bytes:
    marker = b"lee@clinic.example"
    at = data.index(marker)
    return data[:at] + b"bee" + data[at + 3 :]


def test_directory_add_bundle_and_lookup_source(tmp_path: Path, home: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    signer_file = tmp_path / "admin-ca.pem"
    signer_file.write_bytes(ADMIN_CA.pem)
    path = tmp_path / "published.p7m"
    path.write_bytes(bundle(dt.datetime.now(dt.UTC) - dt.timedelta(days=1)))
    base = ["--home", str(home)]
    assert main([*base, "certs", "trust", str(_pem(tmp_path))]) == 0
    added = ["directory", "add", "bundle", "--path", str(path), "--signer", str(signer_file)]
    assert main([*base, *added, "--name", "practice"]) == 0
    capsys.readouterr()
    assert main([*base, "directory", "lookup", "--json", "ann@clinic.example"]) == 0
    (ann,) = json.loads(capsys.readouterr().out)["results"]
    assert ann["status"] == "ok"
    assert [c["source"] for c in ann["certificates"]] == ["bundle:practice"]
    # Unsigned at the path: refused when added, nothing kept.
    bad = tmp_path / "unsigned.p7m"
    bad.write_bytes(b"{}")
    added = ["directory", "add", "bundle", "--path", str(bad), "--signer", str(signer_file)]
    assert main([*base, *added, "--name", "bad"]) == 2
    assert not (home / "bundles" / "bad").exists()


def _pem(tmp_path: Path) -> Path:
    path = tmp_path / "people-ca.pem"
    path.write_bytes(PEOPLE_CA.pem)
    return path


def test_check_says_once_on_stderr_that_a_bundle_was_refused(
    tmp_path: Path, home: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    signer_file = tmp_path / "admin-ca.pem"
    signer_file.write_bytes(ADMIN_CA.pem)
    path = tmp_path / "published.p7m"
    now = dt.datetime.now(dt.UTC)
    path.write_bytes(bundle(now - dt.timedelta(days=1)))
    base = ["--home", str(home)]
    assert main([*base, "certs", "trust", str(_pem(tmp_path))]) == 0
    added = ["directory", "add", "bundle", "--path", str(path), "--signer", str(signer_file)]
    assert main([*base, *added, "--name", "practice"]) == 0
    path.write_bytes(bundle(now - dt.timedelta(days=1), signer=ROGUE))  # replaced by a forgery
    state_file = home / "bundles" / "practice" / "state.json"
    state = json.loads(state_file.read_text())
    state["checked"] = (now - dt.timedelta(days=1)).isoformat()  # due for a fetch now
    state_file.write_text(json.dumps(state))
    capsys.readouterr()
    assert main([*base, "check", "--json", "--to", "ann@clinic.example"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["recipients"][0]["certificate_source"] == "bundle:practice"
    assert captured.err.count("was refused") == 1
    assert "not signed by the administrator" in captured.err
