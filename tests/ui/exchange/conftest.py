"""Fixtures for the Exchange parts of the windows: a signed-in home over the EWS test server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.services.audit import AuditLog
from desktop_app.services.certificates.compose_evidence import ComposeEvidence
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.exchange.account import AccountConfig, AuthType, ExchangeSettings
from desktop_app.services.exchange.compose_directory import ExchangeDirectory, exchange_directory
from desktop_app.services.exchange.session import sign_in
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.paths import store_path
from desktop_app.services.secrets import SecretStore
from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.compose.session import ComposeContext
from desktop_app.ui.theme import Theme
from tests.ews_server import EwsTestServer
from tests.factories.certs import NOW
from tests.services.exchange.conftest import (  # noqa: F401 (fixtures)
    PASSWORD,
    USER,
    Pki,
    authority,
    ews,
    keyring,
    local_tls,
    memory_stores,
    oauth_context,
    oauth_ews,
    pki,
    settings,
    trusted_home,
)
from tests.services.keyrings import InMemoryKeyring
from tests.ui.conftest import CLINIC_POLICY, RecordingOutbox

ME_ADDRESS = USER


@pytest.fixture
def directory(ews: EwsTestServer, pki: Pki) -> EwsTestServer:  # noqa: F811 (fixture)
    """The test server's directory: people with and without certificates, and two lists."""
    state = ews.state
    state.mailbox(USER, "Me", smime=[pki.me.der])
    state.mailbox("alice@clinic.example", "Alice Hart", smime=[pki.alice.der])
    state.mailbox("bob@clinic.example", "Bob Lee", exchange=[pki.bob.der])
    state.mailbox("nocert@clinic.example", "Nora Cert")
    state.distribution_list(
        "covered@clinic.example", ["alice@clinic.example", "bob@clinic.example"], "Covered Team"
    )
    state.distribution_list(
        "mixed@clinic.example", ["alice@clinic.example", "nocert@clinic.example"], "Ward 3"
    )
    return ews


@pytest.fixture
def signed_in_home(
    trusted_home: Path,  # noqa: F811 (fixture)
    directory: EwsTestServer,
    keyring: InMemoryKeyring,  # noqa: F811 (fixture)
    settings: ExchangeSettings,  # noqa: F811 (fixture)
) -> Path:
    config = AccountConfig(email=USER, ews_url=directory.url, auth=AuthType.BASIC)
    sign_in(MailAccess(trusted_home), config, PASSWORD, SecretStore(keyring), settings)
    return trusted_home


@pytest.fixture
def exchange_lookup(
    signed_in_home: Path,
    keyring: InMemoryKeyring,  # noqa: F811 (fixture)
    settings: ExchangeSettings,  # noqa: F811 (fixture)
) -> Iterator[ComposeEvidence]:
    """The compose windows' lookup as ``desktop_app.app`` builds it when an account is set up."""

    def make(store: CertStore) -> ExchangeDirectory:
        access = MailAccess(signed_in_home, clock=lambda: NOW, secrets=lambda: SecretStore(keyring))
        return exchange_directory(access, store, settings)

    lazy = ComposeEvidence(store_path(signed_in_home), None, lambda: NOW, exchange=make)
    yield lazy
    lazy.close()


@pytest.fixture
def exchange_context(
    runner: BackgroundRunner, exchange_lookup: ComposeEvidence, theme: Theme, tmp_path: Path
) -> ComposeContext:
    from desktop_app.core.recipients.addresses import parse_mailbox

    return ComposeContext(
        runner=runner,
        lookup=exchange_lookup,
        policy=CLINIC_POLICY,
        identities=(parse_mailbox(f"Me <{ME_ADDRESS}>"),),
        outbox=RecordingOutbox(),
        audit=AuditLog(tmp_path / "audit.jsonl"),
        clock=lambda: NOW,
        theme=theme,
        send_warnings=exchange_lookup.send_warnings,
    )
