"""Property: the status ``exchange lookup --json`` gives a list is the one rule's.

For any list (members with and without certificates, expired ones, garbage blobs,
addresses the directory does not know, a nested list, more members than the cap), the
list's JSON status agrees with ``decide`` on a draft addressed to its members, judged on
what the store holds after the lookup. Runs over HTTP against the EWS test server.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from desktop_app.core.pki.stored import Source
from desktop_app.core.recipients.addresses import parse_mailbox
from desktop_app.core.recipients.status import Draft, Overall, StatusCode, decide
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.paths import store_path
from desktop_app.services.trust_anchors import certificate_judge
from tests.ews_server import EwsTestServer
from tests.factories.cert_files import p7b_file
from tests.factories.certs import NOW, TestCA
from tests.services.exchange.conftest import AT, PASSWORD, USER, Cli
from tests.services.exchange.test_lookup import GARBAGE

CAP = 6  # small, so that some lists are cut at the cap
PROFILES = ("der", "pkcs7", "expired", "garbage", "nocert", "external", "harvested")
COVERED = ("der", "pkcs7", "harvested")
COPIES = 3
_lists = itertools.count(1)


@dataclass(frozen=True)
class World:
    cli: Cli
    server: EwsTestServer
    members: tuple[str, ...]  # every member address a list can have


def _address(profile: str, copy: int) -> str:
    domain = "elsewhere.example" if profile in ("external", "harvested") else "clinic.example"
    return f"{profile}{copy}@{domain}"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """One signed-in home over one server whose directory holds each profile twice."""
    from desktop_app.services.exchange.account import ExchangeSettings
    from tests.services.keyrings import InMemoryKeyring

    root = TestCA("Property Root")
    home = tmp_path_factory.mktemp("property-home")
    with EwsTestServer(owner=USER, username=USER, password=PASSWORD) as server:
        state = server.state
        members = []
        with CertStore.open(store_path(home)) as store:
            store.add_trust_anchor(root.cert, NOW)
            for profile, copy in itertools.product(PROFILES, range(COPIES)):
                address = _address(profile, copy)
                members.append(address)
                if profile == "der":
                    state.mailbox(address, smime=[root.issue([address]).der])
                elif profile == "pkcs7":
                    bundle = p7b_file([root.issue([address]).cert, root.cert])
                    state.mailbox(address, exchange=[bundle])
                elif profile == "expired":
                    old = root.issue([address], not_after=NOW - dt.timedelta(days=1))
                    state.mailbox(address, smime=[old.der])
                elif profile == "garbage":
                    state.mailbox(address, smime=[GARBAGE])
                elif profile == "nocert":
                    state.mailbox(address)
                elif profile == "harvested":  # unknown to the directory, learnt from mail
                    store.add_certificate(root.issue([address]).cert, Source.HARVESTED, NOW)
        settings_ = ExchangeSettings(timeout=2.0, workers=8, member_cap=CAP)
        cli = Cli(home, InMemoryKeyring(), settings_)
        assert cli.login(server).code == 0
        yield World(cli, server, tuple(members))


def _lookup(cli: Cli, address: str) -> dict[str, Any]:
    outcome = cli("exchange", "lookup", address, "--at", AT, "--json")
    assert outcome.code == 0, outcome.err
    (result,) = outcome.json()["results"]
    return dict(result)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_lists_json_status_agrees_with_decide_on_a_draft_to_its_members(
    world: World, data: st.DataObject
) -> None:
    # Mostly covered members, so that covered lists and lists with one odd member are common.
    covered = st.sampled_from([m for m in world.members if m.startswith(COVERED)])
    pool = st.one_of(covered, covered, covered, st.sampled_from(world.members))
    direct = data.draw(st.lists(pool, unique=True, min_size=1, max_size=CAP + 2), "direct")
    nested = data.draw(st.lists(pool, unique=True, max_size=3), "nested")
    number = next(_lists)
    list_address = f"list{number}@clinic.example"
    listed = list(direct)
    if nested:
        world.server.state.distribution_list(f"nested{number}@clinic.example", nested)
        place = data.draw(st.integers(0, len(listed)), "place")
        listed.insert(place, f"nested{number}@clinic.example")
    world.server.state.distribution_list(list_address, listed)

    result = _lookup(world.cli, list_address)

    assert result["kind"] == "list"
    event(f"list status {result['status']}")
    # The members, flattened in list order, each once.
    expanded = (nested if address.startswith("nested") else [address] for address in listed)
    flattened = list(dict.fromkeys(member for members in expanded for member in members))
    if len(flattened) > CAP:
        assert result["status"] == StatusCode.UNRESOLVED.value
        return
    assert [m["address"] for m in result["members"]] == flattened
    members = tuple(parse_mailbox(address) for address in flattened)
    with CertStore.open(store_path(world.cli.home)) as store:
        evidence = certificate_judge(store, NOW).collect(m.key for m in members)
    decided = decide(Draft(to=members), evidence)
    assert [m["status"] for m in result["members"]] == [r.code.value for r in decided.recipients]
    covered = decided.overall is Overall.ENCRYPTED
    assert (result["status"] == StatusCode.OK.value) == covered
    if not covered:
        assert result["status"] == decided.uncovered[0].code.value
        for uncovered in decided.uncovered:
            assert uncovered.mailbox.address in result["reason"]
