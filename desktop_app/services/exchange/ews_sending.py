"""Sending what waits in the outbox through the Exchange account of a home (EWS)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from desktop_app.services.outbox.queue import OutboxQueue, QueuedMessage
from desktop_app.services.outbox.sending_run import OpenedTransport, SendReport, send_waiting

if TYPE_CHECKING:
    from desktop_app.services.mail_access import MailAccess


def send_from_home(access: MailAccess, items: Sequence[QueuedMessage]) -> SendReport:
    """``send_waiting`` through the Exchange account of the home, signed in with the
    password from the keyring; the connection is opened only if something is due."""
    from desktop_app.services.exchange.ews_transport import EwsTransport
    from desktop_app.services.exchange.session import open_connection

    settings = access.exchange_settings()
    sending = dataclasses.replace(settings, timeout=max(settings.timeout, settings.send_timeout))

    def open_transport() -> OpenedTransport:
        connection = open_connection(access, sending)
        return OpenedTransport(EwsTransport(connection), connection.config.email)

    clock = access.clock
    report = send_waiting(OutboxQueue(access.home, clock), items, open_transport, clock)
    # The lines of the `exchange` commands and of this outbox's retries name no route (it
    # is always Exchange), so the report keeps none.
    return dataclasses.replace(report, results={})
