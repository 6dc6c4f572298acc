"""The ``Transport`` port over EWS: Exchange sends the sealed bytes as they are and keeps
the copy in Sent Items.

Both ways of sending through Exchange use it: the accounts of ``account add``
(``services.exchange.kind``) and the outbox of ``exchange login``
(``services.exchange.ews_sending``). EWS failures reach the outbox in the port's terms:
a busy server is temporary (with its back-off), a refused request concerns this message
only, refused credentials stop the run, and anything else (no answer, no token) is
temporary.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from exchangelib import Message

from desktop_app.services.exchange.connection import ExchangeConnection
from desktop_app.services.mail_server_errors import (
    CredentialsRejectedError,
    MailServerError,
    ServerBusyError,
    ServerFaultError,
)
from desktop_app.services.transport.port import (
    AccountRefusedError,
    MessageRefusedError,
    SendResult,
    SentCopy,
    SmtpEnvelope,
    TemporaryTransportError,
    TransportError,
)

_T = TypeVar("_T")

SENT_ITEMS = "Sent Items"


def as_transport_error(error: MailServerError) -> TransportError:
    """``error`` of an EWS call in the port's terms, with its message unchanged."""
    if isinstance(error, ServerBusyError):
        return TemporaryTransportError(error.message, error.back_off)
    if isinstance(error, ServerFaultError):
        return MessageRefusedError(error.message)
    if isinstance(error, CredentialsRejectedError):
        return AccountRefusedError(error.message)
    return TemporaryTransportError(error.message)


class EwsTransport:
    """``Transport`` over an EWS connection, which it closes when closed."""

    route = "ews"

    def __init__(self, connection: ExchangeConnection) -> None:
        self._connection = connection

    def _call(self, action: Callable[[], _T]) -> _T:
        try:
            return self._connection.call(action)
        except MailServerError as error:
            raise as_transport_error(error) from None

    def send(self, mime: bytes, envelope: SmtpEnvelope) -> SendResult:
        """CreateItem with SendAndSaveCopy: Exchange sends the bytes as they are and files
        them in sentitems. It delivers to the addresses in the headers, which name this
        copy's recipients only, so ``envelope`` adds nothing."""
        account = self._connection.account
        self._call(lambda: Message(account=account, mime_content=mime).send_and_save())
        return SendResult(self.route, SentCopy.SAVED_BY_SERVER, SENT_ITEMS)

    def already_sent(self, message_id: str) -> bool:
        # FindItem in sentitems restricted to message:InternetMessageId.
        account = self._connection.account
        return bool(self._call(lambda: account.sent.filter(message_id=message_id).exists()))

    def close(self) -> None:
        self._connection.close()
