"""The window's outbox retry and mailbox reach an m365 account when there is no Exchange one."""

from __future__ import annotations

from pathlib import Path

from desktop_app.app.accounts import account_source, mail_account
from desktop_app.app.sending import retry_outbox
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.secrets import SecretStore
from tests.factories.certs import NOW
from tests.graph_server import GraphTestServer
from tests.graph_server.state import Fault, StoredMessage
from tests.services.exchange.conftest import Pki
from tests.services.exchange.sealing import seal_files
from tests.services.graph.conftest import ACCOUNT, M365Cli
from tests.services.graph.messages import plain_mail


def _access(cli: M365Cli) -> MailAccess:
    return MailAccess(
        cli.home, clock=lambda: NOW, secrets=lambda: SecretStore(cli.keyring), oauth=cli.oauth
    )


def test_the_window_retry_sends_what_waits_in_the_account_outbox(
    signed_in: M365Cli, graph: GraphTestServer, pki: Pki, tmp_path: Path
) -> None:
    [message, *_] = seal_files(pki, tmp_path / "sealed", tmp_path / "sealer.sqlite3")
    graph.state.faults += [Fault("503", "/me/sendMail")] * 4
    assert signed_in("send", str(message)).code == 1
    assert retry_outbox(_access(signed_in)) is not None
    assert [m.mime for m in graph.state.sent] == [message.read_bytes()]
    assert retry_outbox(_access(signed_in)) is None  # nothing waits


def test_the_window_lists_the_account_inbox(signed_in: M365Cli, graph: GraphTestServer) -> None:
    graph.state.inbox.append(StoredMessage("m1", plain_mail("a@clinic.example", "Hello"), NOW))
    account = mail_account(signed_in.home)
    assert account is not None and account.name == ACCOUNT
    source = account_source(_access(signed_in), account, lambda: None)
    try:
        [listed] = source.list_messages()
        assert listed.subject == "Hello" and ACCOUNT in source.name
        assert source.fetch("m1").body_text == "Hello.\n"
    finally:
        source.close()
