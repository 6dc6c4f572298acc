"""The command-line contract: subcommands, JSON shape and exit statuses."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from desktop_app.cli import main
from desktop_app.services.paths import log_folder
from tests.factories.certs import NOW, TestCA

AT = NOW.isoformat()
REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "resources" / "examples"


@pytest.fixture(scope="module")
def pki() -> dict[str, object]:
    root = TestCA("CLI Root")
    return {
        "root": root,
        "lee": root.issue(["lee@clinic.example"]),
        "me": root.issue(["me@clinic.example"], key_kind="p256"),
        "old": root.issue(["old@clinic.example"], not_after=NOW - dt.timedelta(days=2)),
    }


def run(home: Path, *arguments: str) -> int:
    return main(["--home", str(home), *arguments])


def check_json(home: Path, capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, dict]:
    capsys.readouterr()
    code = run(home, "check", "--json", "--at", AT, *arguments)
    return code, json.loads(capsys.readouterr().out)


@pytest.fixture
def stocked(home: Path, tmp_path: Path, pki: dict) -> Path:
    (tmp_path / "root.pem").write_bytes(pki["root"].pem)
    for name in ("lee", "me", "old"):
        (tmp_path / f"{name}.pem").write_bytes(pki[name].pem)
    assert run(home, "certs", "trust", str(tmp_path / "root.pem")) == 0
    assert (
        run(home, "certs", "import", *(str(tmp_path / f"{n}.pem") for n in ("lee", "me", "old")))
        == 0
    )
    return home


def write_eml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "original.eml"
    path.write_bytes(text.replace("\n", "\r\n").encode())
    return path


MIXED = """From: Dana <dana@partner.example>
To: Me <me@clinic.example>
Cc: Lee <lee@clinic.example>
Bcc: secret@clinic.example
Subject: results
Message-ID: <m1@partner.example>

