"""Fixtures for OAuth 2.0: a local HTTPS authority, an HTTPS EWS server taking its tokens.

msal runs for real against ``TokenTestServer`` (tests/ews_server/token_server.py) over
HTTPS with a throwaway CA: msal is given the CA file with ``verify=``, exchangelib finds
it through REQUESTS_CA_BUNDLE. Only the token cache's persistence is a stand-in: an
in-memory one that says it is encrypted, as DPAPI, Keychain and libsecret are.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from msal_extensions.persistence import BasePersistence, PersistenceNotFound

from desktop_app.cli.exchange_command import add_exchange_commands, run_exchange
from desktop_app.cli.output import report_error
from desktop_app.core.errors import UserFacingError
from desktop_app.services.exchange.account import ExchangeSettings
from desktop_app.services.logging_setup import configure_logging
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.oauth.client import OAuthContext
from desktop_app.services.paths import log_folder
from desktop_app.services.secrets import EncryptedPersistence, SecretStore
from tests.ews_server import EwsTestServer
from tests.ews_server.tls import LocalTls, make_local_tls
from tests.ews_server.token_server import TokenTestServer
from tests.services.exchange.conftest import USER, Outcome
from tests.services.keyrings import InMemoryKeyring

CLIENT_ID = "3c9a5f0e-0000-4000-8000-00000000ab1e"


class MemoryPersistence(BasePersistence):  # type: ignore[misc]
    """msal-extensions' persistence interface over a string in memory."""

    is_encrypted = True

    def __init__(self, location: Path) -> None:
        self._location = str(location)
        self.content: str | None = None
        self._modified: float | None = None

    def save(self, content: str) -> None:
        self.content = content
        self._modified = time.time()

    def load(self) -> str:
        if self.content is None:
            raise PersistenceNotFound(location=self._location)
        return self.content

    def time_last_modified(self) -> float:
        if self._modified is None:
            raise PersistenceNotFound(location=self._location)
        return self._modified

    def get_location(self) -> str:
        return self._location


class MemoryStores:
    """One MemoryPersistence per cache file, as the OS store keeps one entry per name."""

    def __init__(self) -> None:
        self.stores: dict[Path, MemoryPersistence] = {}

    def __call__(self, location: Path) -> EncryptedPersistence:
        store = self.stores.setdefault(location, MemoryPersistence(location))
        return EncryptedPersistence(store, where="the test store")


@pytest.fixture(scope="session")
def local_tls(tmp_path_factory: pytest.TempPathFactory) -> LocalTls:
    return make_local_tls(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def authority(local_tls: LocalTls, monkeypatch: pytest.MonkeyPatch) -> Iterator[TokenTestServer]:
    # exchangelib has no verify= of its own; requests reads the CA bundle from here.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(local_tls.ca_file))
    with TokenTestServer(local_tls, USER, CLIENT_ID) as server:
        yield server


@pytest.fixture
def oauth_ews(local_tls: LocalTls, authority: TokenTestServer) -> Iterator[EwsTestServer]:
    with EwsTestServer(owner=USER, tls=local_tls, tokens=authority.state) as server:
        yield server


@pytest.fixture
def memory_stores() -> MemoryStores:
    return MemoryStores()


@pytest.fixture
def oauth_context(local_tls: LocalTls, memory_stores: MemoryStores) -> OAuthContext:
    return OAuthContext(persistence=memory_stores, verify=str(local_tls.ca_file))


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


def token_cache_text(stores: MemoryStores) -> str:
    return "".join(store.content or "" for store in stores.stores.values())


__all__: list[Any] = []
