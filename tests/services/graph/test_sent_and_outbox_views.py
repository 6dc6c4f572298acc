"""The Sent and Outbox views of an m365 account: what was sent, by which route, and a
message sent by SMTP is never shown as having a Sent Items copy."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

from desktop_app.app.folders import folder_readers
from desktop_app.services.mailbox.folders import read_sent
from desktop_app.ui.folder_models import SentListModel
from tests.factories.certs import NOW
from tests.graph_server import GraphTestServer
from tests.graph_server.state import Fault
from tests.services.exchange.conftest import Pki
from tests.services.exchange.sealing import seal_files
from tests.services.graph.conftest import M365Cli
from tests.services.graph.messages import sealed_with_attachment


def test_sent_records_say_when_no_sent_items_copy_is_confirmed(
    signed_in: M365Cli, pki: Pki, tmp_path: Path, qapp: object
) -> None:
    big, small = tmp_path / "big.eml", tmp_path / "small.eml"
    big.write_bytes(sealed_with_attachment(pki.alice, "alice@clinic.example", 4 * 1024 * 1024, 1))
    small.write_bytes(sealed_with_attachment(pki.alice, "alice@clinic.example", 1000, 2))
    signed_in.timeouts = (5.0, 30.0)
    assert signed_in("send", str(big), str(small)).code == 0
    records = {record.subject: record for record in read_sent(signed_in.home).records}
    assert set(records) == {"Scan 1", "Scan 2"}
    assert "no Sent Items copy is confirmed" in records["Scan 1"].copy_note
    assert records["Scan 2"].copy_note == ""
    model = SentListModel(lambda name: QIcon())
    _, _, lines = model.describe(records["Scan 1"])
    assert "no Sent Items copy is confirmed" in lines[-1]


def test_the_outbox_view_lists_what_waits_for_the_account(
    signed_in: M365Cli, graph: GraphTestServer, pki: Pki, tmp_path: Path
) -> None:
    [message, *_] = seal_files(pki, tmp_path / "s", tmp_path / "s.sqlite3")
    graph.state.faults += [Fault("503", "/me/sendMail")] * 4
    assert signed_in("send", str(message)).code == 1
    readers = folder_readers(signed_in.home, lambda: NOW, lambda: None, print, None)
    [waiting] = readers.waiting()
    assert waiting.subject == "Lab results" and waiting.attempts == 1
