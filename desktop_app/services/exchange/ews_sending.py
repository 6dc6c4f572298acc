"""Sending what waits in the outbox through the Exchange account of a home (EWS)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.services.exchange.account import ExchangeSettings
from desktop_app.services.outbox.queue import OutboxQueue, QueuedMessage
from desktop_app.services.outbox.sending_run import MailTransport, SendReport, send_waiting
from desktop_app.services.secrets import SecretStore

if TYPE_CHECKING:
    from desktop_app.services.oauth.client import OAuthContext


def send_from_home(
    home: Path,
    items: Sequence[QueuedMessage],
    open_secrets: Callable[[], SecretStore],
    settings: ExchangeSettings,
    clock: Callable[[], datetime],
    oauth: OAuthContext | None = None,
) -> SendReport:
    """``send_waiting`` through the Exchange account of ``home``, signed in with the
    password from the keyring; the connection is opened only if something is due."""
    from desktop_app.services.exchange.ews_services import EwsTransport
    from desktop_app.services.exchange.session import open_connection

    connections = []
    sending = dataclasses.replace(settings, timeout=max(settings.timeout, settings.send_timeout))

    def open_transport() -> MailTransport:
        connections.append(open_connection(home, open_secrets, sending, oauth=oauth))
        return EwsTransport(connections[-1])

    try:
        return send_waiting(OutboxQueue(home, clock), items, open_transport, clock)
    finally:
        for connection in connections:
            connection.close()
