"""Outside the demo, with the user's imported identity and no Exchange account: sent mail
is really sealed into the home's outbox folder, and drafts autosave sealed to the user."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.app.application import Application
from desktop_app.core.identity import identity_of
from desktop_app.core.pki.stored import Source
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.recipients.status import Field, Overall
from desktop_app.core.smime.open_message import open_message
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.drafts import DRAFTS_FOLDER
from desktop_app.services.identity_store import save_identity
from desktop_app.services.paths import store_path
from desktop_app.services.secrets import SecretStore
from desktop_app.ui.compose import autosave
from desktop_app.ui.compose.attachment_model import DraftAttachment
from desktop_app.ui.compose.window import ComposeWindow
from desktop_app.ui.theme import Theme
from tests.factories.certs import NOW, TestCA
from tests.services.keyrings import InMemoryKeyring
from tests.ui.conftest import own_application, settled

CA = TestCA("Own Identity Root")
ME = CA.issue(["me@clinic.example"])
ALICE = CA.issue(["alice@clinic.example"])
BODY = "Potassium is fine.\n"


@pytest.fixture(autouse=True)
def quick_autosave(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(autosave, "AUTOSAVE_DELAY_MS", 50)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    with CertStore.open(store_path(home)) as store:
        store.add_trust_anchor(CA.cert, NOW)
        store.add_certificate(ALICE.cert, Source.IMPORTED, NOW)
    return home


@pytest.fixture
def keyring() -> InMemoryKeyring:
    return InMemoryKeyring()


@pytest.fixture
def application(
    qapp: QApplication, home: Path, keyring: InMemoryKeyring, theme: Theme
) -> Iterator[Application]:
    save_identity(home, identity_of(ME.cert, ME.key, (), source="test"), SecretStore(keyring))
    app = own_application(qapp, home, keyring, theme)
    yield app
    for window in list(app.compose_windows):
        window.discard()
    app.shutdown()


def compose_to_alice(qtbot: QtBot, app: Application) -> ComposeWindow:
    window = app.compose("new", None)
    assert isinstance(window, ComposeWindow)  # closed (and deleted) once sent
    editor = window.fields[Field.TO].editor
    qtbot.keyClicks(editor, "alice@clinic.example")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    window.subject.setText("Lab results")
    window.body.setPlainText(BODY)
    settled(qtbot, window)
    return window


def test_the_sender_is_the_certificate_address_and_sent_mail_is_sealed_into_the_outbox(
    qtbot: QtBot, application: Application, home: Path, tmp_path: Path
) -> None:
    window = compose_to_alice(qtbot, application)
    report = tmp_path / "Befund Müller.pdf"
    report.write_bytes(b"%PDF-1.7 " + bytes(range(256)) * 4000)  # about 1 MB, read from the file
    window.session.attachments.add(DraftAttachment(report, report.stat().st_size))
    assert window.session.status.overall is Overall.ENCRYPTED
    assert [m.address for m in application.context().identities] == ["me@clinic.example"]

    with qtbot.waitSignal(window.sent, timeout=10_000):
        window.send_button.click()

    (sealed,) = sorted((home / "outbox").glob("*.eml"))
    alice = identity_of(ALICE.cert, ALICE.key, (), source="test")
    opened = open_message(
        sealed.read_bytes(), identity=alice, trust=TrustContext(anchors=(CA.cert,)), at=NOW
    )
    assert opened.encryption is not None and opened.message.text == BODY
    [attached] = opened.message.attachments
    assert (attached.filename, attached.content) == (report.name, report.read_bytes())
    assert opened.signature is not None and opened.signature.valid
    assert application.window is not None
    assert "outbox folder" in application.window.status_label.text()


def test_drafts_autosave_sealed_to_the_imported_identity(
    qtbot: QtBot, application: Application, home: Path
) -> None:
    window = compose_to_alice(qtbot, application)
    with qtbot.waitSignal(window.autosave.saved, timeout=5_000):
        window.body.setPlainText(BODY + "More to follow.\n")

    (draft,) = (home / DRAFTS_FOLDER).iterdir()
    assert b"Potassium" not in draft.read_bytes()
    record = application.draft_store().open(draft.read_bytes())
    assert record.body == BODY + "More to follow.\n"


def test_without_an_identity_there_is_no_autosave(
    qapp: QApplication, home: Path, keyring: InMemoryKeyring, theme: Theme
) -> None:
    app = own_application(qapp, home, keyring, theme)
    try:
        assert not app.draft_store().sealed  # no autosave without an own certificate
    finally:
        app.shutdown()
