"""NTLM (exchangelib's default for on-premises Exchange) over plain HTTP, against pyspnego."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.services.exchange.account import load_exchange_account
from tests.ews_server import EwsTestServer
from tests.services.exchange.conftest import PASSWORD, USER, Cli, Outcome, Pki
from tests.work import Sleeps


@pytest.fixture
def ntlm_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[EwsTestServer]:
    with EwsTestServer(owner=USER, username=USER, password=PASSWORD, auth="ntlm") as server:
        monkeypatch.setenv("NTLM_USER_FILE", str(server.ntlm_user_file(tmp_path)))
        yield server


def _login(cli: Cli, server: EwsTestServer, password: str) -> Outcome:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EXCHANGE_TEST_PASSWORD", password)
        return cli(
            "exchange", "login", "--email", USER, "--server", server.url,
            "--password-env", "EXCHANGE_TEST_PASSWORD",
        )  # fmt: skip


def test_ntlm_login_and_lookup(cli: Cli, ntlm_server: EwsTestServer, pki: Pki) -> None:
    ntlm_server.state.mailbox("alice@clinic.example", smime=[pki.alice.der])

    signed = _login(cli, ntlm_server, PASSWORD)
    looked_up = cli("exchange", "lookup", "alice@clinic.example", "--json")

    assert signed.code == 0, signed.err
    assert load_exchange_account(cli.home).auth.value == "ntlm"
    # Challenge, then the authenticated request, on one connection.
    assert ntlm_server.state.operations[:3] == ["401", "401", "ConvertId"]
    assert looked_up.code == 0, looked_up.err
    assert looked_up.json()["results"][0]["kind"] == "mailbox"


def test_ntlm_wrong_password_fails_fast(
    cli: Cli, ntlm_server: EwsTestServer, sleeps: Sleeps
) -> None:
    outcome = _login(cli, ntlm_server, "wrong")

    # Fast, counted: one handshake (probe, challenge, refused answer), no retry, no waiting.
    assert ntlm_server.state.operations == ["401", "401", "401"]
    assert sleeps.asked == []
    assert outcome.code == 2
    assert "did not accept the user name or password" in outcome.err
    assert cli.keyring.entries == {}
