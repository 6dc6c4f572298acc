"""MailTips (with exchangelib's request fixed), the inbox, and the directory cache."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from exchangelib.errors import ErrorSchemaValidation
from exchangelib.properties import Mailbox, SendingAs
from exchangelib.services import GetMailTips

from desktop_app.core.pki.certificates import fingerprint_sha256
from desktop_app.core.recipients.addresses import parse_mailbox
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.exchange.account import ExchangeSettings
from desktop_app.services.exchange.cache import CachedDirectory, DirectoryCache
from desktop_app.services.exchange.connection import ExchangeConnection
from desktop_app.services.exchange.ews_services import EwsDirectory
from desktop_app.services.exchange.gal_search import GalSearch
from desktop_app.services.exchange.mailbox import ExchangeMailbox
from desktop_app.services.exchange.session import open_connection
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.mailtips import send_warnings
from desktop_app.services.paths import store_path
from desktop_app.services.secrets import SecretStore
from tests.ews_server import EwsTestServer, StoredItem
from tests.factories.certs import NOW
from tests.services.exchange.conftest import USER, Cli, Pki


@pytest.fixture
def connection(signed_in: Cli) -> Iterator[ExchangeConnection]:
    settings = ExchangeSettings(timeout=2.0, workers=4)
    opened = open_connection(
        MailAccess(signed_in.home, secrets=lambda: SecretStore(signed_in.keyring)), settings
    )
    yield opened
    opened.close()


def test_mail_tips_report_invalid_and_external_recipients_and_large_lists(
    connection: ExchangeConnection, ews: EwsTestServer
) -> None:
    members = [f"user{n}@clinic.example" for n in range(30)] + ["partner@else.example"]
    for member in members[:-1]:
        ews.state.mailbox(member)
    ews.state.distribution_list("all@clinic.example", members)
    directory = EwsDirectory(connection)

    tips = directory.mail_tips(USER, ["all@clinic.example", "typo@clinic.example"])

    assert [(t.address, t.invalid, t.total_members) for t in tips] == [
        ("all@clinic.example", False, 31),
        ("typo@clinic.example", True, 1),
    ]
    codes = [notice.code for notice in send_warnings(tips)]
    assert codes == ["external_members", "large_audience", "invalid_recipient"]
    request = next(
        r
        for op, r in zip(ews.state.operations, ews.state.requests, strict=True)
        if op == "GetMailTips"
    )
    assert b"<m:MailTipsRequested>InvalidRecipient ExternalMemberCount TotalMemberCount" in request


def test_exchangelibs_own_get_mail_tips_is_rejected_as_the_fix_says(
    connection: ExchangeConnection,
) -> None:
    service = GetMailTips(protocol=connection.protocol)

    with pytest.raises(ErrorSchemaValidation):
        list(
            service.call(
                sending_as=SendingAs(email_address=USER),
                recipients=[Mailbox(email_address=USER)],
                mail_tips_requested="All",
            )
        )


def test_the_inbox_lists_newest_first_in_pages_and_fetches_mime(
    connection: ExchangeConnection, ews: EwsTestServer
) -> None:
    for number in range(5):
        ews.state.deliver(
            StoredItem(
                f"item-{number}",
                "inbox",
                f"Subject: Message {number}\r\n\r\nBody {number}\r\n".encode(),
                subject=f"Message {number}",
                sender=f"sender{number}@clinic.example",
                received=NOW + dt.timedelta(minutes=number),
            )
        )
    mailbox = ExchangeMailbox(connection)

    first, second, last = mailbox.page(0, 2), mailbox.page(2, 2), mailbox.page(4, 2)

    entries = first.entries + second.entries + last.entries
    assert [entry.subject for entry in entries] == [f"Message {n}" for n in (4, 3, 2, 1, 0)]
    assert (first.more, second.more, last.more) == (True, True, False)
    # One FindItem per page, each asking one message more than a page to see if any follow.
    finds = ews.state.requests_of("FindItem")
    assert len(finds) == 3
    assert all(b'MaxEntriesReturned="3"' in body for body in finds)
    assert all(b'Offset="%d"' % n in body for n, body in zip((0, 2, 4), finds, strict=True))
    newest = first.entries
    assert newest[0].sender == "sender4@clinic.example"
    assert newest[0].received == NOW + dt.timedelta(minutes=4)
    assert mailbox.mime(newest[1].item_id) == b"Subject: Message 3\r\n\r\nBody 3\r\n"


def test_cached_directory_certificates_serve_offline_checks_until_they_expire(
    connection: ExchangeConnection, ews: EwsTestServer, pki: Pki, signed_in: Cli
) -> None:
    ews.state.mailbox("alice@clinic.example", smime=[pki.alice.der])
    now = [NOW]
    ttl = dt.timedelta(hours=8)
    with CertStore.open(store_path(signed_in.home)) as store:
        cache = DirectoryCache(signed_in.home, ttl, lambda: now[0])
        settings = ExchangeSettings(workers=2)
        search = GalSearch(EwsDirectory(connection), store, settings, lambda: now[0], cache)
        search.search([parse_mailbox("alice@clinic.example")])
        calls = len(ews.state.operations)
        # A new process: a fresh cache object reads the file.
        offline = CachedDirectory(DirectoryCache(signed_in.home, ttl, lambda: now[0]), store)

        fresh = offline.certificates(["alice@clinic.example", "bob@clinic.example"])
        now[0] = NOW + ttl + dt.timedelta(seconds=1)
        stale = offline.certificates(["alice@clinic.example"])

    assert [fingerprint_sha256(c) for c in fresh["alice@clinic.example"]] == [
        fingerprint_sha256(pki.alice.cert)
    ]
    assert "bob@clinic.example" not in fresh
    assert stale == {}
    assert len(ews.state.operations) == calls  # no network
