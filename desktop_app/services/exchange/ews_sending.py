"""Sending what waits in the outbox through the Exchange account of a home (EWS)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from desktop_app.services.outbox.queue import OutboxQueue, QueuedMessage
from desktop_app.services.outbox.sending_run import MailTransport, SendReport, send_waiting

if TYPE_CHECKING:
    from desktop_app.services.mail_access import MailAccess


def send_from_home(access: MailAccess, items: Sequence[QueuedMessage]) -> SendReport:
    """``send_waiting`` through the Exchange account of the home, signed in with the
    password from the keyring; the connection is opened only if something is due."""
    from desktop_app.services.exchange.ews_services import EwsTransport
    from desktop_app.services.exchange.session import open_connection

    connections = []
    settings = access.exchange_settings()
    sending = dataclasses.replace(settings, timeout=max(settings.timeout, settings.send_timeout))

    def open_transport() -> MailTransport:
        connections.append(open_connection(access, sending))
        return EwsTransport(connections[-1])

    clock = access.clock
    try:
        return send_waiting(OutboxQueue(access.home, clock), items, open_transport, clock)
    finally:
        for connection in connections:
            connection.close()
