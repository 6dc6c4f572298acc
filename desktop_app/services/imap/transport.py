"""Sending from the outbox through an IMAP/SMTP account: SMTP submission, then a Sent copy.

The IMAP connection is opened first: when the IMAP server cannot be reached, nothing is
submitted (the message stays sealed in the outbox), so every message that leaves also
gets its Sent copy, APPENDed exactly as it was sent. Only when IMAP fails between the
submission and the APPEND is a delivered message left without a Sent copy; it is then
not sent again (that would deliver it twice) and the log says so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.errors import UserFacingError
from desktop_app.services.imap.connection import ImapConnection, open_imap
from desktop_app.services.imap.folders import SENT, find_folder
from desktop_app.services.imap.submission import submit

if TYPE_CHECKING:
    from desktop_app.services.exchange.outbox import QueuedMessage
    from desktop_app.services.exchange.sending import SendReport
    from desktop_app.services.imap.settings import Credential, ImapAccount

log = logging.getLogger(__name__)

SENT_FLAGS = "(\\Seen)"


def _header_value(value: str) -> str:
    """A Message-ID as an IMAP quoted string."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class ImapSmtpTransport:
    """``MailTransport`` of an IMAP/SMTP account over one signed-in IMAP connection."""

    def __init__(
        self,
        account: ImapAccount,
        credential: Credential,
        connection: ImapConnection,
        submit_message: Callable[[ImapAccount, Credential, bytes], None] = submit,
    ) -> None:
        self._account = account
        self._credential = credential
        self._connection = connection
        self._submit = submit_message
        self._sent_folder: str | None = None

    def _sent(self) -> str:
        if self._sent_folder is None:
            self._sent_folder = find_folder(self._connection, SENT)
        return self._sent_folder

    def send(self, mime: bytes) -> None:
        """Submit ``mime`` by SMTP and keep it in Sent.

        Raises:
            UserFacingError: the IMAP server has no usable Sent folder, or the SMTP
                server did not take the message (nothing was delivered).
        """
        sent = self._sent()  # before submitting: a Sent copy must have somewhere to go
        self._submit(self._account, self._credential, mime)
        try:
            self._connection.append(sent, SENT_FLAGS, mime)
        except UserFacingError as error:
            log.warning("imap: delivered, but the Sent copy failed: %s", type(error).__name__)

    def already_sent(self, message_id: str) -> bool:
        """Whether Sent holds a message with this Message-ID (a send whose answer was lost)."""
        self._connection.examine(self._sent())
        [found] = self._connection.uid("SEARCH", "HEADER", "Message-ID", _header_value(message_id))[
            :1
        ] or [b""]
        return isinstance(found, bytes) and bool(found.split())

    def close(self) -> None:
        self._connection.close()


def send_through_account(
    home: Path,
    items: Sequence[QueuedMessage],
    account: ImapAccount,
    credential: Callable[[], Credential],
    clock: Callable[[], datetime],
) -> SendReport:
    """``send_waiting`` from the outbox of ``home`` through ``account``; connects (and
    reads the secret) only when something is due."""
    from desktop_app.services.exchange.outbox import ExchangeOutbox
    from desktop_app.services.exchange.sending import send_waiting

    transports: list[ImapSmtpTransport] = []

    def open_transport() -> ImapSmtpTransport:
        secret = credential()
        transports.append(ImapSmtpTransport(account, secret, open_imap(account, secret)))
        return transports[-1]

    try:
        return send_waiting(ExchangeOutbox(home, clock), items, open_transport, clock)
    finally:
        for transport in transports:
            transport.close()
