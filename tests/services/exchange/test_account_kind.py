"""The Exchange account of ``exchange login`` as an account of kind exchange: listed by
``account list``, sending and listing through the Transport and MailboxSource ports."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from desktop_app.cli.account_command import run_accounts
from desktop_app.cli.parser import build_parser
from desktop_app.core.errors import UserFacingError
from desktop_app.services.exchange.account import load_exchange_account
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.secrets import SecretStore
from tests.ews_server import EwsTestServer
from tests.services.exchange.conftest import PASSWORD, USER, Cli, Outcome, Pki
from tests.services.exchange.sealing import seal_files


def _run(cli: Cli, *args: str) -> Outcome:
    arguments = build_parser().parse_args(["--home", str(cli.home), *args])
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            access = MailAccess(cli.home, secrets=lambda: SecretStore(cli.keyring))
            code = run_accounts(arguments, access)
        except UserFacingError as error:
            print(error.message, file=err)
            code = 2
    return Outcome(code, out.getvalue(), err.getvalue())


def test_the_exchange_account_is_listed_and_sends_through_the_port(
    signed_in: Cli, ews: EwsTestServer, pki: Pki, tmp_path: Path
) -> None:
    [listed] = _run(signed_in, "account", "list", "--json").json()["accounts"]
    assert (listed["name"], listed["kind"], listed["email"]) == ("exchange", "exchange", USER)
    files = seal_files(pki, tmp_path / "sealed", tmp_path / "sealer.sqlite3")
    outcome = _run(signed_in, "send", *map(str, files), "--json")
    assert outcome.code == 0, outcome.err
    assert [s["route"] for s in outcome.json()["sent"]] == ["ews", "ews"]
    assert [item.mime for item in ews.state.received] == [f.read_bytes() for f in files]
    # The exchange commands and the new ones share one outbox.
    assert signed_in("exchange", "outbox", "--json").json() == {"messages": []}


def test_the_exchange_inbox_lists_through_the_port(signed_in: Cli, ews: EwsTestServer) -> None:
    outcome = _run(signed_in, "inbox", "--json", "--limit", "5")
    assert outcome.code == 0, outcome.err
    assert outcome.json()["account"] == "exchange"


def test_account_add_kind_exchange_signs_in_as_exchange_login_does(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with EwsTestServer(owner=USER, username=USER, password=PASSWORD, auth="ntlm") as server:
        monkeypatch.setenv("NTLM_USER_FILE", str(server.ntlm_user_file(tmp_path)))
        monkeypatch.setenv("EXCHANGE_TEST_PASSWORD", PASSWORD)
        outcome = _run(
            cli, "account", "add", "--kind", "exchange", "--email", USER,
            "--ews-url", server.url, "--password-env", "EXCHANGE_TEST_PASSWORD",
        )  # fmt: skip
        assert outcome.code == 0, outcome.err
        assert load_exchange_account(cli.home).auth.value == "ntlm"
        [listed] = _run(cli, "account", "list", "--json").json()["accounts"]
        assert (listed["name"], listed["kind"]) == ("exchange", "exchange")
        assert _run(cli, "account", "test", "exchange").code == 0
        assert PASSWORD not in cli.home.joinpath("exchange", "account.json").read_text()