hello
"""


def test_new_message_to_covered_recipients_is_encrypted(
    stocked: Path, tmp_path: Path, pki: dict, capsys
) -> None:
    # A current CRL of the root settles revocation, so no revocation_unknown warning.
    crl = pki["root"].crl(next_update=dt.datetime.now(dt.UTC) + dt.timedelta(days=30))
    (tmp_path / "root.crl").write_bytes(crl.public_bytes(serialization.Encoding.DER))
    assert run(stocked, "certs", "crl", str(tmp_path / "root.crl")) == 0
    capsys.readouterr()
    code, result = check_json(
        stocked, capsys, "--from", "me@clinic.example", "--to", "Lee <LEE@Clinic.example>"
    )
    assert code == 0
    assert result["overall"] == "encrypted"
    assert result["recipients"] == [
        {
            "field": "to",
            "address": "LEE@Clinic.example",
            "display_name": "Lee",
            "status": "ok",
            "reason": result["recipients"][0]["reason"],
            "certificate": result["recipients"][0]["certificate"],
            "certificate_source": "store",
            "certificate_not_after": result["recipients"][0]["certificate_not_after"],
            "expires_soon": False,
            "pinned": False,
            "key_changed": None,
        }
    ]
    assert result["warnings"] == []


def test_reply_all_to_mixed_group_is_not_encrypted_and_matches_a_new_message(
    stocked: Path, tmp_path: Path, capsys
) -> None:
    eml = write_eml(tmp_path, MIXED)
    code, reply = check_json(
        stocked, capsys, "--from", "me@clinic.example", "--reply-all", str(eml)
    )
    assert code == 3
    assert reply["overall"] == "not_encrypted"
    assert [(r["field"], r["address"], r["status"]) for r in reply["recipients"]] == [
        ("to", "dana@partner.example", "no_certificate"),
        ("cc", "lee@clinic.example", "ok"),
    ]
    code_new, new = check_json(
        stocked,
        capsys,
        "--from",
        "me@clinic.example",
        "--to",
        "Dana <dana@partner.example>",
        "--cc",
        "Lee <lee@clinic.example>",
    )
    assert code_new == 3
    assert new == reply


def test_reply_goes_to_the_sender_only(stocked: Path, tmp_path: Path, capsys) -> None:
    eml = write_eml(tmp_path, MIXED)
    code, reply = check_json(stocked, capsys, "--from", "me@clinic.example", "--reply", str(eml))
    assert code == 3
    assert [r["address"] for r in reply["recipients"]] == ["dana@partner.example"]
    code, forward = check_json(
        stocked,
        capsys,
        "--from",
        "me@clinic.example",
        "--forward",
        str(eml),
        "--to",
        "lee@clinic.example",
    )
    assert code == 0
    assert [r["address"] for r in forward["recipients"]] == ["lee@clinic.example"]


def test_time_is_a_parameter(stocked: Path, capsys) -> None:
    code, now = check_json(stocked, capsys, "--to", "old@clinic.example")
    assert (code, now["recipients"][0]["status"]) == (3, "expired")
    earlier = (NOW - dt.timedelta(days=3)).isoformat()
    code, before = check_json(stocked, capsys, "--to", "old@clinic.example", "--at", earlier)
    assert (code, before["overall"], before["recipients"][0]["status"]) == (0, "encrypted", "ok")


def test_not_yet_valid_before_the_certificate_starts(stocked: Path, capsys) -> None:
    capsys.readouterr()
    code = run(
        stocked,
        "check",
        "--json",
        "--at",
        "2020-01-01T00:00:00+00:00",
        "--to",
        "lee@clinic.example",
    )
    result = json.loads(capsys.readouterr().out)
    assert (code, result["recipients"][0]["status"]) == (3, "not_yet_valid")


def test_invalid_address_exits_2_names_the_text_and_says_invalid(stocked: Path, capsys) -> None:
    capsys.readouterr()
    code = run(
        stocked,
        "check",
        "--json",
        "--to",
        "lee@clinic.example, alice@example.org)<bob@example.org>",
    )
    captured = capsys.readouterr()
    assert code == 2
    assert json.loads(captured.out)["overall"] == "invalid"
    assert "alice@example.org)" in captured.err


def test_bad_time_and_missing_eml_are_usage_errors(stocked: Path, capsys) -> None:
    assert run(stocked, "check", "--at", "yesterday", "--to", "lee@clinic.example") == 2
    assert "yesterday" in capsys.readouterr().err
    assert run(stocked, "check", "--reply-all", str(stocked / "nope.eml")) == 2
    assert "does not exist" in capsys.readouterr().err


def test_unreadable_file_is_reported_and_the_others_still_import(
    home: Path, tmp_path: Path, pki, capsys
) -> None:
    (tmp_path / "junk.pem").write_bytes(
        b"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n"
    )
    (tmp_path / "lee.der").write_bytes(pki["lee"].der)
    code = run(home, "certs", "import", str(tmp_path / "junk.pem"), str(tmp_path / "lee.der"))
    captured = capsys.readouterr()
    assert code == 2
    assert "junk.pem" in captured.err
    assert run(home, "certs", "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [c["addresses"] for c in listed] == [["lee@clinic.example"]]
    assert listed[0]["source"] == "imported"


def test_crl_revokes_and_untrusted_without_anchor(
    stocked: Path, tmp_path: Path, pki, capsys
) -> None:
    crl = pki["root"].crl([pki["lee"].cert.serial_number])
    (tmp_path / "root.crl").write_bytes(crl.public_bytes(serialization.Encoding.DER))
    assert run(stocked, "certs", "crl", str(tmp_path / "root.crl")) == 0
    code, result = check_json(stocked, capsys, "--to", "lee@clinic.example")
    assert (code, result["recipients"][0]["status"]) == (3, "revoked")
    other_home = tmp_path / "other"
    (tmp_path / "me.pem").write_bytes(pki["me"].pem)
    assert run(other_home, "certs", "import", str(tmp_path / "me.pem")) == 0
    code, result = check_json(other_home, capsys, "--to", "me@clinic.example")
    assert (code, result["recipients"][0]["status"]) == (3, "untrusted")


def test_crl_not_signed_by_a_known_ca_is_refused_and_cannot_displace_the_real_one(
    stocked: Path, tmp_path: Path, pki, capsys
) -> None:
    root = pki["root"]
    real = root.crl([pki["lee"].cert.serial_number])
    forged = root.crl([], last_update=NOW, signing_key=pki["lee"].key)
    (tmp_path / "real.crl").write_bytes(real.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "forged.crl").write_bytes(forged.public_bytes(serialization.Encoding.DER))
    assert run(stocked, "certs", "crl", str(tmp_path / "real.crl")) == 0
    capsys.readouterr()
    assert run(stocked, "certs", "crl", str(tmp_path / "forged.crl")) == 2
    assert "not signed by a known CA" in capsys.readouterr().err
    code, result = check_json(stocked, capsys, "--to", "lee@clinic.example")
    assert (code, result["recipients"][0]["status"]) == (3, "revoked")


def test_trust_refuses_a_file_without_ca_certificates(
    home: Path, tmp_path: Path, pki, capsys
) -> None:
    (tmp_path / "lee.pem").write_bytes(pki["lee"].pem)
    assert run(home, "certs", "trust", str(tmp_path / "lee.pem")) == 2
    assert "not a CA certificate" in capsys.readouterr().err


def test_table_output_marks_each_recipient(stocked: Path, capsys) -> None:
    capsys.readouterr()
    code = run(stocked, "check", "--at", AT, "--to", "lee@clinic.example, dana@partner.example")
    out = capsys.readouterr().out
    assert code == 3
    assert out.startswith("🔓 Not Encrypted: 1 of 2 recipients cannot read encrypted mail.")
    lee_line = next(line for line in out.splitlines() if "lee@clinic.example" in line)
    dana_line = next(line for line in out.splitlines() if "dana@partner.example" in line)
    assert "🔒" in lee_line and "no_certificate" in dana_line and "🔓" in dana_line


def test_log_file_records_commands_but_no_addresses(stocked: Path, capsys) -> None:
    run(stocked, "check", "--at", AT, "--to", "lee@clinic.example")
    log_text = (log_folder() / "smime-guard.log").read_text(encoding="utf-8")
    assert "command check started" in log_text
    assert "lee@clinic.example" not in log_text


def test_bundled_example_runs_as_the_readme_says(tmp_path: Path) -> None:
    environment = {**os.environ, "SMIME_GUARD_HOME": str(tmp_path / "example-home")}
    command = [sys.executable, "-m", "desktop_app"]

    def call(*arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*command, *arguments],
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    assert call("certs", "trust", str(EXAMPLES / "demo-ca.pem")).returncode == 0
    assert (
        call("certs", "import", *map(str, sorted((EXAMPLES / "certs").glob("*.pem")))).returncode
        == 0
    )
    result = call(
        "check",
        "--json",
        "--from",
        "you@clinic.example",
        "--reply-all",
        str(EXAMPLES / "reply-all.eml"),
    )
    assert result.returncode == 3, result.stderr
    verdict = json.loads(result.stdout)
    assert {r["address"]: r["status"] for r in verdict["recipients"]} == {
        "dana@partner.example": "no_certificate",
        "lee@clinic.example": "ok",
        "sam@clinic.example": "expired",
    }
