"""Fixtures for Exchange over OAuth 2.0: an HTTPS EWS server taking the test authority's
tokens (tests/services/oauth/fixtures.py), and ``smime-guard exchange`` run with them."""

from __future__ import annotations

import argparse
import contextlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop_app.cli.exchange_command import add_exchange_commands, run_exchange
from desktop_app.cli.output import report_error
from desktop_app.core.errors import UserFacingError
from desktop_app.services.exchange.account import ExchangeSettings
from desktop_app.services.logging_setup import configure_logging
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.oauth.client import OAuthContext
from desktop_app.services.paths import log_folder
from desktop_app.services.secrets import SecretStore
from tests.ews_server import EwsTestServer
from tests.ews_server.tls import LocalTls
from tests.ews_server.token_server import TokenTestServer
from tests.services.exchange.conftest import USER, Outcome
from tests.services.keyrings import InMemoryKeyring
from tests.services.oauth.fixtures import CLIENT_ID


@pytest.fixture
def oauth_ews(local_tls: LocalTls, authority: TokenTestServer) -> Iterator[EwsTestServer]:
    with EwsTestServer(owner=USER, tls=local_tls, tokens=authority.state) as server:
        yield server


class OAuthCli:
    """``smime-guard exchange ...`` with a test keyring and an OAuth context."""

    def __init__(
        self,
        home: Path,
        keyring: InMemoryKeyring,
        settings: ExchangeSettings,
        oauth: OAuthContext,
        *,
        verbose: bool = False,
    ) -> None:
        self.home = home
        self.keyring = keyring
        self.settings = settings
        self.oauth = oauth
        self.verbose = verbose
        parser = argparse.ArgumentParser(prog="smime-guard")
        add_exchange_commands(parser.add_subparsers(dest="command", required=True))
        self._parser = parser
        self.errors: list[BaseException] = []

    def __call__(self, *args: str) -> Outcome:
        arguments = self._parser.parse_args(list(args))
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            configure_logging(log_folder(), verbose=self.verbose)
            try:
                access = MailAccess(
                    self.home,
                    secrets=lambda: SecretStore(self.keyring),
                    exchange_settings=self.settings,
                    oauth=self.oauth,
                )
                code = run_exchange(arguments, access, stdin=io.StringIO())
            except UserFacingError as error:
                self.errors.append(error)
                report_error(error.message)
                code = 2
        return Outcome(code, out.getvalue(), err.getvalue())

    def login(self, server: EwsTestServer, authority: TokenTestServer, *extra: str) -> Outcome:
        return self(
            "exchange", "login", "--email", USER, "--server", server.url, "--auth", "oauth2",
            "--client-id", CLIENT_ID, "--tenant", authority.authority, *extra,
        )  # fmt: skip


@pytest.fixture
def oauth_cli(
    trusted_home: Path,
    keyring: InMemoryKeyring,
    settings: ExchangeSettings,
    oauth_context: OAuthContext,
) -> OAuthCli:
    return OAuthCli(trusted_home, keyring, settings, oauth_context)


__all__: list[Any] = []
