"""The Exchange inbox as a message list source: newest first, in pages, messages read from MIME."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop_app.services.exchange.account import ExchangeSettings
from desktop_app.services.exchange.inbox_source import ExchangeMessageListSource
from desktop_app.services.exchange.session import open_connection
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.mail_server_errors import UnreachableError
from desktop_app.services.mailbox.source import Encryption
from desktop_app.services.secrets import SecretStore
from tests.ews_server import EwsTestServer, StoredItem
from tests.factories.certs import NOW
from tests.services.exchange.conftest import USER, Cli

ENCRYPTED = (
    b"From: Alice <alice@clinic.example>\r\nTo: me@clinic.example\r\nSubject: Sealed\r\n"
    b"MIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data;"
    b" name=smime.p7m\r\nContent-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHA6CAMIACAQA=\r\n"
)


def source_for(cli: Cli, page_size: int = 2) -> ExchangeMessageListSource:
    settings = ExchangeSettings(timeout=2.0, workers=2)
    return ExchangeMessageListSource(
        lambda: open_connection(
            MailAccess(cli.home, secrets=lambda: SecretStore(cli.keyring)), settings
        ),
        USER,
        page_size,
    )


def test_the_inbox_is_listed_newest_first_in_pages(signed_in: Cli, ews: EwsTestServer) -> None:
    for number in range(3):
        ews.state.deliver(
            StoredItem(
                f"item-{number}",
                "inbox",
                f"From: S{number} <s{number}@clinic.example>\r\nSubject: Message {number}\r\n"
                f"\r\nBody {number}\r\n".encode(),
                subject=f"Message {number}",
                sender=f"s{number}@clinic.example",
                received=NOW + dt.timedelta(minutes=number),
            )
        )
    ews.state.deliver(StoredItem("sealed", "inbox", ENCRYPTED, "Sealed", "alice@clinic.example"))
    source = source_for(signed_in)
    try:
        first = source.list_messages()
        assert USER in source.name
        assert [m.subject for m in first] == ["Message 2", "Message 1"]
        assert source.list_page(0).more
        second = source.list_page(2)
        assert [m.subject for m in second.messages] == ["Message 0", "Sealed"]
        assert (second.offset, second.more) == (2, False)
        assert source.list_page(4).messages == ()
        detail = source.fetch(first[0].message_id)
        assert detail.summary.message_id == "item-2"
        assert detail.body_text == "Body 2\n"
        assert detail.summary.sender_address == "s2@clinic.example"
        assert source.fetch("sealed").summary.encryption is Encryption.SMIME
    finally:
        source.close()


def test_an_unreachable_server_is_a_clear_error(signed_in: Cli, ews: EwsTestServer) -> None:
    ews.stop()
    with pytest.raises(UnreachableError, match="could not be reached"):
        source_for(signed_in).list_messages()
