"""exchange login: prove the credentials once, keep the password in the keyring only."""

from __future__ import annotations

from typing import Any

import pytest

from desktop_app.services.exchange.account import account_path, load_exchange_account
from desktop_app.services.secrets import SERVICE_NAME
from tests.ews_server import EwsTestServer
from tests.services.exchange.conftest import PASSWORD, USER, Cli
from tests.work import SentRequest, Sleeps


def test_login_stores_the_account_and_the_password_in_the_keyring(
    cli: Cli, ews: EwsTestServer
) -> None:
    outcome = cli.login(ews)

    assert outcome.code == 0, outcome.err
    assert "Signed in" in outcome.out
    config = load_exchange_account(cli.home)
    assert config.ews_url == ews.url
    assert config.server_build == (15, 1, 2507, 6)  # learnt from the version probe
    assert cli.keyring.entries == {(SERVICE_NAME, f"exchange:{USER}"): PASSWORD}
    assert PASSWORD not in account_path(cli.home).read_text()
    assert ews.state.operations == ["ConvertId"]


def test_wrong_password_fails_fast_with_exit_2_and_stores_nothing(
    cli: Cli, ews: EwsTestServer, sleeps: Sleeps
) -> None:
    outcome = cli.login(ews, password="wrong")

    assert sleeps.asked == []  # fast: no back-off, no waiting before telling
    assert outcome.code == 2
    assert "did not accept the user name or password" in outcome.err
    assert not account_path(cli.home).exists()
    assert cli.keyring.entries == {}
    assert ews.state.operations == ["401"]  # one try, no retrying of 401 as throttling


def test_a_server_that_is_not_there_fails_within_seconds(
    cli: Cli, ews: EwsTestServer, sleeps: Sleeps, sent_requests: list[SentRequest]
) -> None:
    url = ews.url
    ews.stop()

    with_server_gone = cli.login(ews)

    # Within seconds, counted: one try, bounded by the configured timeout, no back-off.
    assert sleeps.asked == []
    assert [request.timeout for request in sent_requests] == [cli.settings.timeout]
    assert with_server_gone.code == 2
    assert "could not be reached" in with_server_gone.err
    assert url.split("/")[2] in with_server_gone.err
    assert cli.keyring.entries == {}


@pytest.fixture
def dns_queries(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Each DNS query autodiscover makes (exchangelib asks through dnspython)."""
    import dns.resolver

    asked: list[tuple[str, str]] = []
    real_resolve = dns.resolver.Resolver.resolve

    def recording_resolve(self: Any, qname: Any, rdtype: Any = "A", *args: Any, **kw: Any) -> Any:
        asked.append((str(qname), str(rdtype)))
        return real_resolve(self, qname, rdtype, *args, **kw)

    monkeypatch.setattr(dns.resolver.Resolver, "resolve", recording_resolve)
    return asked


def test_autodiscover_that_finds_nothing_is_a_clear_exit_2(
    cli: Cli, sleeps: Sleeps, sent_requests: list[SentRequest], dns_queries: list[tuple[str, str]]
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EXCHANGE_TEST_PASSWORD", PASSWORD)
        outcome = cli(
            "exchange", "login", "--email", "me@clinic.invalid", "--autodiscover",
            "--auth", "basic", "--password-env", "EXCHANGE_TEST_PASSWORD",
        )  # fmt: skip

    # Within seconds, counted: the few DNS names autodiscover looks at, each once or twice,
    # no HTTP request to a name that does not exist, no waiting between tries.
    assert {name for name, _ in dns_queries} <= {
        "clinic.invalid.",
        "autodiscover.clinic.invalid.",
        "_autodiscover._tcp.clinic.invalid.",
    }
    assert len(dns_queries) <= 4
    assert sent_requests == [] and sleeps.asked == []
    assert outcome.code == 2
    assert "Autodiscover found no Exchange server for me@clinic.invalid" in outcome.err
    assert cli.keyring.entries == {}


def test_oauth2_is_refused_before_any_password_is_asked_for(cli: Cli, ews: EwsTestServer) -> None:
    outcome = cli("exchange", "login", "--email", USER, "--server", ews.url, "--auth", "oauth2")

    assert outcome.code == 2
    assert "OAuth 2.0" in outcome.err
    assert ews.state.operations == []


def test_no_keyring_means_no_sign_in(cli: Cli, ews: EwsTestServer) -> None:
    from tests.services.keyrings import LockedKeyring

    cli.keyring = LockedKeyring()
    outcome = cli.login(ews)

    assert outcome.code == 2
    assert "keyring" in outcome.err
    assert not account_path(cli.home).exists()


def test_a_url_that_is_not_http_is_refused(cli: Cli) -> None:
    outcome = cli("exchange", "login", "--email", USER, "--server", "mail.example.org")

    assert outcome.code == 2
    assert "is not an EWS URL" in outcome.err


def test_the_grammar_offers_exactly_the_account_auth_types() -> None:
    from desktop_app.cli.exchange_command import AUTH_CHOICES, DEFAULT_AUTH
    from desktop_app.services.exchange.account import AccountConfig, AuthType

    assert tuple(auth.value for auth in AuthType) == AUTH_CHOICES
    assert AccountConfig("a@b.example", "").auth.value == DEFAULT_AUTH


def test_the_grammar_loads_without_exchangelib() -> None:
    import subprocess
    import sys

    code = "import sys, desktop_app.cli.exchange_command; print('exchangelib' in sys.modules)"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)

    assert loaded.stdout.strip() == "False", loaded.stderr
