"""The MailboxSource port of an account: list a page, fetch raw MIME, keep a sealed draft.

Graph and IMAP page with the server's own continuation (``@odata.nextLink``, a UID), so
the cursor is opaque: whatever the source handed back with the previous page. Messages
come back as raw MIME and are read like any other (``services.mailbox.source``), so
opening, previews and harvesting are the same for every kind.
"""

from __future__ import annotations

import email.parser
import email.policy
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text

_SEALED_TYPES = frozenset({"application/pkcs7-mime", "application/x-pkcs7-mime"})
_SEALED_KINDS = frozenset({"enveloped-data", "authenveloped-data"})


class DraftNotSealedError(UserFacingError):
    """A draft that is not encrypted: it never goes to the server."""


@dataclass(frozen=True, slots=True)
class RemoteMessage:
    """One message as the server lists it (protection is known only once fetched)."""

    id: str
    sender: str
    subject: str
    received: datetime | None


@dataclass(frozen=True, slots=True)
class RemotePage:
    """A page of the listing, newest first; ``next_cursor`` is None after the last."""

    messages: tuple[RemoteMessage, ...]
    next_cursor: str | None


class MailboxSource(Protocol):
    """An account's mailbox; every method blocks (run it off the GUI thread)."""

    def list_page(self, cursor: str | None, limit: int) -> RemotePage:
        """The inbox page after ``cursor`` (None: the newest), at most ``limit`` messages."""
        ...

    def fetch_mime(self, message_id: str) -> bytes:
        """The message exactly as stored, S/MIME intact."""
        ...

    def save_draft(self, sealed_mime: bytes) -> str:
        """Store a sealed draft in the Drafts folder; the server's id for it.

        Raises:
            DraftNotSealedError: ``sealed_mime`` is not encrypted (nothing is sent).
        """
        ...

    def delete_draft(self, draft_id: str) -> None:
        """Remove a draft this source saved (replaced by a newer one, sent, discarded)."""
        ...

    def close(self) -> None: ...


def require_sealed_draft(mime: bytes) -> None:
    """DraftNotSealedError unless ``mime`` is an S/MIME enveloped message.

    Every implementation calls this before a draft leaves the machine: a draft holds
    what the user typed, and the server must only ever see it encrypted.
    """
    try:
        headers = email.parser.BytesHeaderParser(policy=email.policy.default).parsebytes(mime)
        content_type = headers.get_content_type() if len(headers) else ""
        kind = str(headers.get_param("smime-type", "", header="content-type")).lower()
    except (TypeError, ValueError, IndexError, LookupError):
        content_type, kind = "", ""
    if content_type not in _SEALED_TYPES or kind not in _SEALED_KINDS:
        raise DraftNotSealedError(text("accounts.draft_not_sealed"))
