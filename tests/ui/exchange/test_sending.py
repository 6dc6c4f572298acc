"""Sending from the compose window through Exchange, as the application wires it: sealed
with the user's stored identity, one message per envelope, kept in the outbox on faults
and sent by the retry; unencrypted only by the user's audited choice."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.app.application import Application
from desktop_app.core.identity import identity_of
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.policy.model import Policy
from desktop_app.core.recipients.send_gate import Choice
from desktop_app.core.recipients.status import Field
from desktop_app.core.smime.open_message import open_message
from desktop_app.services.exchange.account import ExchangeSettings
from desktop_app.services.identity_store import save_identity
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.outbox.queue import OutboxQueue
from desktop_app.services.policy_files import PolicyLoad
from desktop_app.services.secrets import SecretStore
from desktop_app.ui.compose.attachment_model import DraftAttachment
from desktop_app.ui.compose.window import ComposeWindow
from desktop_app.ui.theme import Theme
from tests.ews_server import EwsTestServer
from tests.factories.certs import NOW
from tests.services.exchange.conftest import USER, Pki
from tests.services.keyrings import InMemoryKeyring
from tests.ui.conftest import ScriptedPrompts, settled

OVERRIDE_ALLOWED = Policy(allow_unencrypted_override=True)


@pytest.fixture
def identity_home(signed_in_home: Path, keyring: InMemoryKeyring, pki: Pki) -> Path:
    """A signed-in home whose user imported their certificate and key."""
    identity = identity_of(pki.me.cert, pki.me.key, (pki.root.cert,), source="test")
    save_identity(signed_in_home, identity, SecretStore(keyring))
    return signed_in_home


@pytest.fixture
def application(
    qapp: QApplication,
    identity_home: Path,
    keyring: InMemoryKeyring,
    settings: ExchangeSettings,
    theme: Theme,
) -> Iterator[Application]:
    app = Application(
        qapp,
        access=MailAccess(
            identity_home,
            clock=lambda: NOW,
            secrets=lambda: SecretStore(keyring),
            exchange_settings=settings,
        ),
        demo_user=None,
        policy=PolicyLoad(OVERRIDE_ALLOWED, ()),
        theme=theme,
    )
    app.main_window()
    yield app
    for window in list(app.compose_windows):
        window.discard()
    app.shutdown()


def compose_to(qtbot: QtBot, app: Application, **fields: str) -> ComposeWindow:
    window = app.compose("new", None)
    assert isinstance(window, ComposeWindow)  # closed (and deleted) once sent
    for name, value in fields.items():
        editor = window.fields[Field[name.upper()]].editor
        qtbot.keyClicks(editor, value)
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    window.subject.setText("Lab results")
    window.body.setPlainText("Potassium is fine.\n")
    settled(qtbot, window)
    return window


def send(qtbot: QtBot, window: ComposeWindow) -> None:
    with qtbot.waitSignal(window.sent, timeout=15_000):
        window.send_button.click()


def headers(mime: bytes) -> email.message.Message:
    return email.message_from_bytes(mime, policy=email.policy.default)


def test_sealed_copies_reach_exchange_one_per_envelope_and_open_for_their_reader(
    qtbot: QtBot, application: Application, directory: EwsTestServer, pki: Pki
) -> None:
    window = compose_to(qtbot, application, to="alice@clinic.example", bcc="bob@clinic.example")
    assert window.session.status.overall.value == "encrypted"

    send(qtbot, window)

    shared, blind = directory.state.received
    assert headers(shared.mime)["To"] == "alice@clinic.example"
    assert headers(blind.mime)["To"] == "bob@clinic.example"  # the Bcc copy names Bob alone
    assert headers(shared.mime)["Bcc"] is None and headers(blind.mime)["Cc"] is None
    assert {m.saved_folder for m in directory.state.received} == {"sentitems"}
    trust = TrustContext(anchors=(pki.root.cert,))
    for message, reader in ((shared, pki.alice), (blind, pki.bob)):
        identity = identity_of(reader.cert, reader.key, (), source="test")
        opened = open_message(message.mime, identity=identity, trust=trust, at=NOW)
        assert opened.encryption is not None
        assert opened.signature is not None and opened.signature.valid
        assert opened.message.text == "Potassium is fine.\n"
    assert OutboxQueue(application.home, lambda: NOW).pending() == ()
    assert application.window is not None
    assert application.window.status_label.text() == (
        "Sent encrypted to alice@clinic.example and bob@clinic.example"
    )


@pytest.mark.parametrize(
    ("fault", "options"),
    [
        ("http500", {}),
        ("http503", {}),
        ("server_busy", {}),
        ("malformed", {}),
        ("timeout", {}),
    ],
)
def test_a_server_fault_keeps_the_sealed_message_queued_until_the_retry_sends_it(
    qtbot: QtBot,
    application: Application,
    directory: EwsTestServer,
    fault: str,
    options: dict[str, float],
) -> None:
    directory.state.faults.add(fault, "CreateItem", times=3, **options)
    window = compose_to(qtbot, application, to="alice@clinic.example")

    send(qtbot, window)

    assert directory.state.received == []
    (waiting,) = OutboxQueue(application.home, lambda: NOW).pending()
    assert waiting.attempts == 1 and waiting.last_error
    assert not waiting.unencrypted_by_choice
    assert application.window is not None
    line = application.window.status_label.text()
    assert line.startswith("Waiting in the outbox: Exchange at 127.0.0.1:")
    assert line.endswith("; retrying in 2 minutes")
    queued = (OutboxQueue(application.home, lambda: NOW).folder / waiting.file_name).read_bytes()

    directory.state.faults.clear()
    application.outbox_retry.try_now()
    qtbot.waitUntil(lambda: len(directory.state.received) == 1, timeout=15_000)
    assert directory.state.received[0].mime == queued  # sent as sealed, never sealed again
    qtbot.waitUntil(
        lambda: OutboxQueue(application.home, lambda: NOW).pending() == (), timeout=5_000
    )


def test_sending_unencrypted_happens_only_by_the_audited_choice_and_names_each_bcc_alone(
    qtbot: QtBot, application: Application, directory: EwsTestServer, tmp_path: Path
) -> None:
    window = compose_to(qtbot, application, to="nocert@clinic.example", bcc="alice@clinic.example")
    window.prompts = ScriptedPrompts(Choice.SEND_UNENCRYPTED)
    window.encrypt_toggle.setChecked(True)
    rota = tmp_path / "rota.csv"
    rota.write_bytes(b"mon,tue\r\nLee,Priya\r\n")
    window.session.attachments.add(DraftAttachment(rota, rota.stat().st_size))

    send(qtbot, window)

    shared, blind = directory.state.received
    assert headers(shared.mime)["To"] == "nocert@clinic.example"
    assert headers(blind.mime)["To"] == "alice@clinic.example"
    for message in (shared, blind):
        parsed = headers(message.mime)
        assert parsed["Bcc"] is None
        assert "pkcs7-mime" not in parsed.get_content_type()
    assert b"Potassium is fine." in shared.mime
    parsed = email.message_from_bytes(shared.mime, policy=email.policy.default)
    assert isinstance(parsed, email.message.EmailMessage)
    attached = {part.get_filename(): part.get_payload(decode=True) for part in parsed.walk()}
    assert attached["rota.csv"] == rota.read_bytes()
    assert parsed.get_content_type() == "multipart/signed"  # Sign was on: signed, in clear
    entries = application.context().audit.entries()
    assert [entry["choice"] for entry in entries] == ["send_unencrypted"]
    assert entries[0]["sender"] == USER
