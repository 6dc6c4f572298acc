"""The LDAP bind password through the real Secret Service (run inside .ci/secret-service.sh):
``directory add`` keeps it only there, ``check`` reads it back, ``remove`` deletes it."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from desktop_app.cli import main
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.paths import store_path
from desktop_app.services.secrets import system_secret_store
from tests.factories.certs import NOW
from tests.ldap_server.directory import Seeded
from tests.ldap_server.server import READER_DN, READER_PASSWORD, SUFFIX, Slapd
from tests.prerequisites import require_real_keyring


def test_bind_password_round_trip_through_the_system_keyring(
    home: Path, slapd: Slapd, seeded: Seeded, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    require_real_keyring()
    with CertStore.open(store_path(home)) as store:
        store.add_trust_anchor(seeded.ca.cert, NOW)
    name = f"corp-{uuid.uuid4().hex[:8]}"  # the keyring is shared by the test session
    monkeypatch.setenv("LDAP_PW", READER_PASSWORD)
    base = ["--home", str(home)]
    added = ["directory", "add", "ldap", "--url", slapd.url, "--base-dn", SUFFIX]
    assert (
        main([*base, *added, "--bind-dn", READER_DN, "--password-env", "LDAP_PW", "--name", name])
        == 0
    )
    assert system_secret_store().get(f"directory:{name}") == READER_PASSWORD
    assert READER_PASSWORD not in "".join(
        p.read_text(errors="replace") for p in home.rglob("*.json")
    )
    monkeypatch.delenv("LDAP_PW")
    capsys.readouterr()
    code = main([*base, "check", "--json", "--at", NOW.isoformat(), "--to", "alice@example.org"])
    assert code == 0
    row = json.loads(capsys.readouterr().out)["recipients"][0]
    assert row["certificate_source"] == f"ldap:{name}"
    assert main([*base, "directory", "remove", name]) == 0
    assert system_secret_store().get(f"directory:{name}") is None
