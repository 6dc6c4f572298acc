"""A real slapd with the seeded directory, shared by the LDAP tests of this folder."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ldap_server.directory import Seeded, seeded_directory
from tests.ldap_server.server import Slapd, slapd_available, start_slapd
from tests.prerequisites import require

REFERRAL = "ldap://127.0.0.1:9/ou=elsewhere,dc=example,dc=org"


@pytest.fixture(scope="session")
def seeded() -> Seeded:
    return seeded_directory(referral_to=REFERRAL)


@pytest.fixture(scope="session")
def slapd(seeded: Seeded, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Slapd]:
    require(slapd_available(), "slapd is not installed (Debian packages slapd and ldap-utils)")
    server = start_slapd(tmp_path_factory.mktemp("slapd"), seeded.ldif)
    yield server
    server.stop()


@pytest.fixture
def slapd_folder(tmp_path: Path) -> Path:
    return tmp_path / "slapd"
