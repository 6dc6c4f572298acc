"""The same end-to-end tests for every account kind (issue 15, "Done when"): inbox and
preview of signed, encrypted and tampered mail; harvest; sealed sending with Bcc copies
that each open with ``openssl cms`` and name only their own recipients; a Sent copy; a
sealed draft on the server; a failure kept sealed in the outbox until retry sends the same
bytes; and no token or password anywhere."""

from __future__ import annotations

import email.parser
import email.policy
import email.utils
from pathlib import Path

from desktop_app.core.pki.certificates import fingerprint_sha256
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.paths import log_folder, store_path
from tests.accounts_contract.harness import KindHarness
from tests.factories.openssl_reader import openssl_decrypt
from tests.services.exchange.conftest import Pki
from tests.services.exchange.sealing import seal_files
from tests.services.graph.conftest import files_under
from tests.services.graph.messages import (
    encrypted_mail,
    plain_mail,
    sealed_with_attachment,
    signed_mail,
)

ALICE = "alice@clinic.example"


def _header_recipients(mime: bytes) -> set[str]:
    headers = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(mime)
    values = [str(v) for name in ("To", "Cc", "Bcc") for v in headers.get_all(name, [])]
    return {address for _, address in email.utils.getaddresses(values) if address}


def _same(one: bytes, other: bytes) -> bool:
    """Equal bytes, line ends aside (SMTP carries CRLF)."""
    return one.replace(b"\r\n", b"\n") == other.replace(b"\r\n", b"\n")


def test_inbox_previews_security_and_harvests(harness: KindHarness, pki: Pki) -> None:
    harness.add_to_inbox(plain_mail(ALICE, "Plain"))
    harness.add_to_inbox(encrypted_mail(pki.me, ALICE, "Sealed"))
    harness.add_to_inbox(signed_mail(pki.alice, ALICE, "Tampered", tamper=True))
    harness.add_to_inbox(signed_mail(pki.alice, ALICE, "Signed"))
    outcome = harness.cli("inbox", "--account", harness.account, "--json", "--harvest")
    assert outcome.code == 0, outcome.err
    found = {m["subject"]: m for m in outcome.json()["messages"]}
    assert set(found) == {"Plain", "Sealed", "Tampered", "Signed"}
    assert found["Signed"]["signature_valid"] is True and found["Signed"]["harvested"]
    assert found["Tampered"]["signature_valid"] is False
    assert found["Sealed"]["encrypted"] is True
    assert (found["Plain"]["encrypted"], found["Plain"]["signed"]) == (False, False)
    with CertStore.open(store_path(harness.cli.home)) as store:
        assert store.certificate(fingerprint_sha256(pki.alice.cert)) == pki.alice.cert


def test_sealed_send_with_bcc_one_copy_each_with_a_sent_copy(
    harness: KindHarness, pki: Pki, tmp_path: Path
) -> None:
    files = seal_files(pki, tmp_path / "sealed", tmp_path / "sealer.sqlite3")
    outcome = harness.cli("send", *map(str, files), "--account", harness.account)
    assert outcome.code == 0, outcome.err
    delivered = harness.delivered()
    assert len(delivered) == 2
    shared = next(data for _, data in delivered if _same(data, files[0].read_bytes()))
    blind = next(data for _, data in delivered if _same(data, files[1].read_bytes()))
    assert _header_recipients(shared) == {ALICE, "bob@clinic.example"}
    assert _header_recipients(blind) == {"carol@clinic.example"}
    for person, copy in ((pki.alice, shared), (pki.bob, shared), (pki.carol, blind)):
        assert b"Private." in openssl_decrypt(
            copy, person, tmp_path / str(person.cert.serial_number)
        )
    sent = harness.sent_folder()
    assert any(_same(copy, files[0].read_bytes()) for copy in sent)
    assert any(_same(copy, files[1].read_bytes()) for copy in sent)


def test_a_draft_on_the_server_is_sealed(harness: KindHarness, pki: Pki, tmp_path: Path) -> None:
    sealed = sealed_with_attachment(pki.me, "me@clinic.example", 2000, 5)
    harness.save_draft(sealed)
    [stored] = harness.server_drafts()
    assert _same(stored, sealed)
    assert b"Scan attached." in openssl_decrypt(stored, pki.me, tmp_path / "me")


def test_a_failed_send_stays_sealed_until_retry_sends_the_same_bytes(
    harness: KindHarness, pki: Pki, tmp_path: Path
) -> None:
    [message, *_] = seal_files(pki, tmp_path / "sealed", tmp_path / "sealer.sqlite3")
    original = message.read_bytes()
    harness.fail_next_send()
    assert harness.cli("send", str(message), "--account", harness.account).code == 1
    [waiting] = harness.cli("outbox", "--json").json()["messages"]
    assert waiting["encrypted"] and Path(waiting["file"]).read_bytes() == original
    assert harness.delivered() == []
    assert harness.cli("retry").code == 0
    [(_, data)] = harness.delivered()
    assert _same(data, original)
    assert harness.cli("outbox", "--json").json() == {"messages": []}


def test_no_secret_in_any_output_log_or_file(
    harness: KindHarness, pki: Pki, tmp_path: Path
) -> None:
    files = seal_files(pki, tmp_path / "sealed", tmp_path / "sealer.sqlite3")
    harness.fail_next_send()
    harness.cli("send", *map(str, files), "--account", harness.account)
    harness.cli("retry")
    harness.cli("inbox", "--account", harness.account)
    harness.cli("account", "list", "--json")
    harness.cli("account", "test", harness.account)
    secrets = harness.secrets()
    assert secrets
    written = [p.read_bytes() for p in files_under(harness.cli.home)]
    written += [p.read_bytes() for p in files_under(log_folder())]
    for secret in secrets:
        assert all(secret not in output for output in harness.cli.outputs)
        assert all(secret.encode() not in data for data in written)
