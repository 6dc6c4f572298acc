"""The IMAP account's two ports: ``Transport`` (SMTP submission, then APPEND to Sent) and
``MailboxSource`` (the inbox by UID cursor, whole messages, sealed drafts in Drafts).

Sending opens the IMAP connection first: when IMAP is down nothing is submitted, so every
message that leaves gets its Sent copy, APPENDed exactly as sent. IMAP failures reach the
outbox in the Transport's terms: a refused sign-in stops the run, anything else is
temporary.
"""

from __future__ import annotations

import email.parser
import email.policy
import logging
import threading
from collections.abc import Callable
from typing import TypeVar

from desktop_app.core.errors import UserFacingError
from desktop_app.services.accounts.model import AccountError
from desktop_app.services.imap.connection import ImapConnection, ImapConnectionLostError
from desktop_app.services.imap.folders import DRAFTS, SENT, find_folder
from desktop_app.services.imap.inbox_source import fetch_raw, list_after
from desktop_app.services.mail_server_errors import CredentialsRejectedError
from desktop_app.services.mailbox_port import RemoteMessage, RemotePage, require_sealed_draft
from desktop_app.services.smtp.submission import SmtpTransport
from desktop_app.services.transport.port import (
    AccountRefusedError,
    SendResult,
    SentCopy,
    SmtpEnvelope,
    TemporaryTransportError,
    TransportError,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

SENT_FLAGS = "(\\Seen)"
DRAFT_FLAGS = "(\\Draft \\Seen)"


def as_transport_error(error: UserFacingError) -> TransportError:
    if isinstance(error, TransportError):
        return error
    if isinstance(error, CredentialsRejectedError | AccountError):
        return AccountRefusedError(error.message)
    return TemporaryTransportError(error.message)


class ImapPortTransport:
    """``Transport``: SMTP submission, then the same bytes APPENDed to Sent over IMAP."""

    route = "smtp"

    def __init__(self, connection: ImapConnection, smtp: SmtpTransport) -> None:
        self._connection = connection
        self._smtp = smtp
        self._sent_folder: str | None = None

    def _sent(self) -> str:
        if self._sent_folder is None:
            try:
                self._sent_folder = find_folder(self._connection, SENT)
            except UserFacingError as error:
                raise as_transport_error(error) from None
        return self._sent_folder

    def send(self, mime: bytes, envelope: SmtpEnvelope) -> SendResult:
        sent = self._sent()  # before submitting: the copy must have somewhere to go
        self._smtp.send(mime, envelope)
        try:
            self._connection.append(sent, SENT_FLAGS, mime)
        except UserFacingError as error:
            # Delivered: sending again would deliver twice. Say there is no copy.
            log.warning("imap: delivered, but the Sent copy failed: %s", type(error).__name__)
            return SendResult(self.route, SentCopy.NONE, sent)
        return SendResult(self.route, SentCopy.APPENDED, sent)

    def already_sent(self, message_id: str) -> bool:
        """Whether Sent holds this Message-ID (a send whose answer was lost)."""
        try:
            self._connection.examine(self._sent())
            data = self._connection.uid("SEARCH", "HEADER", "Message-ID", _quoted(message_id))
        except UserFacingError as error:
            raise as_transport_error(error) from None
        found = data[0] if data else b""
        return isinstance(found, bytes) and bool(found.split())

    def close(self) -> None:
        self._connection.close()


def _uids(data: list[object]) -> list[int]:
    found = data[0] if data else b""
    return [int(uid) for uid in found.split()] if isinstance(found, bytes) else []


def _expunge(connection: ImapConnection, uids: list[int]) -> None:
    """Delete ``uids`` of the selected folder (only those, where the server has UIDPLUS)."""
    if not uids:
        return
    chosen = ",".join(str(uid) for uid in uids)
    connection.uid("STORE", chosen, "+FLAGS.SILENT", "(\\Deleted)")
    if "UIDPLUS" in connection.capabilities:
        connection.uid("EXPUNGE", chosen)
    else:
        connection.run("EXPUNGE", connection.client.expunge)


def _message_id(mime: bytes) -> str | None:
    headers = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(mime)
    value = headers.get("Message-ID")
    return str(value).strip() if value else None


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class ImapPortMailbox:
    """``MailboxSource`` over IMAP: the cursor is ``<UIDVALIDITY>:<UID>`` of the last
    message listed; the next page holds the UIDs below it, newest first. A connection the
    server closed meanwhile (an idle time-out) is opened again, once per call."""

    def __init__(self, connect: Callable[[], ImapConnection]) -> None:
        self._connect = connect
        self._connection: ImapConnection | None = None
        self._lock = threading.Lock()  # one command at a time on the one connection

    def _run(self, operation: Callable[[ImapConnection], T]) -> T:
        with self._lock:
            if self._connection is None:
                self._connection = self._connect()
            try:
                return operation(self._connection)
            except ImapConnectionLostError:
                self._connection.close()
                self._connection = self._connect()
                return operation(self._connection)

    def list_page(self, cursor: str | None, limit: int) -> RemotePage:
        summaries, next_cursor = self._run(lambda c: list_after(c, cursor, limit))
        messages = tuple(
            RemoteMessage(s.message_id, s.sender_address or s.sender, s.subject, s.date)
            for s in summaries
        )
        return RemotePage(messages, next_cursor)

    def fetch_mime(self, message_id: str) -> bytes:
        return self._run(lambda c: fetch_raw(c, message_id))

    def save_draft(self, sealed_mime: bytes) -> str:
        """APPEND the sealed draft to Drafts with ``\\Draft``; older copies with the same
        Message-ID (earlier saves of this draft, even from before a restart) go.

        Returns ``<folder>:<UID>`` (the folder alone when the server has no UIDPLUS).
        """
        require_sealed_draft(sealed_mime)
        message_id = _message_id(sealed_mime)

        def save(connection: ImapConnection) -> str:
            folder = find_folder(connection, DRAFTS)
            uid = connection.append(folder, DRAFT_FLAGS, sealed_mime)
            if message_id and uid is not None:
                connection.select(folder)
                found = connection.uid("SEARCH", "HEADER", "Message-ID", _quoted(message_id))
                older = [u for u in _uids(found) if u != uid]
                _expunge(connection, older)
            return f"{folder}:{uid}" if uid is not None else folder

        return self._run(save)

    def delete_draft(self, draft_id: str) -> None:
        """Remove a draft ``save_draft`` stored (``<folder>:<UID>``)."""
        folder, _, uid_text = draft_id.rpartition(":")
        if not folder or not uid_text.isdigit():
            log.info("imap: a server draft without a UID cannot be removed")
            return

        def delete(connection: ImapConnection) -> None:
            connection.select(folder)
            _expunge(connection, [int(uid_text)])

        self._run(delete)

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
