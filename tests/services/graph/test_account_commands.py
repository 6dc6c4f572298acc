"""``smime-guard account ...``: bad input refused at once with a clear reason, listing,
testing and removing accounts."""

from __future__ import annotations

import pytest

from tests.ews_server.token_server import TokenTestServer
from tests.graph_server import GraphTestServer
from tests.services.exchange.conftest import USER
from tests.services.graph.conftest import ACCOUNT, CLIENT_ID, M365Cli


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["--kind", "m365", "--email", USER], "needs --client-id"),
        (["--kind", "imap", "--email", USER], "needs --imap"),
        (["--kind", "imap", "--email", USER, "--imap", "mail.example.org:993"], "needs --smtp"),
        (
            [
                "--kind",
                "imap",
                "--email",
                USER,
                "--imap",
                "mail.example.org:143x",
                "--smtp",
                "x:587",
            ],
            "is not HOST:PORT",
        ),
        (["--kind", "m365", "--email", "not an address", "--client-id", CLIENT_ID], "address"),
        (
            [
                "--kind",
                "m365",
                "--email",
                USER,
                "--client-id",
                CLIENT_ID,
                "--graph-url",
                "http://g",
            ],
            "https",
        ),
        (["--kind", "m365", "--email", USER, "--name", "../x", "--client-id", CLIENT_ID], "name"),
    ],
)
def test_bad_input_is_refused_before_anything_is_asked(
    m365_cli: M365Cli, arguments: list[str], said: str
) -> None:
    outcome = m365_cli("account", "add", *arguments)
    assert outcome.code == 2 and said in outcome.err, outcome.err
    assert m365_cli("account", "list", "--json").json() == {"accounts": []}


def test_an_unreachable_authority_is_said_within_seconds(m365_cli: M365Cli) -> None:
    outcome = m365_cli(
        "account", "add", "--kind", "m365", "--email", USER, "--client-id", CLIENT_ID,
        "--authority", "https://127.0.0.1:1/organizations",
    )  # fmt: skip
    assert outcome.code == 2 and "could not be reached" in outcome.err


def test_a_second_account_of_the_same_name_is_refused(
    signed_in: M365Cli, authority: TokenTestServer, graph: GraphTestServer
) -> None:
    outcome = signed_in(
        "account", "add", "--kind", "m365", "--name", ACCOUNT, "--email", USER,
        "--client-id", CLIENT_ID, "--authority", authority.authority, "--graph-url", graph.url,
    )  # fmt: skip
    assert outcome.code == 2 and "exists already" in outcome.err


def test_test_and_remove(signed_in: M365Cli, graph: GraphTestServer) -> None:
    assert signed_in("account", "test", "--json").json() == {
        "name": ACCOUNT, "kind": "m365", "ok": True,
    }  # fmt: skip
    graph.state.accept_token = lambda token: False
    failed = signed_in("account", "test", ACCOUNT)
    assert failed.code == 2 and "refused the account" in failed.err
    assert signed_in("account", "remove", ACCOUNT).code == 0
    assert signed_in("account", "list", "--json").json() == {"accounts": []}
    assert signed_in("send", "x.eml").code == 2  # no account left to send with


def test_a_token_revoked_early_is_refreshed_once_after_a_401(
    signed_in: M365Cli, authority: TokenTestServer, graph: GraphTestServer
) -> None:
    with authority.state.lock:
        authority.state.valid_access.clear()  # revoked before its expiry
    refreshes = authority.state.grants.count("refresh_token")
    assert signed_in("account", "test", ACCOUNT).code == 0
    assert authority.state.grants.count("refresh_token") == refreshes + 1
    assert graph.state.requests["GET /me"] == 3  # the sign-in's, the 401, the retry
