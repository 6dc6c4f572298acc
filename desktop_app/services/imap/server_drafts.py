"""Drafts on the IMAP server, sealed: APPENDed to Drafts with ``\\Draft``, never in plaintext.

A draft is the same sealed record as on disk (``DraftStore.seal``: AES-256-GCM to the
user's own certificate), wrapped as an S/MIME message whose outer headers say nothing of
the draft (no recipients, a fixed Subject) except its id in ``X-Smime-Guard-Draft``, so a
later save replaces the earlier copy. Sealing needs the identity: without one, ``seal``
raises and nothing reaches the server (the draft stays local). Background thread only.
"""

from __future__ import annotations

import email.parser
import email.policy
import email.utils
import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.services.drafts import DraftStore
from desktop_app.services.imap.folders import DRAFTS, find_folder

if TYPE_CHECKING:
    from pathlib import Path

    from desktop_app.core.identity import Identity
    from desktop_app.services.drafts import DraftRecord
    from desktop_app.services.imap.connection import ImapConnection

log = logging.getLogger(__name__)

DRAFT_HEADER = "X-Smime-Guard-Draft"
DRAFT_SUBJECT = "Draft (encrypted)"
DRAFT_FLAGS = "(\\Draft \\Seen)"
_DRAFT_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")
_SEALED_TYPES = frozenset({"application/pkcs7-mime", "application/x-pkcs7-mime"})


class DraftNotSealedError(UserFacingError):
    """A draft that is not sealed was about to go to the server; it did not."""


def draft_message(sealed_der: bytes, sender: str, draft_id: str, at: datetime) -> bytes:
    """The S/MIME message that carries one sealed draft record."""
    from desktop_app.core.smime.wrap import envelope_to_mime

    headers = {
        "From": sender,
        "Date": email.utils.format_datetime(at),
        "Subject": DRAFT_SUBJECT,
        "Message-ID": email.utils.make_msgid(domain="smime-guard.invalid"),
        DRAFT_HEADER: draft_id,
    }
    return envelope_to_mime(sealed_der, auth=True, headers=headers)


def require_sealed(mime: bytes) -> None:
    """Raises DraftNotSealedError unless ``mime`` is an S/MIME enveloped message."""
    headers = email.parser.BytesHeaderParser(policy=email.policy.default).parsebytes(mime)
    kind = str(headers.get_param("smime-type", "", header="content-type")).lower()
    if headers.get_content_type() not in _SEALED_TYPES or kind not in {
        "enveloped-data",
        "authenveloped-data",
    }:
        raise DraftNotSealedError(text("imap.draft_not_sealed"))


def _search_value(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class ImapServerDrafts:
    """Keeps the latest sealed copy of each draft in the server's Drafts folder."""

    def __init__(
        self,
        open_connection: Callable[[], ImapConnection],
        sender: str,
        seal: Callable[[DraftRecord], bytes],
        clock: Callable[[], datetime],
    ) -> None:
        self._open_connection = open_connection
        self._sender = sender
        self._seal = seal
        self._clock = clock

    def save(self, record: DraftRecord) -> None:
        """Seal ``record`` and put it in Drafts in place of its earlier copy.

        Raises:
            UserFacingError: no identity to seal with (nothing was sent anywhere), or the
                server refused or could not be reached.
        """
        if not _DRAFT_ID.match(record.draft_id):
            raise DraftNotSealedError(text("imap.draft_not_sealed"))
        mime = draft_message(self._seal(record), self._sender, record.draft_id, self._clock())
        require_sealed(mime)
        connection = self._open_connection()
        try:
            folder = find_folder(connection, DRAFTS)
            kept = connection.append(folder, DRAFT_FLAGS, mime)
            self._remove(connection, folder, record.draft_id, kept, saved=True)
        finally:
            connection.close()
        log.info("imap: a sealed draft saved to the server")

    def delete(self, draft_id: str) -> None:
        """Remove every server copy of a sent or discarded draft."""
        if not _DRAFT_ID.match(draft_id):
            return
        connection = self._open_connection()
        try:
            self._remove(connection, find_folder(connection, DRAFTS), draft_id, None, saved=False)
        finally:
            connection.close()

    @staticmethod
    def _remove(
        connection: ImapConnection, folder: str, draft_id: str, keep: int | None, *, saved: bool
    ) -> None:
        """Delete the copies of ``draft_id`` but ``keep`` (when ``saved`` and the server did
        not say which UID the new copy got, the newest copy is kept)."""
        connection.select(folder)
        [found] = connection.uid("SEARCH", "HEADER", DRAFT_HEADER, _search_value(draft_id))[:1] or [
            b""
        ]
        uids = sorted(int(uid) for uid in (found if isinstance(found, bytes) else b"").split())
        if saved and keep is None and uids:
            keep = uids[-1]
        chosen = ",".join(str(uid) for uid in uids if uid != keep)
        if not chosen:
            return
        connection.uid("STORE", chosen, "+FLAGS.SILENT", "(\\Deleted)")
        if "UIDPLUS" in connection.capabilities:
            connection.uid("EXPUNGE", chosen)
        else:
            connection.run("EXPUNGE", connection.client.expunge)


class ServerMirroredDrafts(DraftStore):
    """Drafts kept locally (sealed) and, sealed the same way, on the IMAP server.

    The local copy is the one that counts: a server that cannot be reached is logged and
    the next autosave tries again. Without an identity nothing is saved anywhere.
    """

    def __init__(
        self,
        folder: Path,
        identity: Callable[[], Identity],
        server: Callable[[DraftStore], ImapServerDrafts],
    ) -> None:
        super().__init__(folder, identity)
        self._server = server(self)

    def save(self, record: DraftRecord) -> Path | None:
        path = super().save(record)
        if path is not None:
            try:
                self._server.save(record)
            except UserFacingError as error:
                log.warning("the server copy of a draft failed: %s", type(error).__name__)
        return path

    def delete(self, draft_id: str) -> None:
        super().delete(draft_id)
        try:
            self._server.delete(draft_id)
        except UserFacingError as error:
            log.warning("a server draft could not be removed: %s", type(error).__name__)
