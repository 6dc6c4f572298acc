"""The outbox folder: a summary without content, and sealed envelopes through the seam."""

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

from desktop_app.core.recipients.addresses import parse_address_list, parse_mailbox
from desktop_app.core.recipients.send_gate import SendPlan, envelopes
from desktop_app.core.recipients.status import Draft
from desktop_app.services.outbox.folder import FolderOutbox
from desktop_app.services.outbox.submission import MessageContent

AT = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
DRAFT = Draft(
    to=parse_address_list("lee@clinic.example"),
    bcc=parse_address_list("priya@clinic.example"),
    sender=parse_mailbox("you@clinic.example"),
)
MESSAGE = MessageContent(subject="Results", body="The patient's results.", sign=True)


def test_the_summary_lists_envelopes_and_never_the_content(tmp_path: Path) -> None:
    plan = SendPlan(DRAFT, encrypted=True, choice=None, envelopes=envelopes(DRAFT))
    submitted = FolderOutbox(tmp_path, lambda: AT).submit(MESSAGE, plan)
    written = submitted.summary.read_text(encoding="utf-8")
    assert "Results" not in written and "patient" not in written
    summary = json.loads(written)
    assert summary["envelopes"] == [
        {"recipients": ["lee@clinic.example", "you@clinic.example"], "blind": False},
        {"recipients": ["priya@clinic.example", "you@clinic.example"], "blind": True},
    ]
    assert summary["signed"] is True and submitted.sealed == ()


def test_a_sealer_writes_one_file_per_envelope(tmp_path: Path) -> None:
    plan = SendPlan(DRAFT, encrypted=True, choice=None, envelopes=envelopes(DRAFT))

    def sealer(message: MessageContent, sealed_plan: SendPlan) -> Sequence[bytes]:
        return [f"sealed for {len(e.recipients)}".encode() for e in sealed_plan.envelopes]

    outbox = FolderOutbox(tmp_path, lambda: AT, sealer=sealer)
    first = outbox.submit(MESSAGE, plan)
    second = outbox.submit(MESSAGE, plan)
    assert [p.read_bytes() for p in first.sealed] == [b"sealed for 2", b"sealed for 2"]
    assert first.summary != second.summary  # a second message never overwrites the first
    unencrypted = outbox.submit(MESSAGE, SendPlan(DRAFT, encrypted=False, choice=None))
    assert unencrypted.sealed == ()
