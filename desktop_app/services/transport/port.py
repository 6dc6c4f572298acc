"""The Transport port: send one finished (sealed) message to its envelope recipients.

Every account kind implements ``Transport``; the outbox (``services.outbox.sending_run``)
sends through it and keeps a message, byte for byte, until a transport took it. The
errors say what the outbox should do next: try later, give up on this message only, or
stop the run because the account itself is refused.
"""

from __future__ import annotations

import email.message
import email.parser
import email.policy
import email.utils
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from desktop_app.core.errors import UserFacingError


class TransportError(UserFacingError):
    """Base of every failure to hand a message to a server; the message was not sent."""


class TemporaryTransportError(TransportError):
    """Try again later: no connection, a time-out, throttling (429, 503, 504, SMTP 4xx).

    ``back_off`` is how many seconds the server asked to wait, when it said.
    """

    def __init__(self, message: str, back_off: float | None = None) -> None:
        super().__init__(message)
        self.back_off = back_off


class AccountRefusedError(TransportError):
    """The server refuses this account (credentials, SMTP AUTH disabled, no permission):
    no other message of the run can go either."""


class MessageRefusedError(TransportError):
    """The server refuses this one message; the others may still go."""


class MessageTooLargeError(MessageRefusedError):
    """The message is larger than the route can carry (Graph's 4 MB, an SMTP SIZE limit)."""


class SentCopy(StrEnum):
    """Whether the sent message is in the account's Sent folder, and how we know."""

    SAVED_BY_SERVER = "saved_by_server"  # EWS SendAndSaveCopy, Graph sendMail
    APPENDED = "appended"  # the client stored it (IMAP APPEND to Sent)
    # The server was not asked to keep one and its documentation does not promise one.
    NOT_CONFIRMED = "not_confirmed"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class SmtpEnvelope:
    """Who the SMTP envelope names: the sender, and every recipient of this copy."""

    sender: str
    recipients: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SendResult:
    """What a transport did with one message: the route it took and where the copy is."""

    route: str  # "ews", "graph", "smtp"
    sent_copy: SentCopy
    where: str = ""  # the folder, or a sentence on why there is no confirmed copy


class Transport(Protocol):
    """Sends one finished RFC 5322 message as it is, never altering or re-sealing it."""

    def send(self, mime: bytes, envelope: SmtpEnvelope) -> SendResult:
        """Hand ``mime`` to the server for ``envelope``'s recipients.

        Raises:
            TemporaryTransportError, AccountRefusedError, MessageRefusedError.
        """
        ...

    def already_sent(self, message_id: str) -> bool:
        """Whether the Sent folder holds a message with this Message-ID (a send that timed
        out after the server took it); False where that cannot be known."""
        ...

    def close(self) -> None: ...


def envelope_of(mime: bytes, sender: str) -> SmtpEnvelope:
    """The envelope of a sealed copy: To and Cc of its headers (a Bcc copy names its one
    Bcc recipient there, and no copy carries a Bcc header: the outbox refuses that)."""
    headers = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(mime)
    fields: Sequence[str] = [
        str(value) for name in ("To", "Cc") for value in headers.get_all(name, [])
    ]
    seen: dict[str, None] = {}
    for _, address in email.utils.getaddresses(list(fields)):
        if address and "@" in address:
            seen.setdefault(address.strip(), None)
    return SmtpEnvelope(sender, tuple(seen))
