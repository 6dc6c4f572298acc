"""The account kinds under the contract tests, each from its own ``<kind>_harness`` fixture."""

from __future__ import annotations

import pytest

from tests.accounts_contract.harness import KindHarness
from tests.accounts_contract.imap_harness import imap_dovecot, imap_harness  # noqa: F401
from tests.accounts_contract.m365_harness import m365_harness  # noqa: F401 (fixture)
from tests.services.graph.conftest import (  # noqa: F401 (fixtures)
    authority,
    graph,
    keyring,
    local_tls,
    m365_cli,
    memory_stores,
    oauth_context,
    pki,
    signed_in,
    smtp,
    trusted_home,
)

KINDS = ["m365", "imap"]


@pytest.fixture(params=KINDS)
def harness(request: pytest.FixtureRequest) -> KindHarness:
    found: KindHarness = request.getfixturevalue(f"{request.param}_harness")
    return found
