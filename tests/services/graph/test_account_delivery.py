"""The compose window's Send through an m365 account: every copy queued, sent by the route
that fits, and a status line that promises a Sent copy only where one is kept."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from desktop_app.app.accounts import account_delivery, mail_account
from desktop_app.core.recipients.addresses import parse_address_list, parse_mailbox
from desktop_app.core.recipients.send_gate import SendPlan, envelopes
from desktop_app.core.recipients.status import Draft
from desktop_app.services.accounts.delivery import sent_notice
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.outbox.submission import MessageContent
from desktop_app.services.secrets import SecretStore
from desktop_app.services.transport.port import SendResult, SentCopy
from tests.factories.certs import NOW
from tests.graph_server import GraphTestServer
from tests.graph_server.state import Fault
from tests.mail_servers.smtp_server import SmtpTestServer
from tests.services.exchange.conftest import Pki
from tests.services.exchange.sealing import seal_files
from tests.services.graph.conftest import M365Cli
from tests.services.graph.messages import sealed_with_attachment

DRAFT = Draft(
    to=parse_address_list("alice@clinic.example"),
    bcc=parse_address_list("carol@clinic.example"),
    sender=parse_mailbox("me@clinic.example"),
)
PLAN = SendPlan(DRAFT, encrypted=True, choice=None, envelopes=envelopes(DRAFT))
MESSAGE = MessageContent(subject="Lab results", body="Private.\n")


class _Writer:
    """Hands the outbox copies sealed beforehand, as the store sealer would."""

    def __init__(self, copies: Sequence[bytes]) -> None:
        self.copies = copies
        self.unencrypted = self

    def __call__(self, message: MessageContent, plan: SendPlan) -> Sequence[bytes]:
        return self.copies


def _submit(cli: M365Cli, copies: Sequence[bytes]) -> str:
    account = mail_account(cli.home)
    assert account is not None
    access = MailAccess(
        cli.home, clock=lambda: NOW, secrets=lambda: SecretStore(cli.keyring), oauth=cli.oauth
    )
    outbox = account_delivery(access, account, _Writer(copies))  # type: ignore[arg-type]
    return outbox.submit(MESSAGE, PLAN).notice


def test_send_from_the_window_goes_by_graph_with_a_sent_items_copy(
    signed_in: M365Cli, graph: GraphTestServer, pki: Pki, tmp_path: Path
) -> None:
    copies = [p.read_bytes() for p in seal_files(pki, tmp_path / "s", tmp_path / "s.sqlite3")]
    notice = _submit(signed_in, copies)
    assert [m.mime for m in graph.state.sent] == copies
    assert notice == "Sent by Microsoft 365; a copy is in Sent Items."


def test_a_large_message_from_the_window_says_its_sent_copy_is_not_confirmed(
    signed_in: M365Cli, smtp: SmtpTestServer, pki: Pki
) -> None:
    signed_in.timeouts = (5.0, 30.0)
    big = sealed_with_attachment(pki.alice, "alice@clinic.example", 4 * 1024 * 1024, 9)
    notice = _submit(signed_in, [big])
    assert len(smtp.state.delivered) == 1
    assert notice.startswith("Sent by SMTP submission;") and "Sent Items" in notice
    assert "a copy is in Sent Items" not in notice


def test_the_least_certain_copy_speaks_for_the_message() -> None:
    saved = SendResult("graph", SentCopy.SAVED_BY_SERVER, "Sent Items")
    unconfirmed = SendResult("smtp", SentCopy.NOT_CONFIRMED, "not confirmed")
    assert "not confirmed" in sent_notice([saved, unconfirmed])
    assert sent_notice([saved]).endswith("a copy is in Sent Items.")


def test_the_retry_line_names_the_route(
    signed_in: M365Cli, graph: GraphTestServer, pki: Pki, tmp_path: Path
) -> None:
    from desktop_app.app.sending import retry_outbox
    from desktop_app.services.accounts.delivery import sent_count_notice

    [message, *_] = seal_files(pki, tmp_path / "s", tmp_path / "s.sqlite3")
    graph.state.faults += [Fault("503", "/me/sendMail")] * 4
    assert signed_in("send", str(message)).code == 1
    access = MailAccess(
        signed_in.home,
        clock=lambda: NOW,
        secrets=lambda: SecretStore(signed_in.keyring),
        oauth=signed_in.oauth,
    )
    report = retry_outbox(access)
    assert report is not None
    assert sent_count_notice(report) == "Sent 1 message by Microsoft 365."
