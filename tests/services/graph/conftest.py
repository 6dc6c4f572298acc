"""Fixtures for the m365 kind: the test authority, a Graph test server and an SMTP server
that take its tokens, a home, and ``smime-guard`` run in-process."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.cli.account_command import run_accounts
from desktop_app.cli.output import report_error
from desktop_app.cli.parser import build_parser
from desktop_app.core.errors import UserFacingError
from desktop_app.services.logging_setup import configure_logging
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.oauth.client import OAuthContext
from desktop_app.services.paths import log_folder
from desktop_app.services.secrets import SecretStore
from tests.ews_server.tls import LocalTls
from tests.ews_server.token_server import TokenTestServer
from tests.factories.certs import NOW
from tests.graph_server import GraphState, GraphTestServer
from tests.mail_servers.smtp_server import SmtpState, SmtpTestServer
from tests.services.exchange.conftest import Outcome, keyring, pki, trusted_home  # noqa: F401
from tests.services.keyrings import InMemoryKeyring
from tests.services.oauth.fixtures import (  # noqa: F401
    CLIENT_ID,
    USER,
    MemoryStores,
    authority,
    local_tls,
    memory_stores,
    oauth_context,
)

ACCOUNT = "work"


def _scoped(server: TokenTestServer, resource: str):  # type: ignore[no-untyped-def]
    state = server.state

    def accept(token: str) -> bool:
        with state.lock:
            return token in state.valid_access and resource in state.access_scopes.get(token, "")

    return accept


@pytest.fixture
def graph(local_tls: LocalTls, authority: TokenTestServer) -> Iterator[GraphTestServer]:  # noqa: F811
    state = GraphState(USER, accept_token=_scoped(authority, "graph.microsoft.com"))
    with GraphTestServer(local_tls, state) as server:
        yield server


@pytest.fixture
def smtp(local_tls: LocalTls, authority: TokenTestServer) -> Iterator[SmtpTestServer]:  # noqa: F811
    state = SmtpState(tokens=_scoped(authority, "outlook.office.com/SMTP.Send"))
    with SmtpTestServer(local_tls.server_context(), state) as server:
        yield server


class M365Cli:
    """``smime-guard ...`` as ``main`` runs it, with a test keyring, token cache and clock."""

    def __init__(self, home: Path, secrets: InMemoryKeyring, oauth: OAuthContext) -> None:
        self.home = home
        self.keyring = secrets
        self.oauth = oauth
        self.now = NOW
        self.waits: list[float] = []
        self.outputs: list[str] = []
        self.timeouts = (2.0, 2.0)

    def __call__(self, *args: str) -> Outcome:
        arguments = build_parser().parse_args(["--home", str(self.home), *args])
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            configure_logging(log_folder(), verbose=True)
            try:
                access = MailAccess(
                    self.home,
                    clock=lambda: self.now,
                    secrets=lambda: SecretStore(self.keyring),
                    oauth=self.oauth,
                )
                code = run_accounts(
                    arguments, access, sleep=self.waits.append, timeouts=self.timeouts
                )
            except UserFacingError as error:
                report_error(error.message)
                code = 2
        self.outputs += [out.getvalue(), err.getvalue()]
        return Outcome(code, out.getvalue(), err.getvalue())

    def add(
        self,
        authority_server: TokenTestServer,
        graph_server: GraphTestServer,
        smtp_server: SmtpTestServer,
        ca: Path,
    ) -> Outcome:
        return self(
            "account", "add", "--kind", "m365", "--name", ACCOUNT, "--email", USER,
            "--authority", authority_server.authority, "--client-id", CLIENT_ID,
            "--graph-url", graph_server.url, "--smtp", smtp_server.address, "--ca-file", str(ca),
        )  # fmt: skip

    def later(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def m365_cli(
    trusted_home: Path,  # noqa: F811
    keyring: InMemoryKeyring,  # noqa: F811
    oauth_context: OAuthContext,  # noqa: F811
) -> M365Cli:
    return M365Cli(trusted_home, keyring, oauth_context)


@pytest.fixture
def signed_in(
    m365_cli: M365Cli,
    authority: TokenTestServer,  # noqa: F811
    graph: GraphTestServer,
    smtp: SmtpTestServer,
    local_tls: LocalTls,  # noqa: F811
) -> M365Cli:
    outcome = m365_cli.add(authority, graph, smtp, local_tls.ca_file)
    assert outcome.code == 0, outcome.err
    return m365_cli


def files_under(folder: Path) -> Iterator[Path]:
    for root, _, names in os.walk(folder):
        for name in names:
            yield Path(root) / name
