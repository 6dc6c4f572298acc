"""check's PHI additions (phi, phi_unchecked, --phi-strict) and the audit commands."""

import datetime as dt
import json
from pathlib import Path

import pytest

from desktop_app.services.audit import AUDIT_FILE_NAME, AuditEntry, AuditLog
from tests.factories.certs import TestCA
from tests.factories.pdf import make_pdf
from tests.test_cli import check_json, run


@pytest.fixture
def stocked(home: Path, tmp_path: Path) -> Path:
    root = TestCA("PHI Root")
    (tmp_path / "root.pem").write_bytes(root.pem)
    for name in ("lee", "me"):
        (tmp_path / f"{name}.pem").write_bytes(root.issue([f"{name}@clinic.example"]).pem)
    assert run(home, "certs", "trust", str(tmp_path / "root.pem")) == 0
    assert run(home, "certs", "import", str(tmp_path / "lee.pem"), str(tmp_path / "me.pem")) == 0
    return home


UNENCRYPTED = ("--from", "me@clinic.example", "--to", "dana@partner.example")
ENCRYPTED = ("--from", "me@clinic.example", "--to", "lee@clinic.example")


def test_check_reports_findings_in_subject_body_and_attachments(
    stocked: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = tmp_path / "body.txt"
    body.write_text("Her SSN is 123-45-6789.", encoding="utf-8")
    pdf = tmp_path / "referral.pdf"
    pdf.write_bytes(make_pdf([["Date of birth: April 12, 1961"]]))
    image = tmp_path / "scan.jpg"
    image.write_bytes(b"\xff\xd8\xff\xe0")
    code, result = check_json(
        stocked,
        capsys,
        *UNENCRYPTED,
        "--subject",
        "Results for Mrs. Patel",
        "--body-file",
        str(body),
        "--attach",
        str(pdf),
        "--attach",
        str(image),
    )
    assert code == 3
    assert result["phi"] == [
        {"where": "subject", "kind": "name_cue", "excerpt": "***. ***el"},
        {"where": "body", "kind": "ssn", "excerpt": "***-**-**89"},
        {"where": "attachment:referral.pdf", "kind": "dob", "excerpt": "***** **, **61"},
    ]
    assert result["phi_unchecked"] == ["scan.jpg"]
    assert "123-45-6789" not in json.dumps(result)


def test_without_message_parts_the_keys_are_empty(
    stocked: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, result = check_json(stocked, capsys, *ENCRYPTED)
    assert code == 0 and result["phi"] == [] and result["phi_unchecked"] == []


def test_phi_strict_fails_a_subject_finding_on_an_encrypted_message(
    stocked: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    subject = ("--subject", "Lab results, DOB 04/12/1961")
    code, result = check_json(stocked, capsys, *ENCRYPTED, *subject)
    assert code == 0 and result["overall"] == "encrypted"  # exit status unchanged
    assert [f["kind"] for f in result["phi"]] == ["dob"]
    code, _ = check_json(stocked, capsys, *ENCRYPTED, *subject, "--phi-strict")
    assert code == 3
    # With headers protected the Subject travels inside the encryption.
    (stocked / "policy.toml").write_text("protect_headers = true\n", encoding="utf-8")
    code, _ = check_json(stocked, capsys, *ENCRYPTED, *subject, "--phi-strict")
    assert code == 0


def test_phi_off_and_mrn_patterns_come_from_the_policy(
    stocked: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (stocked / "policy.toml").write_text('[phi.mrn]\nchart = "MRN\\\\d{6}"\n', encoding="utf-8")
    _, result = check_json(stocked, capsys, *ENCRYPTED, "--subject", "Chart MRN123456")
    assert [f["kind"] for f in result["phi"]] == ["mrn:chart"]
    (stocked / "policy.toml").write_text('phi = "off"\n', encoding="utf-8")
    _, result = check_json(stocked, capsys, *ENCRYPTED, "--subject", "DOB 04/12/1961")
    assert result["phi"] == []


def test_a_missing_attachment_is_bad_input(
    stocked: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, result = check_json(stocked, capsys, *ENCRYPTED, "--attach", str(tmp_path / "gone"))
    assert code == 2 and result["overall"] == "invalid"


def _audit(home: Path, count: int) -> AuditLog:
    log = AuditLog(home / AUDIT_FILE_NAME)
    for number in range(count):
        log.record(
            AuditEntry(
                dt.datetime(2026, 11, 20 + number, tzinfo=dt.UTC),
                "me@clinic.example",
                ("dana@partner.example",),
                "send_unencrypted",
                False,
                reason="patient_consent",
                phi=("dob@body",),
            )
        )
    return log


def test_audit_verify_and_export(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(home, "audit", "verify") == 0
    assert "no records" in capsys.readouterr().out
    log = _audit(home, 3)
    assert run(home, "audit", "verify") == 0
    assert "3 records" in capsys.readouterr().out
    assert run(home, "audit", "export", "--since", "2026-11-21", "--format", "json") == 0
    exported = json.loads(capsys.readouterr().out)
    assert [r["seq"] for r in exported] == [2, 3] and exported[0]["reason"] == "patient_consent"
    assert run(home, "audit", "export", "--format", "csv") == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0] == "seq,time,sender,recipients,choice,encrypted,removed,reason,phi"
    assert len(rows) == 4
    lines = log.path.read_text("utf-8").splitlines(keepends=True)
    log.path.write_text(lines[0] + lines[2], "utf-8")
    assert run(home, "audit", "verify") == 3
    assert "Record 2:" in capsys.readouterr().out
    assert run(home, "audit", "export", "--since", "yesterday") == 2
