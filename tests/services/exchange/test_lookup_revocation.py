"""exchange lookup weighs revocation as the policy says, as ``check`` does."""

from __future__ import annotations

import pytest

from tests.ews_server import EwsTestServer
from tests.services.exchange.conftest import AT, Cli, Pki


@pytest.fixture
def directory(ews: EwsTestServer, pki: Pki) -> EwsTestServer:
    ews.state.mailbox("alice@clinic.example", "Alice Smith", smime=[pki.alice.der])
    ews.state.distribution_list("team@clinic.example", ["alice@clinic.example"])
    return ews


def _policy(cli: Cli, choice: str) -> None:
    (cli.home / "policy.toml").write_text(f'revocation = "{choice}"\n', encoding="utf-8")


def _statuses(cli: Cli) -> list[str]:
    outcome = cli(
        "exchange", "lookup", "alice@clinic.example", "team@clinic.example", "--at", AT, "--json"
    )
    assert outcome.code == 0, outcome.err
    return [result["status"] for result in outcome.json()["results"]]


def test_a_required_revocation_nobody_confirmed_leaves_the_address_and_its_list_open(
    signed_in: Cli, directory: EwsTestServer
) -> None:
    _policy(signed_in, "require")
    assert _statuses(signed_in) == ["revocation_unknown", "revocation_unknown"]


@pytest.mark.parametrize("choice", ["prefer", "off"])
def test_an_unconfirmed_revocation_does_not_matter_unless_required(
    signed_in: Cli, directory: EwsTestServer, choice: str
) -> None:
    _policy(signed_in, choice)
    assert _statuses(signed_in) == ["ok", "ok"]
