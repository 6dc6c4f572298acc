"""exchange send / outbox / retry: sealed MIME as it is, one message per envelope, an outbox
that keeps what could not be sent."""

from __future__ import annotations

import email
import email.policy
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.ews_server import EwsTestServer
from tests.prerequisites import require_program
from tests.services.exchange.conftest import USER, Cli, Pki
from tests.services.exchange.sealing import seal_files
from tests.work import SentRequest, Sleeps, wait_until


@pytest.fixture
def sealed(tmp_path: Path, pki: Pki) -> list[Path]:
    return seal_files(pki, tmp_path / "sealed", tmp_path / "sealer.sqlite3")


def headers(mime: bytes) -> email.message.Message:
    return email.message_from_bytes(mime, policy=email.policy.default)


def outbox(cli: Cli) -> list[dict[str, Any]]:
    outcome = cli("exchange", "outbox", "--json")
    assert outcome.code == 0
    messages: list[dict[str, Any]] = outcome.json()["messages"]
    return messages


def test_the_server_receives_exactly_the_sealed_bytes_one_message_per_envelope(
    signed_in: Cli, ews: EwsTestServer, sealed: list[Path]
) -> None:
    outcome = signed_in("exchange", "send", *map(str, sealed))

    assert outcome.code == 0, outcome.err
    received = ews.state.received
    assert [message.mime for message in received] == [path.read_bytes() for path in sealed]
    assert {(m.disposition, m.saved_folder) for m in received} == {("SendAndSaveCopy", "sentitems")}
    shared, blind = (headers(message.mime) for message in received)
    assert "alice@clinic.example" in shared["To"] and "bob@clinic.example" in shared["Cc"]
    assert blind["To"] == "carol@clinic.example"  # the Bcc envelope names only Carol
    assert blind["Cc"] is None and blind["Bcc"] is None and shared["Bcc"] is None
    assert len(ews.state.folder_items("sentitems")) == 2
    assert outbox(signed_in) == []


