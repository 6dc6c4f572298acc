"""Audit first, or send nothing: an override is on record before the outbox sees it."""

import datetime as dt
from pathlib import Path

import pytest

from desktop_app.core.recipients.addresses import parse_address_list, parse_mailbox
from desktop_app.core.recipients.send_gate import Choice, SendPlan, envelopes
from desktop_app.core.recipients.status import Draft
from desktop_app.services.audit import AuditEntry, AuditError, AuditLog
from desktop_app.services.outbox.audited import AuditedOutbox
from desktop_app.services.outbox.submission import MessageContent, Submitted

AT = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
DRAFT = Draft(
    to=parse_address_list("dana@partner.example"),
    cc=parse_address_list("lee@clinic.example"),
    sender=parse_mailbox("you@clinic.example"),
)
MESSAGE = MessageContent(subject="Results", body="The patient's results.")
UNENCRYPTED = SendPlan(DRAFT, encrypted=False, choice=Choice.SEND_UNENCRYPTED)


class RecordingOutbox:
    def __init__(self, events: list[str]) -> None:
        self.events = events
        self.submitted: list[SendPlan] = []

    def submit(self, message: MessageContent, plan: SendPlan) -> Submitted:
        self.events.append("queued")
        self.submitted.append(plan)
        return Submitted(Path("outbox") / "1.json")


class RecordingAudit:
    def __init__(self, events: list[str], error: Exception | None = None) -> None:
        self.events = events
        self.error = error
        self.entries: list[AuditEntry] = []

    def record(self, entry: AuditEntry) -> None:
        if self.error is not None:
            raise self.error
        self.events.append("recorded")
        self.entries.append(entry)


def test_an_override_is_recorded_before_it_is_queued() -> None:
    events: list[str] = []
    audit = RecordingAudit(events)
    outbox = RecordingOutbox(events)
    AuditedOutbox(outbox, audit, lambda: AT).submit(MESSAGE, UNENCRYPTED)
    assert events == ["recorded", "queued"]
    [entry] = audit.entries
    assert entry.choice == "send_unencrypted" and entry.time == AT
    assert entry.recipients == ("dana@partner.example", "lee@clinic.example")
    assert entry.sender == "you@clinic.example" and entry.encrypted is False


def test_when_the_record_cannot_be_written_nothing_is_queued() -> None:
    events: list[str] = []
    outbox = RecordingOutbox(events)
    audit = RecordingAudit(events, OSError(28, "No space left on device"))
    with pytest.raises(OSError, match="No space left"):
        AuditedOutbox(outbox, audit, lambda: AT).submit(MESSAGE, UNENCRYPTED)
    assert outbox.submitted == [] and events == []


def test_an_audit_log_that_cannot_be_written_stops_the_message(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")  # the log's folder cannot be made: a file is in the way
    outbox = RecordingOutbox([])
    audited = AuditedOutbox(outbox, AuditLog(blocker / "audit.jsonl"), lambda: AT)
    removal = SendPlan(
        DRAFT, encrypted=True, choice=Choice.REMOVE_AND_ENCRYPT, envelopes=envelopes(DRAFT)
    )
    for plan in (UNENCRYPTED, removal):
        with pytest.raises(AuditError, match="was not sent"):
            audited.submit(MESSAGE, plan)
    assert outbox.submitted == []


def test_a_message_the_gate_let_through_needs_no_record() -> None:
    events: list[str] = []
    audit = RecordingAudit(events, OSError(30, "Read-only file system"))
    outbox = RecordingOutbox(events)
    encrypted = SendPlan(DRAFT, encrypted=True, choice=None, envelopes=envelopes(DRAFT))
    plain = SendPlan(DRAFT, encrypted=False, choice=None)
    for plan in (encrypted, plain):
        AuditedOutbox(outbox, audit, lambda: AT).submit(MESSAGE, plan)
    assert events == ["queued", "queued"]
