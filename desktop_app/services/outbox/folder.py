"""An outbox folder: what the demo, and a user without an account, "sends".

Per message it writes a JSON summary of what was sent (the recipients of each envelope),
never the subject, body or attachments. Given a ``sealer`` it also writes the sealed
envelopes as ``.eml`` files, and given ``unencrypted`` the messages the user chose to send
without encryption.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.messages import text
from desktop_app.services.files import replace_file
from desktop_app.services.outbox.submission import (
    MessageContent,
    OutboxError,
    Sealer,
    Submitted,
)

if TYPE_CHECKING:
    from desktop_app.core.recipients.addresses import Mailbox
    from desktop_app.core.recipients.send_gate import SendPlan


def _addresses(mailboxes: tuple[Mailbox, ...]) -> list[str]:
    return [mailbox.address for mailbox in mailboxes]


def plan_summary(message: MessageContent, plan: SendPlan, at: datetime) -> dict[str, object]:
    """What the outbox records about a message: recipients and protection, no content."""
    draft = plan.draft
    return {
        "time": at.isoformat(),
        "encrypted": plan.encrypted,
        "signed": message.sign,
        "choice": plan.choice.value if plan.choice is not None else None,
        "sender": draft.sender.address if draft.sender is not None else None,
        "to": _addresses(draft.to),
        "cc": _addresses(draft.cc),
        "bcc": _addresses(draft.bcc),
        "removed": _addresses(plan.removed),
        "envelopes": [
            {"recipients": _addresses(envelope.recipients), "blind": envelope.blind}
            for envelope in plan.envelopes
        ],
        "attachments": len(message.attachments),
    }


class FolderOutbox:
    """An outbox folder: ``<time>-<n>.json`` per message, plus sealed ``.eml`` envelopes."""

    def __init__(
        self,
        folder: Path,
        clock: Callable[[], datetime],
        sealer: Sealer | None = None,
        unencrypted: Sealer | None = None,
    ) -> None:
        self._folder = folder
        self._clock = clock
        self._sealer = sealer
        self._unencrypted = unencrypted

    @property
    def folder(self) -> Path:
        return self._folder

    def _free_stem(self, at: datetime) -> str:
        stem = at.strftime("%Y%m%dT%H%M%S")
        number = 1
        while (self._folder / f"{stem}-{number}.json").exists():
            number += 1
        return f"{stem}-{number}"

    def submit(self, message: MessageContent, plan: SendPlan) -> Submitted:
        at = self._clock()
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
            stem = self._free_stem(at)
            sealed: list[Path] = []
            writer = self._sealer if plan.encrypted else self._unencrypted
            if writer is not None:
                for number, data in enumerate(writer(message, plan), 1):
                    path = self._folder / f"{stem}.{number}.eml"
                    replace_file(path, data)
                    sealed.append(path)
            summary = self._folder / f"{stem}.json"
            document = json.dumps(plan_summary(message, plan, at), ensure_ascii=False, indent=2)
            replace_file(summary, document.encode("utf-8"))
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise OutboxError(
                text("outbox.cannot_write", path=self._folder, reason=reason)
            ) from None
        return Submitted(summary, tuple(sealed), text("sending.saved", folder=self._folder))
