"""Faults during directory lookups: a clear message within seconds, nothing half-kept."""

from __future__ import annotations

from typing import Any

import pytest

from desktop_app.services.certstore.store import CertStore
from desktop_app.services.exchange.cache import CACHE_FILE_NAME
from desktop_app.services.paths import exchange_folder, store_path
from tests.ews_server import EwsTestServer
from tests.services.exchange.conftest import AT, Cli, Pki
from tests.work import SentRequest, Sleeps

FAULTS = [
    pytest.param(
        "server_busy", {"back_off_ms": 5000}, "busy and asked to wait 5 seconds", id="busy"
    ),
    pytest.param("http500", {}, "failed to answer this request (HTTP 500)", id="http-500"),
    pytest.param("malformed", {}, "not a valid EWS response", id="malformed-xml"),
    pytest.param("timeout", {"delay": 3.0}, "did not answer in time", id="timeout"),
]


@pytest.mark.parametrize(("kind", "options", "message"), FAULTS)
def test_a_fault_during_lookup_is_exit_2_with_a_clear_message(
    signed_in: Cli,
    ews: EwsTestServer,
    pki: Pki,
    kind: str,
    options: dict[str, Any],
    message: str,
    sleeps: Sleeps,
    sent_requests: list[SentRequest],
) -> None:
    ews.state.mailbox("alice@clinic.example", smime=[pki.alice.der])
    ews.state.faults.add(kind, "ResolveNames", **options)

    outcome = signed_in("exchange", "lookup", "alice@clinic.example", "--at", AT, "--json")

    # Within seconds, counted: one request, given up after the configured timeout at most,
    # and no waiting (not even the back-off a busy server asks for) before saying so.
    assert ews.state.operations.count("ResolveNames") == 1 and sleeps.asked == []
    assert [request.timeout for request in sent_requests] == [signed_in.settings.timeout]
    assert outcome.code == 2
    assert outcome.out == ""
    assert "The directory did not answer for alice@clinic.example" in outcome.err
    assert message in outcome.err
    assert not (exchange_folder(signed_in.home) / CACHE_FILE_NAME).read_text().count("alice")
    with CertStore.open(store_path(signed_in.home)) as store:
        assert not store.list_certificates()


def test_one_failed_member_keeps_the_list_from_counting_as_covered(
    signed_in: Cli, ews: EwsTestServer, pki: Pki
) -> None:
    ews.state.mailbox("alice@clinic.example", smime=[pki.alice.der])
    ews.state.mailbox("bob@clinic.example", smime=[pki.bob.der])
    ews.state.distribution_list(
        "pair@clinic.example", ["alice@clinic.example", "bob@clinic.example"]
    )
    # The list resolves; then one of the two member lookups meets a busy server.
    ews.state.faults.add("delay", "ResolveNames", delay=0.0)
    ews.state.faults.add("server_busy", "ResolveNames", back_off_ms=1000)

    outcome = signed_in("exchange", "lookup", "pair@clinic.example", "--at", AT)

    assert outcome.code == 2
    assert "busy" in outcome.err


def test_the_server_going_away_between_calls_is_a_clear_message(
    signed_in: Cli, ews: EwsTestServer
) -> None:
    ews.stop()

    outcome = signed_in("exchange", "lookup", "alice@clinic.example")

    assert outcome.code == 2
    assert "could not be reached" in outcome.err
