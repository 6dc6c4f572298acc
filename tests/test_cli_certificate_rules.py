"""The command line with hostile or unusual certificates: each is one finding, never a crash."""

import json
from pathlib import Path

import pytest
from cryptography import x509

from desktop_app.cli import main
from desktop_app.cli.open_command import run_open
from desktop_app.cli.parser import build_parser
from desktop_app.core.messages import text
from desktop_app.core.pki import cert_addresses
from desktop_app.core.pki.cert_addresses import MAX_ADDRESSES
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.paths import store_path
from desktop_app.services.secrets import SecretStore
from tests.factories import smime_mail
from tests.factories.certs import NOW, Issued, TestCA
from tests.factories.odd_certs import (
    constrained_intermediate,
    issue_with_san,
    lenient_root,
    odd_name_certificate,
    odd_name_crl,
    rfc822_entry,
)
from tests.services.keyrings import InMemoryKeyring

CA = TestCA("CLI Rules Root")
AT = NOW.isoformat()


def run(home: Path, *arguments: str) -> int:
    return main(["--home", str(home), *arguments])


def stored_addresses(home: Path) -> list[tuple[str, ...]]:
    with CertStore.open(store_path(home)) as store:
        return [cert.addresses for cert in store.list_certificates()]


def write(folder: Path, name: str, data: bytes) -> str:
    path = folder / name
    path.write_bytes(data)
    return str(path)


def test_import_of_an_unreadable_certificate_still_imports_the_others(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = write(tmp_path, "a.pem", CA.issue(["a@clinic.example"]).pem)
    b = write(tmp_path, "b.pem", odd_name_certificate(CA).pem)
    c = write(tmp_path, "c.pem", CA.issue(["c@clinic.example"]).pem)

    assert run(home, "certs", "import", a, b, c) == 2

    err = capsys.readouterr().err
    assert text("cert.damaged", source=b, number=1) in err
    assert "internal error" not in err
    assert sorted(stored_addresses(home)) == [("a@clinic.example",), ("c@clinic.example",)]


def test_a_crl_with_an_unreadable_issuer_name_is_refused_with_a_reason(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(home, "certs", "trust", write(tmp_path, "ca.pem", CA.pem)) == 0
    crl = write(tmp_path, "odd.crl", odd_name_crl(CA))

    assert run(home, "certs", "crl", crl) == 2

    assert text("crl.unreadable", source=crl) in capsys.readouterr().err


def _signed_eml(
    folder: Path, signer: Issued, sender: str, chain: tuple[x509.Certificate, ...] = ()
) -> Path:
    content = b"Content-Type: text/plain; charset=utf-8\r\n\r\nSee you at nine.\r\n"
    der = smime_mail.signed_der(signer, content, extra_certificates=chain)
    part = smime_mail.pkcs7_mime_part(der, smime_type="signed-data")
    path = folder / "signed.eml"
    path.write_bytes(smime_mail.headers(From=sender) + part)
    return path


def _open_json(home: Path, eml: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    capsys.readouterr()
    keyring = SecretStore(InMemoryKeyring())
    arguments = build_parser().parse_args(["open", str(eml), "--json"])
    code = run_open(arguments, MailAccess(home, secrets=lambda: keyring))
    return code, json.loads(capsys.readouterr().out)


def test_open_of_a_message_signed_with_an_unreadable_certificate_shows_the_text(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(home, "certs", "trust", write(tmp_path, "ca.pem", CA.pem))
    eml = _signed_eml(
        tmp_path, odd_name_certificate(CA, "odd@clinic.example"), "odd@clinic.example"
    )

    code, opened = _open_json(home, eml, capsys)

    assert code == 3  # opened, signature not valid
    assert opened["text"].strip() == "See you at nine."
    assert opened["signature"]["valid"] is False
    assert opened["signature"]["signer"] is None
    assert opened["signature"]["reason"] == text("signature.signer_cert_unreadable")


def test_a_signature_through_the_subject_email_address_outside_name_constraints_is_not_valid(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(home, "certs", "trust", write(tmp_path, "ca.pem", CA.pem))
    clinic_only = constrained_intermediate(CA, "CLI Clinic Only", permitted=["clinic.example"])
    eve = clinic_only.issue([], common_name="Eve", subject_email="eve@evil.example")
    eml = _signed_eml(tmp_path, eve, "eve@evil.example", chain=(clinic_only.cert,))

    code, opened = _open_json(home, eml, capsys)

    assert code == 3
    assert opened["signature"]["valid"] is False
    assert text("cert.untrusted.name_constraints") in opened["signature"]["reason"]


def test_a_trust_anchor_with_non_critical_basic_constraints_vouches_for_its_certificates(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = lenient_root("Lenient Practice Root")
    dana = root.issue(["dana@partner.example"])
    assert run(home, "certs", "trust", write(tmp_path, "root.pem", root.pem)) == 0
    assert run(home, "certs", "import", write(tmp_path, "dana.pem", dana.pem)) == 0
    capsys.readouterr()

    code = run(home, "check", "--json", "--at", AT, "--to", "dana@partner.example")
    checked = json.loads(capsys.readouterr().out)
    assert code == 0
    assert checked["overall"] == "encrypted"

    eml = _signed_eml(tmp_path, dana, "dana@partner.example")
    code, opened = _open_json(home, eml, capsys)
    assert opened["signature"]["valid"] is True, opened["signature"]["reason"]
    assert code == 0


def test_import_refuses_a_certificate_naming_too_many_addresses_and_keeps_the_rest(
    home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parsed: list[str] = []
    real_parse = cert_addresses.parse_mailbox
    monkeypatch.setattr(
        cert_addresses, "parse_mailbox", lambda value: parsed.append(value) or real_parse(value)
    )
    crowded = [rfc822_entry(f"alias{n}@clinic.example".encode()) for n in range(8_000)]
    big = issue_with_san(CA, crowded, common_name="Everyone")
    ann = CA.issue(["ann@clinic.example"])
    bundle = write(tmp_path, "bundle.pem", big.pem + ann.pem + big.pem)

    assert run(home, "certs", "import", bundle) == 2

    err = capsys.readouterr().err
    assert (
        text(
            "cli.too_many_addresses",
            number=1,
            file=bundle,
            subject="Everyone",
            count=8_000,
            limit=MAX_ADDRESSES,
        )
        in err
    )
    assert stored_addresses(home) == [("ann@clinic.example",)]
    # The work is bounded: the 8,000 addresses were counted, never read one by one.
    assert parsed == ["ann@clinic.example"]
