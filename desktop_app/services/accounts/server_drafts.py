"""Drafts kept on the account's server too, sealed to the user's own certificate.

Each autosave writes the local draft (``services.drafts``) and then puts a sealed copy in
the server's Drafts folder, replacing the previous one. The copy is an S/MIME message
(AES-256-GCM, for the user's certificate only) whose outer headers say nothing of the
draft: From, a fixed Subject, Date and a Message-ID. To, Cc, Subject and text are inside.
A server that cannot be reached costs nothing but the server copy: the local draft is
written first, and a failure is logged by type only.
"""

from __future__ import annotations

import email.utils
import logging
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.errors import UserFacingError
from desktop_app.services.drafts import DraftRecord, DraftStore

if TYPE_CHECKING:
    from desktop_app.core.identity import Identity
    from desktop_app.services.mailbox_port import MailboxSource

log = logging.getLogger(__name__)

OUTER_SUBJECT = "Encrypted draft"


def _inner_headers(record: DraftRecord) -> bytes:
    from desktop_app.core.smime.outer_headers import folded_header_lines

    headers = {"Subject": record.subject}
    for name, values in (("To", record.to), ("Cc", record.cc), ("Bcc", record.bcc)):
        if values:
            headers[name] = ", ".join(values)
    return folded_header_lines(headers)


def draft_message(record: DraftRecord, identity: Identity, at: datetime) -> bytes:
    """``record`` as an S/MIME message sealed to ``identity`` alone."""
    from desktop_app.core.mime.compose import InnerMessage, build_inner_mime
    from desktop_app.core.smime.algorithms import ContentCipher
    from desktop_app.core.smime.envelope_seal import seal_envelope
    from desktop_app.core.smime.recipient_seal import EnvelopeRecipient
    from desktop_app.core.smime.wrap import envelope_to_mime

    inner = _inner_headers(record) + build_inner_mime(InnerMessage(record.body))
    der = seal_envelope(inner, [EnvelopeRecipient(identity.cert)], ContentCipher.AES256_GCM)
    sender = identity.addresses[0] if identity.addresses else ""
    headers = {
        "From": sender,
        "Subject": OUTER_SUBJECT,
        "Date": email.utils.format_datetime(at),
        "Message-ID": f"<draft-{record.draft_id}@smime-guard.invalid>",
    }
    return envelope_to_mime(der, auth=True, headers=headers)


class ServerMirroredDrafts(DraftStore):
    """A ``DraftStore`` that also keeps the newest sealed copy of each draft on the server."""

    def __init__(
        self,
        folder: Path,
        identity: Callable[[], Identity],
        open_mailbox: Callable[[], MailboxSource],
        clock: Callable[[], datetime],
    ) -> None:
        super().__init__(folder, identity)
        self._open_mailbox = open_mailbox
        self._clock = clock
        self._mailbox: MailboxSource | None = None
        self._server_ids: dict[str, str] = {}
        self._server_lock = threading.Lock()

    def save(self, record: DraftRecord, *, final: bool = False) -> Path | None:
        path = super().save(record, final=final)
        if path is not None:
            self._mirror(record)
        return path

    def _mirror(self, record: DraftRecord) -> None:
        with self._server_lock:
            try:
                if self._mailbox is None:
                    self._mailbox = self._open_mailbox()
                mime = draft_message(record, self._own(), self._clock())
                new_id = self._mailbox.save_draft(mime)
                old_id = self._server_ids.get(record.draft_id)
                self._server_ids[record.draft_id] = new_id
                if old_id:
                    self._mailbox.delete_draft(old_id)
            except UserFacingError as error:
                log.info("server draft not saved: %s", type(error).__name__)

    def delete(self, draft_id: str) -> None:
        super().delete(draft_id)
        with self._server_lock:
            server_id = self._server_ids.pop(draft_id, None)
            if server_id is None or self._mailbox is None:
                return
            try:
                self._mailbox.delete_draft(server_id)
            except UserFacingError as error:
                log.info("server draft not removed: %s", type(error).__name__)
