"""Fixtures for OAuth 2.0, whatever the account kind: a local HTTPS authority, the client ID
it knows, and an in-memory token cache.

msal runs for real against ``TokenTestServer`` (tests/ews_server/token_server.py) over
HTTPS with a throwaway CA: msal is given the CA file with ``verify=``, exchangelib and
requests find it through REQUESTS_CA_BUNDLE. Only the token cache's persistence is a
stand-in: an in-memory one that says it is encrypted, as DPAPI, Keychain and libsecret
are.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from msal_extensions.persistence import BasePersistence, PersistenceNotFound

from desktop_app.services.oauth.client import OAuthContext
from desktop_app.services.secrets import EncryptedPersistence
from tests.ews_server.tls import LocalTls, make_local_tls
from tests.ews_server.token_server import TokenTestServer

CLIENT_ID = "3c9a5f0e-0000-4000-8000-00000000ab1e"
# The one user the authority signs in: the owner of every test mailbox.
USER = "me@clinic.example"


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


def token_cache_text(stores: MemoryStores) -> str:
    return "".join(store.content or "" for store in stores.stores.values())


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
def memory_stores() -> MemoryStores:
    return MemoryStores()


@pytest.fixture
def oauth_context(local_tls: LocalTls, memory_stores: MemoryStores) -> OAuthContext:
    return OAuthContext(persistence=memory_stores, verify=str(local_tls.ca_file))
