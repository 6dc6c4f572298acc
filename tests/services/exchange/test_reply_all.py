"""Replying to mail fetched from Exchange: X.500 (IMCEAEX) addresses resolved before the rule."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop_app.core.recipients.addresses import parse_mailbox
from desktop_app.core.recipients.evidence import CertificateJudge, assess
from desktop_app.core.recipients.legacy_dn import legacy_dns, resolve_original
from desktop_app.core.recipients.replies import ComposeAction, parse_original, prefill
from desktop_app.core.recipients.status import Draft, Overall, StatusCode
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.exchange.account import ExchangeSettings
from desktop_app.services.exchange.ews_services import EwsDirectory
from desktop_app.services.exchange.gal_search import GalSearch
from desktop_app.services.exchange.session import open_connection
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.paths import store_path
from desktop_app.services.secrets import SecretStore
from tests.ews_server import EwsTestServer
from tests.factories.certs import NOW
from tests.services.exchange.conftest import LEGACY_ROOT, USER, Cli, Pki
from tests.services.exchange.test_lookup import imceaex


@pytest.fixture
def store(signed_in: Cli) -> Iterator[CertStore]:
    with CertStore.open(store_path(signed_in.home)) as opened:
        yield opened


@pytest.fixture
def lookup(signed_in: Cli, ews: EwsTestServer, pki: Pki, store: CertStore) -> Iterator[GalSearch]:
    state = ews.state
    state.mailbox(
        "alice@clinic.example", smime=[pki.alice.der], legacy_dn=f"{LEGACY_ROOT}/cn=alice"
    )
    state.mailbox(USER, smime=[pki.me.der], legacy_dn=f"{LEGACY_ROOT}/cn=me")
    state.mailbox("bob@clinic.example", smime=[pki.bob.der])
    settings = ExchangeSettings(timeout=2.0, workers=4)
    connection = open_connection(
        MailAccess(signed_in.home, secrets=lambda: SecretStore(signed_in.keyring)), settings
    )
    yield GalSearch(EwsDirectory(connection), store, settings, lambda: NOW)
    connection.close()


def test_reply_all_resolves_x500_sender_and_recipients_and_leaves_the_user_out(
    lookup: GalSearch, store: CertStore
) -> None:
    alice = imceaex(f"{LEGACY_ROOT}/cn=alice", "clinic.example")
    me = imceaex(f"{LEGACY_ROOT}/cn=me", "clinic.example")
    eml = (
        f"From: Alice Smith <{alice}>\r\nTo: Me <{me}>\r\nCc: bob@clinic.example\r\n"
        "Subject: Results\r\nMessage-ID: <1@clinic.example>\r\n\r\nHello\r\n"
    ).encode()
    original = parse_original(eml)

    resolved = lookup.resolve_legacy_dns(legacy_dns((*original.sender, *original.to, *original.cc)))
    filled = prefill(
        resolve_original(original, resolved), ComposeAction.REPLY_ALL, frozenset({USER})
    )

    assert [m.address for m in filled.to] == ["alice@clinic.example"]
    assert filled.to[0].display_name == "Alice Smith"
    assert [m.address for m in filled.cc] == ["bob@clinic.example"]  # the user is left out
    draft = Draft(to=filled.to, cc=filled.cc, sender=parse_mailbox(USER))
    # Unresolved, the X.500 sender would be red; looked up, the directory's
    # certificates make every token blue through the one rule.
    assert assess(draft, CertificateJudge(store, NOW)).overall is Overall.NOT_ENCRYPTED
    entries = lookup.search([*filled.to, *filled.cc])
    assert [e.address for e in entries] == ["alice@clinic.example", "bob@clinic.example"]
    assert assess(draft, CertificateJudge(store, NOW)).overall is Overall.ENCRYPTED


def test_an_x500_recipient_the_directory_does_not_know_stays_unresolved(
    lookup: GalSearch, store: CertStore
) -> None:
    gone = parse_mailbox(imceaex(f"{LEGACY_ROOT}/cn=gone", "clinic.example"))

    resolved = lookup.resolve_legacy_dns(legacy_dns([gone]))
    status = assess(Draft(to=(gone,)), CertificateJudge(store, NOW))

    assert resolved == {}
    assert status.overall is Overall.NOT_ENCRYPTED
    assert status.recipients[0].code is StatusCode.UNRESOLVED
