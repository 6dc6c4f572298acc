"""Fixtures for the Exchange adapter: a running EWS test server, a PKI, a home, a CLI runner."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from desktop_app.cli.exchange_command import add_exchange_commands, run_exchange
from desktop_app.cli.output import report_error
from desktop_app.core.errors import UserFacingError
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.exchange.account import ExchangeSettings
from desktop_app.services.logging_setup import configure_logging
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.paths import log_folder, store_path
from desktop_app.services.secrets import SecretStore
from tests.ews_server import EwsTestServer
from tests.factories.certs import NOW, Issued, TestCA
from tests.services.keyrings import InMemoryKeyring
from tests.services.oauth.fixtures import USER

PASSWORD = "correct horse battery staple"
AT = NOW.isoformat()
LEGACY_ROOT = "/o=Clinic/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients"


@dataclass(frozen=True)
class Pki:
    root: TestCA
    alice: Issued  # published as DER in userSMIMECertificate
    bob: Issued  # published as a PKCS#7 bundle (with its CA) in userCertificate
    carol: Issued
    expired: Issued
    me: Issued


@pytest.fixture(scope="session")
def pki() -> Pki:
    root = TestCA("Exchange Test Root")
    return Pki(
        root=root,
        alice=root.issue(["alice@clinic.example"]),
        bob=root.issue(["bob@clinic.example"]),
        carol=root.issue(["carol@clinic.example"]),
        expired=root.issue(["dave@clinic.example"], not_after=NOW - dt.timedelta(days=3)),
        me=root.issue([USER]),
    )


@pytest.fixture
def ews() -> Iterator[EwsTestServer]:
    with EwsTestServer(owner=USER, username=USER, password=PASSWORD) as server:
        yield server


@pytest.fixture
def trusted_home(home: Path, pki: Pki) -> Path:
    """A home whose store trusts the test root."""
    with CertStore.open(store_path(home)) as store:
        store.add_trust_anchor(pki.root.cert, NOW)
    return home


@pytest.fixture
def keyring() -> InMemoryKeyring:
    return InMemoryKeyring()


@pytest.fixture
def settings() -> ExchangeSettings:
    return ExchangeSettings(timeout=1.5, workers=8, member_cap=50, send_timeout=1.5)


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


class Cli:
    """Runs ``smime-guard exchange ...`` as ``main`` does, with a test keyring and settings."""

    def __init__(self, home: Path, keyring: InMemoryKeyring, settings: ExchangeSettings) -> None:
        self.home = home
        self.keyring = keyring
        self.settings = settings
        parser = argparse.ArgumentParser(prog="smime-guard")
        add_exchange_commands(parser.add_subparsers(dest="command", required=True))
        self._parser = parser

    def __call__(self, *args: str) -> Outcome:
        arguments = self._parser.parse_args(list(args))
        configure_logging(log_folder(), verbose=False)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                access = MailAccess(
                    self.home,
                    secrets=lambda: SecretStore(self.keyring),
                    exchange_settings=self.settings,
                )
                code = run_exchange(arguments, access, stdin=io.StringIO())
            except UserFacingError as error:
                report_error(error.message)
                code = 2
        return Outcome(code, out.getvalue(), err.getvalue())

    def login(self, server: EwsTestServer, password: str = PASSWORD) -> Outcome:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("EXCHANGE_TEST_PASSWORD", password)
            return self(
                "exchange",
                "login",
                "--email",
                USER,
                "--server",
                server.url,
                "--auth",
                "basic",
                "--password-env",
                "EXCHANGE_TEST_PASSWORD",
            )


@pytest.fixture
def cli(trusted_home: Path, keyring: InMemoryKeyring, settings: ExchangeSettings) -> Cli:
    return Cli(trusted_home, keyring, settings)


@pytest.fixture
def signed_in(cli: Cli, ews: EwsTestServer) -> Cli:
    outcome = cli.login(ews)
    assert outcome.code == 0, outcome.err
    return cli


# OAuth 2.0: a local HTTPS authority and an EWS server taking its tokens. Imported last:
# the EWS module uses this one's USER and Outcome.
from tests.services.exchange.oauth_fixtures import oauth_cli, oauth_ews  # noqa: E402, F401
from tests.services.oauth.fixtures import (  # noqa: E402, F401 (fixtures)
    authority,
    local_tls,
    memory_stores,
    oauth_context,
)
