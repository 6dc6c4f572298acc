"""The OAuth token cache in the real system store (libsecret), where one is to be had.

Runs inside .ci/secret-service.sh (a real Secret Service) when PyGObject with the
Secret typelib is importable; elsewhere the cache falls back to memory, which
test_oauth_login covers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.services.exchange.account import ExchangeSettings
from desktop_app.services.oauth.client import OAuthContext
from desktop_app.services.secrets import encrypted_persistence
from tests.ews_server import EwsTestServer
from tests.ews_server.tls import LocalTls
from tests.ews_server.token_server import TokenTestServer
from tests.prerequisites import require, require_real_keyring
from tests.services.exchange.oauth_fixtures import OAuthCli
from tests.services.keyrings import InMemoryKeyring


def _libsecret_bindings() -> bool:
    try:
        import gi

        gi.require_version("Secret", "1")
    except (ImportError, ValueError):
        return False
    return True


@pytest.fixture(autouse=True)
def _libsecret_and_a_secret_service() -> None:
    require_real_keyring()
    require(
        _libsecret_bindings(),
        "needs PyGObject with the Secret-1 typelib (pip PyGObject, Debian gir1.2-secret-1)",
    )


def test_a_sign_in_survives_the_process_in_the_keyring_and_never_in_a_file(
    trusted_home: Path,
    keyring: InMemoryKeyring,
    settings: ExchangeSettings,
    local_tls: LocalTls,
    oauth_ews: EwsTestServer,
    authority: TokenTestServer,
) -> None:
    assert encrypted_persistence(trusted_home / "probe.bin").persistence is not None
    first = OAuthCli(trusted_home, keyring, settings, OAuthContext(verify=str(local_tls.ca_file)))
    login = first.login(oauth_ews, authority)
    assert login.code == 0, login.err
    assert "kept encrypted in the system keyring (libsecret)" in login.out

    later = OAuthCli(trusted_home, keyring, settings, OAuthContext(verify=str(local_tls.ca_file)))
    lookup = later("exchange", "lookup", "alice@clinic.example")

    assert lookup.code == 0, lookup.err
    files = [path for path in trusted_home.rglob("*") if path.is_file()]
    for secret in authority.state.secrets():
        assert all(secret.encode() not in path.read_bytes() for path in files)
