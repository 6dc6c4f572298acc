"""exchange login --auth oauth2: msal against a local authority, tokens only in the cache."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from desktop_app.services.exchange.account import (
    AuthType,
    ExchangeSettings,
    account_path,
    load_exchange_account,
)
from desktop_app.services.exchange.connection import ExchangeConnection
from desktop_app.services.exchange.session import oauth_client, open_connection
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.mail_server_errors import NotSetUpError
from desktop_app.services.oauth.client import OAuthContext
from desktop_app.services.secrets import EncryptedPersistence, SecretStore, encrypted_persistence
from tests.ews_server import EwsTestServer
from tests.ews_server.tls import LocalTls
from tests.ews_server.token_server import FormPostBrowser, TokenTestServer
from tests.services.exchange.conftest import PASSWORD, USER, Pki
from tests.services.exchange.oauth_fixtures import OAuthCli
from tests.services.exchange.sealing import seal_files
from tests.services.keyrings import InMemoryKeyring
from tests.services.oauth.fixtures import CLIENT_ID, MemoryStores, token_cache_text
from tests.work import SentRequest, Sleeps


def _no_keyring() -> SecretStore:
    raise AssertionError("an OAuth 2.0 account needs no keyring entry")


def test_device_code_login_stores_the_account_and_tokens_only_in_the_cache(
    oauth_cli: OAuthCli,
    oauth_ews: EwsTestServer,
    authority: TokenTestServer,
    memory_stores: MemoryStores,
) -> None:
    outcome = oauth_cli.login(oauth_ews, authority)

    assert outcome.code == 0, outcome.err
    code = authority.state.user_codes[0]
    assert f"enter the code {code}" in outcome.out
    assert "/devicelogin" in outcome.out
    assert "Signed in to Exchange" in outcome.out and "OAuth 2.0" in outcome.out
    config = load_exchange_account(oauth_cli.home)
    assert config.auth is AuthType.OAUTH2
    assert config.oauth is not None and config.oauth.client_id == CLIENT_ID
    assert config.oauth.authority == authority.authority
    assert config.server_build == (15, 1, 2507, 6)
    assert oauth_ews.state.operations == ["ConvertId"]
    assert oauth_cli.keyring.entries == {}
    (access,) = authority.state.issued_access
    assert access in token_cache_text(memory_stores)
    assert access not in account_path(oauth_cli.home).read_text()


def test_a_later_lookup_uses_the_cached_token_and_refreshes_it_silently(
    oauth_cli: OAuthCli,
    oauth_ews: EwsTestServer,
    authority: TokenTestServer,
) -> None:
    authority.state.access_lifetime = 2  # msal refreshes whatever expires within 5 minutes
    assert oauth_cli.login(oauth_ews, authority).code == 0
    oauth_ews.state.mailbox("alice@clinic.example", "Alice Hart")

    first = oauth_cli("exchange", "lookup", "alice@clinic.example")
    time.sleep(1.2)  # exchangelib's copy of the token has run out now
    second = oauth_cli("exchange", "lookup", "alice@clinic.example")

    assert first.code == 0 and second.code == 0, (first.err, second.err)
    assert authority.state.grants.count("refresh_token") >= 2
    assert "device_code" not in authority.state.grants[2:]


def test_a_declined_sign_in_is_exit_2_and_stores_nothing(
    oauth_cli: OAuthCli,
    oauth_ews: EwsTestServer,
    authority: TokenTestServer,
    sleeps: Sleeps,
    sent_requests: list[SentRequest],
) -> None:
    authority.state.approve = "decline"
    outcome = oauth_cli.login(oauth_ews, authority)

    # Told at once, counted: one poll that the authority answered "declined", no waiting.
    assert authority.state.grants == ["devicecode", "device_code"] and sleeps.asked == []
    assert {request.timeout for request in sent_requests} == {oauth_cli.settings.timeout}
    assert outcome.code == 2
    assert "declined" in outcome.err
    assert not account_path(oauth_cli.home).exists()
    assert oauth_ews.state.operations == []


def _resolve(connection: ExchangeConnection) -> object:
    return connection.call(
        lambda: list(connection.protocol.resolve_names(["alice@clinic.example"]))
    )


def test_one_connection_refreshes_a_token_that_runs_out_between_requests(
    oauth_cli: OAuthCli,
    oauth_ews: EwsTestServer,
    authority: TokenTestServer,
    oauth_context: OAuthContext,
    settings: ExchangeSettings,
) -> None:
    authority.state.access_lifetime = 2
    assert oauth_cli.login(oauth_ews, authority).code == 0
    oauth_ews.state.mailbox("alice@clinic.example", "Alice Hart")
    connection = open_connection(
        MailAccess(oauth_cli.home, secrets=_no_keyring, oauth=oauth_context), settings
    )
    try:
        _resolve(connection)
        refreshed = authority.state.grants.count("refresh_token")
        time.sleep(1.2)
        _resolve(connection)  # exchangelib: TokenExpiredError, refresh(), a new session
    finally:
        connection.close()

    assert authority.state.grants.count("refresh_token") == refreshed + 1
    assert oauth_ews.state.operations.count("ResolveNames") == 2
    assert "401" not in oauth_ews.state.operations


def test_a_token_the_server_refuses_is_replaced_once_then_reported(
    oauth_cli: OAuthCli,
    oauth_ews: EwsTestServer,
    authority: TokenTestServer,
    oauth_context: OAuthContext,
    settings: ExchangeSettings,
    sleeps: Sleeps,
) -> None:
    assert oauth_cli.login(oauth_ews, authority).code == 0
    oauth_ews.state.mailbox("alice@clinic.example", "Alice Hart")
    connection = open_connection(
        MailAccess(oauth_cli.home, secrets=_no_keyring, oauth=oauth_context), settings
    )
    try:
        _resolve(connection)
        authority.state.valid_access.clear()  # revoked at the server, still good in the cache
        _resolve(connection)
        assert oauth_ews.state.operations[-2:] == ["401", "ResolveNames"]
        authority.state.valid_access.clear()
        authority.state.valid_refresh.clear()  # and now the sign-in is gone altogether
        asked, refreshed = (
            len(oauth_ews.state.operations),
            authority.state.grants.count("refresh_token"),
        )
        with pytest.raises(NotSetUpError, match="Sign in again"):
            _resolve(connection)
        # Reported at once, counted: one refused request, one refresh refused, no waiting.
        assert oauth_ews.state.operations[asked:] == ["401"]
        assert authority.state.grants.count("refresh_token") == refreshed + 1
        assert sleeps.asked == []
    finally:
        connection.close()


def test_without_an_encrypted_store_the_sign_in_lasts_for_the_session_only(
    trusted_home: Path,
    keyring: InMemoryKeyring,
    settings: ExchangeSettings,
    local_tls: LocalTls,
    oauth_ews: EwsTestServer,
    authority: TokenTestServer,
) -> None:
    def no_store(location: Path) -> EncryptedPersistence:
        return EncryptedPersistence(None, reason="there is no store in this test.")

    context = OAuthContext(persistence=no_store, verify=str(local_tls.ca_file))
    cli = OAuthCli(trusted_home, keyring, settings, context)
    outcome = cli.login(oauth_ews, authority)

    assert outcome.code == 0, outcome.err
    assert "for this session only: there is no store in this test." in outcome.out
    assert cli("exchange", "lookup", "alice@clinic.example").code == 0  # same process: kept
    files = [path for path in trusted_home.rglob("*") if path.is_file()]
    (access,) = authority.state.issued_access
    assert all(access.encode() not in path.read_bytes() for path in files)
    later = OAuthCli(trusted_home, keyring, settings, OAuthContext(persistence=no_store))
    outcome = later("exchange", "lookup", "alice@clinic.example")
    assert outcome.code == 2
    assert "is not signed in with OAuth 2.0 on this computer" in outcome.err


def test_the_real_persistence_here_is_encrypted_or_none(tmp_path: Path) -> None:
    found = encrypted_persistence(tmp_path / "cache.bin")

    if found.persistence is None:  # no libsecret (gi) on this machine: said so, no file
        assert found.reason and not (tmp_path / "cache.bin").exists()
    else:
        assert found.persistence.is_encrypted


def test_signing_in_as_another_account_is_refused_and_forgotten(
    oauth_cli: OAuthCli,
    oauth_ews: EwsTestServer,
    authority: TokenTestServer,
    memory_stores: MemoryStores,
) -> None:
    authority.state.signed_in_as = "someone.else@clinic.example"
    outcome = oauth_cli.login(oauth_ews, authority)

    assert outcome.code == 2
    assert "You signed in as someone.else@clinic.example" in outcome.err
    assert not account_path(oauth_cli.home).exists()
    assert authority.state.issued_refresh[0] not in token_cache_text(memory_stores)


def test_bad_oauth_input_is_refused_before_anyone_is_asked(
    oauth_cli: OAuthCli, oauth_ews: EwsTestServer, authority: TokenTestServer
) -> None:
    no_client = oauth_cli(
        "exchange", "login", "--email", USER, "--server", oauth_ews.url, "--auth", "oauth2"
    )
    plain_http = oauth_cli.login(_PlainUrl(), authority)  # type: ignore[arg-type]
    http_authority = oauth_cli(
        "exchange", "login", "--email", USER, "--autodiscover", "--auth", "oauth2",
        "--client-id", CLIENT_ID, "--tenant", "http://127.0.0.1:9/organizations",
    )  # fmt: skip
    oauth_options = oauth_cli(
        "exchange", "login", "--email", USER, "--server", oauth_ews.url, "--client-id", "x"
    )

    assert no_client.code == 2 and "--client-id" in no_client.err
    assert plain_http.code == 2 and "must start with https://" in plain_http.err
    assert http_authority.code == 2 and "is not a sign-in authority" in http_authority.err
    assert oauth_options.code == 2 and "go with --auth oauth2" in oauth_options.err
    assert authority.state.grants == [] and oauth_ews.state.operations == []


def test_an_authority_that_is_not_there_fails_within_seconds(
    oauth_cli: OAuthCli,
    oauth_ews: EwsTestServer,
    authority: TokenTestServer,
    sleeps: Sleeps,
    sent_requests: list[SentRequest],
) -> None:
    authority.stop()
    outcome = oauth_cli.login(oauth_ews, authority)

    # Within seconds, counted: one request, bounded by the configured timeout, no waiting.
    assert [request.timeout for request in sent_requests] == [oauth_cli.settings.timeout]
    assert sleeps.asked == []
    assert outcome.code == 2
    assert "The sign-in service at 127.0.0.1" in outcome.err
    assert "could not be reached" in outcome.err


class _PlainUrl:
    url = "http://127.0.0.1:9/EWS/Exchange.asmx"


def test_browser_sign_in_posts_the_code_back_to_msal_and_keeps_the_account(
    oauth_cli: OAuthCli,
    oauth_ews: EwsTestServer,
    authority: TokenTestServer,
    local_tls: LocalTls,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import webbrowser

    browser = FormPostBrowser(str(local_tls.ca_file))
    monkeypatch.setattr(webbrowser, "open", browser)
    outcome = oauth_cli.login(oauth_ews, authority, "--browser")

    assert outcome.code == 0, outcome.err
    (opened,) = browser.opened
    assert opened.startswith(authority.authority + "/oauth2/v2.0/authorize?")
    assert "login_hint=me%40clinic.example" in opened
    assert authority.state.grants[-2:] == ["authorize", "authorization_code"]
    assert load_exchange_account(oauth_cli.home).auth is AuthType.OAUTH2
    assert oauth_ews.state.operations == ["ConvertId"]


def test_a_password_sign_in_after_oauth_removes_the_tokens(
    oauth_cli: OAuthCli,
    oauth_ews: EwsTestServer,
    authority: TokenTestServer,
    ews: EwsTestServer,
    memory_stores: MemoryStores,
) -> None:
    assert oauth_cli.login(oauth_ews, authority).code == 0
    assert authority.state.issued_refresh[0] in token_cache_text(memory_stores)

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EXCHANGE_TEST_PASSWORD", PASSWORD)
        outcome = oauth_cli(
            "exchange", "login", "--email", USER, "--server", ews.url, "--auth", "basic",
            "--password-env", "EXCHANGE_TEST_PASSWORD",
        )  # fmt: skip

    assert outcome.code == 0, outcome.err
    assert load_exchange_account(oauth_cli.home).auth is AuthType.BASIC
    left = token_cache_text(memory_stores)
    assert all(secret not in left for secret in authority.state.secrets())


def test_a_valid_cached_token_needs_no_sign_in_service(
    oauth_cli: OAuthCli,
    oauth_ews: EwsTestServer,
    authority: TokenTestServer,
    oauth_context: OAuthContext,
    settings: ExchangeSettings,
) -> None:
    assert oauth_cli.login(oauth_ews, authority).code == 0
    oauth_ews.state.mailbox("alice@clinic.example", "Alice Hart")
    authority.stop()  # Microsoft's sign-in service is briefly unreachable

    connection = open_connection(
        MailAccess(oauth_cli.home, secrets=_no_keyring, oauth=oauth_context), settings
    )
    try:
        _resolve(connection)
    finally:
        connection.close()

    assert oauth_ews.state.operations.count("ResolveNames") == 1


def test_a_failed_sign_in_again_keeps_the_account_that_works(
    oauth_cli: OAuthCli,
    oauth_ews: EwsTestServer,
    authority: TokenTestServer,
    oauth_context: OAuthContext,
    settings: ExchangeSettings,
) -> None:
    assert oauth_cli.login(oauth_ews, authority).code == 0
    oauth_ews.stop()  # the server is down when the user signs in once more

    again = oauth_cli.login(oauth_ews, authority)

    assert again.code == 2
    config = load_exchange_account(oauth_cli.home)
    client = oauth_client(MailAccess(oauth_cli.home, oauth=oauth_context), config, settings)
    assert client.token(config.login_name)  # still signed in, silently


def test_send_and_retry_use_the_session_s_tokens(
    oauth_cli: OAuthCli,
    oauth_ews: EwsTestServer,
    authority: TokenTestServer,
    pki: Pki,
    tmp_path: Path,
) -> None:
    assert oauth_cli.login(oauth_ews, authority).code == 0
    sealed = seal_files(pki, tmp_path / "sealed", tmp_path / "sealer.sqlite3")

    sent = oauth_cli("exchange", "send", *map(str, sealed))

    assert sent.code == 0, sent.err
    assert len(oauth_ews.state.received) == len(sealed)
