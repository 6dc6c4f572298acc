"""check and seal ask the directory when an account is set up: lists, X.500, --offline."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest

from desktop_app.cli.check_command import run_check
from desktop_app.cli.parser import build_parser
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.secrets import SecretStore
from tests.ews_server import EwsTestServer
from tests.services.exchange.conftest import AT, LEGACY_ROOT, USER, Cli, Pki
from tests.services.exchange.test_lookup import imceaex


@pytest.fixture
def directory(ews: EwsTestServer, pki: Pki) -> EwsTestServer:
    state = ews.state
    state.mailbox(USER, "Me", smime=[pki.me.der])
    state.mailbox(
        "alice@clinic.example", "Alice", smime=[pki.alice.der], legacy_dn=f"{LEGACY_ROOT}/cn=alice"
    )
    state.mailbox("bob@clinic.example", "Bob", smime=[pki.bob.der])
    state.mailbox("nocert@clinic.example", "No Cert")
    state.distribution_list(
        "covered@clinic.example", ["alice@clinic.example", "bob@clinic.example"]
    )
    state.distribution_list(
        "mixed@clinic.example", ["alice@clinic.example", "nocert@clinic.example"]
    )
    return ews


def check(cli: Cli, *arguments: str) -> tuple[int, dict[str, Any]]:
    parsed = build_parser().parse_args(["check", "--json", "--at", AT, *arguments])
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = run_check(parsed, MailAccess(cli.home, secrets=lambda: SecretStore(cli.keyring)))
    return code, json.loads(out.getvalue())


def test_directory_certificates_make_recipients_covered(
    signed_in: Cli, directory: EwsTestServer
) -> None:
    code, result = check(
        signed_in, "--from", USER, "--to", "alice@clinic.example, bob@clinic.example"
    )
    assert code == 0, result
    assert [r["status"] for r in result["recipients"]] == ["ok", "ok"]


def test_a_list_with_one_uncovered_member_keeps_the_message_not_encrypted(
    signed_in: Cli, directory: EwsTestServer
) -> None:
    code, result = check(signed_in, "--to", "mixed@clinic.example")
    assert code == 3
    (listed,) = result["recipients"]
    assert listed["status"] == "no_certificate"
    assert "nocert@clinic.example" in listed["reason"] and "alice" not in listed["reason"]
    code, covered = check(signed_in, "--to", "covered@clinic.example")
    assert (code, covered["overall"]) == (0, "encrypted")


def test_an_x500_recipient_is_resolved_before_matching(
    signed_in: Cli, directory: EwsTestServer
) -> None:
    x500 = imceaex(f"{LEGACY_ROOT}/cn=alice", "clinic.example")
    code, result = check(signed_in, "--to", x500)
    assert code == 0, result
    assert result["recipients"][0]["address"] == "alice@clinic.example"


def test_offline_uses_only_what_the_store_holds(signed_in: Cli, directory: EwsTestServer) -> None:
    code, _ = check(signed_in, "--offline", "--to", "alice@clinic.example")
    assert code == 3, "nothing cached yet: offline cannot know Alice's certificate"
    assert check(signed_in, "--to", "alice@clinic.example")[0] == 0  # fetched and cached
    directory.state.faults.add("http500", times=100)  # the server breaks; offline still works
    assert check(signed_in, "--offline", "--to", "alice@clinic.example")[0] == 0


def test_an_unreachable_directory_is_a_clear_error_not_a_verdict(
    signed_in: Cli, tmp_path: Path
) -> None:
    parsed = build_parser().parse_args(["check", "--to", "alice@clinic.example"])
    signed_in.keyring.entries.clear()
    with pytest.raises(Exception, match=r"password|sign in|keyring"):
        run_check(
            parsed, MailAccess(signed_in.home, secrets=lambda: SecretStore(signed_in.keyring))
        )
