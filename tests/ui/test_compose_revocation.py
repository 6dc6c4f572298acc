"""The compose window while revocation is fetched: "checking" until answered, then the rule."""

import dataclasses
import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from pytestqt.qtbot import QtBot

from desktop_app.core.notices import Notice
from desktop_app.core.pki.stored import Source
from desktop_app.core.policy.model import RevocationPolicy
from desktop_app.core.recipients.addresses import parse_address_list
from desktop_app.core.recipients.status import Overall, StatusCode
from desktop_app.core.recipients.status_wording import LineState
from desktop_app.services.certificates.compose_evidence import ComposeEvidence
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.paths import store_path
from desktop_app.ui.compose.presentation import StatusLine, code_words
from desktop_app.ui.compose.session import ComposeStart
from desktop_app.ui.compose.status_line import StatusLineWidget
from tests.factories.certs import TestCA
from tests.factories.revocation_server import Fault, RevocationServer, Route
from tests.ui.conftest import CLINIC_POLICY, ContextFactory, WindowFactory, settled
from tests.ui.make_screenshots import DEMO_NOW

CA = TestCA("Partner Revocation CA", slot=21)
REMOTE = "remote@partner.example"


@pytest.fixture
def server() -> Iterator[RevocationServer]:
    with RevocationServer() as running:
        yield running


@pytest.fixture
def fetching(demo_copy: Path, server: RevocationServer) -> Iterator[ComposeEvidence]:
    """The demo home's store plus a partner whose certificate names the server's CRL."""
    issued = CA.issue([REMOTE], key_kind="p256", crl_urls=[server.url("partner.crl")])
    with CertStore.open(store_path(demo_copy)) as store:
        store.add_trust_anchor(CA.cert, DEMO_NOW)
        store.add_certificate(issued.cert, Source.IMPORTED, DEMO_NOW)
    crl = CA.crl(
        last_update=DEMO_NOW - dt.timedelta(hours=1), next_update=DEMO_NOW + dt.timedelta(days=1)
    )
    server.routes["partner.crl"] = Route(crl=crl.public_bytes(serialization.Encoding.DER))
    lazy = ComposeEvidence(store_path(demo_copy), None, lambda: DEMO_NOW, fetch_revocation=True)
    yield lazy
    lazy.close()


def test_a_token_stays_checking_until_the_crl_server_answers(
    qtbot: QtBot,
    open_compose: WindowFactory,
    make_context: ContextFactory,
    fetching: ComposeEvidence,
    server: RevocationServer,
) -> None:
    hold = threading.Event()
    server.routes["partner.crl"].hold = hold
    context = make_context(lookup_provider=fetching)
    window = open_compose(
        ComposeStart(to=parse_address_list(REMOTE)), context=context, settle=False
    )
    try:
        qtbot.waitUntil(lambda: server.hits["partner.crl"] == 1, timeout=10_000)
        assert window.session.checking
        assert REMOTE in window.session.pending
        assert window.session.status.overall is Overall.NOT_ENCRYPTED
    finally:
        hold.set()
    settled(qtbot, window)
    assert window.session.status.overall is Overall.ENCRYPTED
    assert window.session.status.notices == ()


def test_under_require_an_unanswered_recipient_is_not_covered(
    qtbot: QtBot,
    open_compose: WindowFactory,
    make_context: ContextFactory,
    fetching: ComposeEvidence,
    server: RevocationServer,
) -> None:
    server.routes["partner.crl"] = Route(fault=Fault.NOT_FOUND)
    policy = dataclasses.replace(CLINIC_POLICY, revocation=RevocationPolicy.REQUIRE)
    context = make_context(policy=policy, lookup_provider=fetching)
    window = open_compose(ComposeStart(to=parse_address_list(REMOTE)), context=context)
    [recipient] = window.session.status.recipients
    assert recipient.code is StatusCode.REVOCATION_UNKNOWN
    assert "HTTP status 404" in recipient.reason
    assert code_words(recipient.code) == "revocation unknown"


def test_under_prefer_an_unanswered_recipient_is_covered_with_a_warning(
    qtbot: QtBot,
    open_compose: WindowFactory,
    make_context: ContextFactory,
    fetching: ComposeEvidence,
    server: RevocationServer,
) -> None:
    server.routes["partner.crl"] = Route(fault=Fault.GARBAGE)
    window = open_compose(
        ComposeStart(to=parse_address_list(REMOTE)), context=make_context(lookup_provider=fetching)
    )
    assert window.session.status.overall is Overall.ENCRYPTED
    assert [n.code for n in window.session.status.notices] == ["revocation_unknown"]


def test_the_status_line_shows_a_few_warnings_of_a_kind_and_counts_the_rest(
    qtbot: QtBot, theme
) -> None:
    line = StatusLineWidget(theme)
    qtbot.addWidget(line)
    notices = tuple(
        Notice("revocation_unknown", f"unknown for r{n}@x.org", f"r{n}@x.org") for n in range(200)
    )
    line.show_line(StatusLine(LineState.ENCRYPTED, "lock-closed", "Encrypted", ""), notices)
    shown = line.notices.text().splitlines()
    assert shown[:3] == [
        "⚠ unknown for r0@x.org",
        "⚠ unknown for r1@x.org",
        "⚠ unknown for r2@x.org",
    ]
    assert len(shown) == 4
    assert "197 more" in shown[3]
