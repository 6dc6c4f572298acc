"""The compose window's Exchange outbox: every copy queued or none, and a failure while
sending leaves the sealed copies queued with a line saying so."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from desktop_app.core.recipients.addresses import parse_address_list, parse_mailbox
from desktop_app.core.recipients.send_gate import Choice, SendPlan, envelopes
from desktop_app.core.recipients.status import Draft
from desktop_app.services.exchange.account import ExchangeSettings
from desktop_app.services.outbox.queue import (
    BATCH_MARKER_SUFFIX,
    OutboxQueue,
    QueuedMessage,
)
from desktop_app.services.outbox.queued_delivery import QueuedDelivery
from desktop_app.services.outbox.sending_run import SendReport
from desktop_app.services.outbox.submission import MessageContent, OutboxError
from tests.factories.certs import NOW
from tests.services.exchange.conftest import Cli, Pki
from tests.services.exchange.sealing import seal_files
from tests.services.keyrings import InMemoryKeyring

DRAFT = Draft(
    to=parse_address_list("alice@clinic.example"),
    bcc=parse_address_list("carol@clinic.example"),
    sender=parse_mailbox("me@clinic.example"),
)
ENCRYPTED = SendPlan(DRAFT, encrypted=True, choice=None, envelopes=envelopes(DRAFT))
MESSAGE = MessageContent(subject="Lab results", body="Private.\n")
PLAINTEXT = b"From: me@clinic.example\r\nTo: alice@clinic.example\r\nSubject: x\r\n\r\nhi\r\n"


@pytest.fixture
def sealed(tmp_path: Path, pki: Pki) -> list[bytes]:
    paths = seal_files(pki, tmp_path / "sealed", tmp_path / "sealer.sqlite3")
    return [path.read_bytes() for path in paths]


def delivery(
    home: Path, copies: Sequence[bytes], send: object = None
) -> tuple[QueuedDelivery, OutboxQueue, list[Sequence[QueuedMessage]]]:
    outbox = OutboxQueue(home, lambda: NOW)
    asked: list[Sequence[QueuedMessage]] = []

    def sent_all(items: Sequence[QueuedMessage]) -> SendReport:
        asked.append(items)
        for item in items:
            outbox.remove(item)
        return SendReport(tuple(items), ())

    def writer(message: MessageContent, plan: SendPlan) -> Sequence[bytes]:
        return copies

    return QueuedDelivery(outbox, writer, writer, send or sent_all), outbox, asked  # type: ignore[arg-type]


def test_every_copy_is_queued_in_order_before_anything_is_sent(
    tmp_path: Path, sealed: list[bytes]
) -> None:
    chosen, outbox, asked = delivery(tmp_path, sealed)

    submitted = chosen.submit(MESSAGE, ENCRYPTED)

    [items] = asked
    assert [outbox.folder / item.file_name for item in items] == list(submitted.sealed)
    assert submitted.notice.startswith("Sent")
    assert outbox.pending() == ()


def test_a_copy_that_cannot_be_queued_takes_the_others_back_out(
    tmp_path: Path, sealed: list[bytes]
) -> None:
    # The second copy is plaintext: the Exchange outbox refuses it, so the sealed first copy
    # must not go alone.
    chosen, outbox, asked = delivery(tmp_path, [sealed[0], PLAINTEXT])

    with pytest.raises(OutboxError, match="Nothing was sent"):
        chosen.submit(MESSAGE, ENCRYPTED)

    assert outbox.pending() == () and asked == []
    assert list(outbox.folder.glob("*")) == []


def test_a_failure_while_sending_keeps_the_sealed_copies_queued(
    tmp_path: Path, sealed: list[bytes]
) -> None:
    def broken(items: Sequence[QueuedMessage]) -> SendReport:
        raise RuntimeError("connection reset")

    chosen, outbox, _ = delivery(tmp_path, sealed, broken)

    submitted = chosen.submit(MESSAGE, ENCRYPTED)

    assert "Not sent yet" in submitted.notice
    assert [outbox.mime(item) for item in outbox.pending()] == sealed


def test_unencrypted_copies_are_queued_only_for_a_plan_sent_unencrypted(
    tmp_path: Path,
) -> None:
    plan = SendPlan(DRAFT, encrypted=False, choice=Choice.SEND_UNENCRYPTED)
    chosen, outbox, _ = delivery(tmp_path, [PLAINTEXT], send=lambda items: SendReport((), ()))

    chosen.submit(MESSAGE, plan)

    (item,) = outbox.pending()
    assert item.unencrypted_by_choice
    listed = Cli(tmp_path, InMemoryKeyring(), ExchangeSettings())("exchange", "outbox", "--json")
    assert [m["encrypted"] for m in listed.json()["messages"]] == [False]
    # The same plaintext offered as if it were sealed is refused.
    chosen_sealed, _, _ = delivery(tmp_path / "other", [PLAINTEXT])
    with pytest.raises(OutboxError):
        chosen_sealed.submit(MESSAGE, ENCRYPTED)


def test_a_plaintext_file_without_its_choice_record_is_never_listed_for_sending(
    tmp_path: Path,
) -> None:
    outbox = OutboxQueue(tmp_path, lambda: NOW)
    [item] = outbox.add_copies([PLAINTEXT], "compose window", unencrypted_by_choice=True)
    (outbox.folder / f"{item.id}.json").unlink()  # the record is lost; the file remains

    assert outbox.pending() == ()


def test_copies_whose_queueing_never_finished_are_never_listed(
    tmp_path: Path, sealed: list[bytes]
) -> None:
    outbox = OutboxQueue(tmp_path, lambda: NOW)
    shared, blind = outbox.add_copies(sealed, "compose window", unencrypted_by_choice=False)
    assert [item.id for item in outbox.pending()] == [shared.id, blind.id]
    marker = outbox.folder / f"{shared.batch}{BATCH_MARKER_SUFFIX}"

    marker.unlink()  # as if the program died before the last copy was written

    assert outbox.pending() == ()


def test_the_batch_marker_goes_with_the_last_copy_sent(tmp_path: Path, sealed: list[bytes]) -> None:
    outbox = OutboxQueue(tmp_path, lambda: NOW)
    shared, blind = outbox.add_copies(sealed, "compose window", unencrypted_by_choice=False)
    marker = outbox.folder / f"{shared.batch}{BATCH_MARKER_SUFFIX}"

    outbox.remove(shared)
    assert marker.exists() and [item.id for item in outbox.pending()] == [blind.id]
    outbox.remove(blind)
    assert not marker.exists() and list(outbox.folder.iterdir()) == []