def test_what_the_server_received_opens_with_openssl(
    signed_in: Cli, ews: EwsTestServer, sealed: list[Path], pki: Pki, tmp_path: Path
) -> None:
    openssl = require_program("openssl", "openssl")
    from cryptography.hazmat.primitives import serialization

    assert signed_in("exchange", "send", *map(str, sealed)).code == 0
    key = tmp_path / "carol.key"
    key.write_bytes(
        pki.carol.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert = tmp_path / "carol.pem"
    cert.write_bytes(pki.carol.pem)
    message = tmp_path / "received.eml"
    message.write_bytes(ews.state.received[1].mime)

    opened = subprocess.run(
        [
            openssl,
            "cms",
            "-decrypt",
            "-in",
            str(message),
            "-recip",
            str(cert),
            "-inkey",
            str(key),
        ],
        capture_output=True,
        check=False,
    )

    assert opened.returncode == 0, opened.stderr
    assert b"Private." in opened.stdout


def test_a_plaintext_file_is_refused_and_nothing_is_queued(
    signed_in: Cli, ews: EwsTestServer, sealed: list[Path], tmp_path: Path
) -> None:
    plain = tmp_path / "plain.eml"
    plain.write_bytes(
        b"From: me@clinic.example\r\nTo: alice@clinic.example\r\nSubject: x\r\n\r\nhi\r\n"
    )

    outcome = signed_in("exchange", "send", str(sealed[0]), str(plain))

    assert outcome.code == 2
    assert "not a sealed S/MIME message" in outcome.err
    assert ews.state.received == []
    assert outbox(signed_in) == []


FAULTS = [
    pytest.param("server_busy", {"back_off_ms": 300}, "busy", id="ErrorServerBusy"),
    pytest.param("http500", {}, "failed to answer", id="http-500"),
    pytest.param("http503", {}, "busy", id="http-503"),
    pytest.param("malformed", {}, "not a valid EWS response", id="malformed-xml"),
    pytest.param("timeout", {"delay": 3.0}, "did not answer in time", id="timeout"),
]


@pytest.mark.parametrize(("kind", "options", "message"), FAULTS)
def test_a_fault_keeps_the_sealed_message_in_the_outbox_until_a_retry_sends_it(
    signed_in: Cli,
    ews: EwsTestServer,
    sealed: list[Path],
    kind: str,
    options: dict[str, Any],
    message: str,
    sleeps: Sleeps,
    sent_requests: list[SentRequest],
) -> None:
    ews.state.faults.add(kind, "CreateItem", **options)

    failed = signed_in("exchange", "send", str(sealed[0]))

    # Within seconds, counted: no waiting before the message is kept for a retry, and each
    # request bounded by the configured timeout.
    assert ews.state.operations.count("CreateItem") == 1 and sleeps.asked == []
    assert {request.timeout for request in sent_requests} == {signed_in.settings.send_timeout}
    assert failed.code == 1
    assert sealed[0].name in failed.err and message in failed.err
    (waiting,) = outbox(signed_in)
    assert waiting["attempts"] == 1 and message in waiting["last_error"]
    assert waiting["encrypted"] is True
    assert waiting["subject"] == "Lab results"
    assert Path(str(waiting["file"])).read_bytes() == sealed[0].read_bytes()  # as sealed
    if kind == "server_busy":
        assert waiting["not_before"] is not None
        early = signed_in("exchange", "retry")  # the server asked for a pause
        assert early.code == 1 and ews.state.received == []
        time.sleep(0.35)

    retried = signed_in("exchange", "retry")

    assert retried.code == 0, retried.err
    assert [m.mime for m in ews.state.received] == [sealed[0].read_bytes()]
    assert outbox(signed_in) == []


def test_after_busy_the_rest_are_not_tried_in_the_same_run(
    signed_in: Cli, ews: EwsTestServer, sealed: list[Path]
) -> None:
    ews.state.faults.add("server_busy", "CreateItem", back_off_ms=1)

    outcome = signed_in("exchange", "send", *map(str, sealed))

    assert outcome.code == 1
    assert [op for op in ews.state.operations if op == "CreateItem"] == ["CreateItem"]
    first, second = outbox(signed_in)
    assert first["attempts"] == 1 and second["attempts"] == 0
    assert str(second["last_error"]).startswith("Not tried")
    time.sleep(0.01)
    assert signed_in("exchange", "retry").code == 0
    assert len(ews.state.received) == 2


def test_a_password_changed_since_login_keeps_the_message_and_says_so(
    signed_in: Cli, ews: EwsTestServer, sealed: list[Path]
) -> None:
    for entry in signed_in.keyring.entries:
        signed_in.keyring.entries[entry] = "an old password"

    outcome = signed_in("exchange", "send", str(sealed[0]))

    assert outcome.code == 1
    assert "did not accept the user name or password" in outcome.err
    assert len(outbox(signed_in)) == 1


def test_send_without_an_account_queues_nothing(cli: Cli, sealed: list[Path]) -> None:
    outcome = cli("exchange", "send", str(sealed[0]))

    assert outcome.code == 2
    assert outbox(cli) == []


def test_retry_with_an_empty_outbox_is_fine(signed_in: Cli) -> None:
    outcome = signed_in("exchange", "retry")

    assert outcome.code == 0
    assert "empty" in outcome.out


def test_the_outbox_lists_file_subject_message_id_attempts_and_error(
    signed_in: Cli, ews: EwsTestServer, sealed: list[Path]
) -> None:
    ews.state.faults.add("http500", "CreateItem")
    signed_in("exchange", "send", str(sealed[1]))

    listing = signed_in("exchange", "outbox")

    assert listing.code == 0
    assert "Lab results" in listing.out
    assert headers(sealed[1].read_bytes())["Message-ID"] in listing.out
    assert "attempts: 1" in listing.out
    assert USER not in listing.err


def test_a_second_sender_on_the_same_outbox_sends_nothing_until_the_first_is_done(
    signed_in: Cli, ews: EwsTestServer, sealed: list[Path]
) -> None:
    from desktop_app.services.file_lock import exclusive_lock
    from desktop_app.services.outbox.queue import OutboxQueue
    from desktop_app.services.outbox.sending_run import SENDING_LOCK_NAME
    from tests.factories.certs import NOW

    outbox_folder = OutboxQueue(signed_in.home, lambda: NOW)
    for path in sealed:
        outbox_folder.add(path.read_bytes(), path.name)

    with exclusive_lock(outbox_folder.folder / SENDING_LOCK_NAME) as held:
        assert held  # as another process sending would hold it
        busy = signed_in("exchange", "retry")
    assert busy.code == 1 and "Another smime-guard is sending" in busy.err
    assert ews.state.received == [] and len(outbox(signed_in)) == 2

    done = signed_in("exchange", "retry")
    assert done.code == 0, done.err
    assert [m.mime for m in ews.state.received] == [path.read_bytes() for path in sealed]
    assert outbox(signed_in) == []


@pytest.mark.parametrize(
    "damage",
    [{"attempts": None}, {"queued": "garbage"}, {"not_before": "2026-11-27T10:00:00"}],
)
def test_a_damaged_outbox_record_neither_blocks_the_outbox_nor_loses_the_message(
    signed_in: Cli, ews: EwsTestServer, sealed: list[Path], damage: dict[str, object]
) -> None:
    import json

    from desktop_app.services.outbox.queue import OutboxQueue
    from tests.factories.certs import NOW

    queue = OutboxQueue(signed_in.home, lambda: NOW)
    damaged, _ = (queue.add(path.read_bytes(), path.name) for path in sealed)
    record = queue.folder / f"{damaged.id}.json"
    record.write_text(json.dumps({**json.loads(record.read_text()), **damage}))

    assert [m["subject"] for m in outbox(signed_in)] == ["Lab results", "Lab results"]
    done = signed_in("exchange", "retry")
    assert done.code == 0, done.err
    assert len(ews.state.received) == 2 and outbox(signed_in) == []


def test_sending_waits_longer_than_a_lookup_for_the_server_to_take_a_message(
    signed_in: Cli, ews: EwsTestServer, sealed: list[Path]
) -> None:
    import dataclasses

    patient = Cli(
        signed_in.home,
        signed_in.keyring,
        dataclasses.replace(signed_in.settings, timeout=1.0, send_timeout=10.0),
    )
    ews.state.faults.add("delay", "CreateItem", delay=2.0)  # longer than a lookup may take

    outcome = patient("exchange", "send", str(sealed[0]))

    assert outcome.code == 0, outcome.err
    assert len(ews.state.received) == 1 and outbox(patient) == []


def test_a_send_that_timed_out_after_the_server_took_it_is_not_sent_again(
    signed_in: Cli, ews: EwsTestServer, sealed: list[Path]
) -> None:
    # The server takes the message only after the client has given up waiting.
    ews.state.faults.add("delay", "CreateItem", delay=2.5)

    first = signed_in("exchange", "send", str(sealed[0]))
    assert first.code == 1  # timed out: kept in the outbox
    # Meanwhile the server finishes and files it in Sent Items.
    wait_until(lambda: len(ews.state.received) == 1)

    retried = signed_in("exchange", "retry")

    assert retried.code == 0, retried.err
    assert len(ews.state.received) == 1  # found in Sent Items by its Message-ID
    assert outbox(signed_in) == []


def test_a_message_tried_before_but_not_in_sent_items_is_sent(
    signed_in: Cli, ews: EwsTestServer, sealed: list[Path]
) -> None:
    ews.state.faults.add("http500", "CreateItem")
    assert signed_in("exchange", "send", str(sealed[0])).code == 1

    assert signed_in("exchange", "retry").code == 0
    assert [m.mime for m in ews.state.received] == [sealed[0].read_bytes()]
