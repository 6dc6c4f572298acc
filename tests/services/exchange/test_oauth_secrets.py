"""OAuth tokens and device codes appear nowhere but in the token cache: not in logs,
error texts, tracebacks, output or files, with every logger at DEBUG."""

from __future__ import annotations

import logging
import time
import traceback
from pathlib import Path

import pytest

from desktop_app.services.exchange.account import ExchangeSettings
from desktop_app.services.exchange.session import open_connection
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.oauth.client import OAuthContext
from desktop_app.services.paths import log_folder
from tests.ews_server import EwsTestServer
from tests.ews_server.token_server import TokenTestServer
from tests.services.exchange.oauth_fixtures import OAuthCli
from tests.services.keyrings import InMemoryKeyring
from tests.services.oauth.fixtures import MemoryStores, token_cache_text


def _files(*folders: Path) -> dict[Path, bytes]:
    return {
        path: path.read_bytes()
        for folder in folders
        if folder.exists()
        for path in folder.rglob("*")
        if path.is_file()
    }


def test_no_token_or_device_code_reaches_logs_errors_output_or_files(
    trusted_home: Path,
    keyring: InMemoryKeyring,
    settings: ExchangeSettings,
    oauth_context: OAuthContext,
    oauth_ews: EwsTestServer,
    authority: TokenTestServer,
    memory_stores: MemoryStores,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # the root logger: msal, requests, urllib3, ...
    for name in ("msal", "urllib3", "requests", "msal_extensions"):
        caplog.set_level(logging.DEBUG, logger=name)
    cli = OAuthCli(trusted_home, keyring, settings, oauth_context, verbose=True)
    outputs: list[str] = []

    def run(*args: str) -> None:
        outcome = cli(*args)
        outputs.extend([outcome.out, outcome.err])

    authority.state.approve = "decline"
    outputs += [cli.login(oauth_ews, authority).err]
    authority.state.approve = "approve"
    authority.state.access_lifetime = 2
    outputs += [cli.login(oauth_ews, authority).out]
    oauth_ews.state.mailbox("alice@clinic.example", "Alice Hart")
    run("exchange", "lookup", "alice@clinic.example")
    time.sleep(1.2)
    run("exchange", "lookup", "alice@clinic.example", "--json")
    authority.state.valid_access.clear()  # a 401, a forced refresh
    run("exchange", "lookup", "alice@clinic.example")
    authority.state.valid_access.clear()
    authority.state.valid_refresh.clear()  # the refresh token refused as well
    run("exchange", "lookup", "alice@clinic.example")
    errors: list[BaseException] = list(cli.errors)
    try:
        access = MailAccess(
            trusted_home, secrets=lambda: pytest.fail("no keyring"), oauth=oauth_context
        )
        open_connection(access, settings)
    except Exception as error:  # the error a window would show, with its whole chain
        errors.append(error)
    oauth_ews.stop()
    authority.stop()
    run("exchange", "lookup", "alice@clinic.example")
    errors = list(cli.errors) + errors[len(cli.errors) :]

    state = authority.state
    secrets = state.secrets()
    assert len(state.issued_access) >= 4 and state.device_codes
    assert state.issued_access[-1] in token_cache_text(memory_stores)  # the one place
    log_text = caplog.text
    assert "openid-configuration" in log_text  # the libraries' records were captured
    crash_texts = ["".join(traceback.format_exception(error)) for error in errors]
    crash_texts += [repr(error) for error in errors]
    files = _files(trusted_home, log_folder())
    assert any(path.suffix == ".log" for path in files)
    assert len(errors) >= 3
    for secret in secrets:
        assert secret not in log_text
        for text in outputs + crash_texts:
            assert secret not in text
        for path, data in files.items():
            assert secret.encode() not in data, path
