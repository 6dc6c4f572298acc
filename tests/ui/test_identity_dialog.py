"""The "My certificate" dialog: a wrong password stores nothing and says so; a good import
is used at once for sending and drafts."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.app.application import Application
from desktop_app.services.identity_store import stored_identity
from desktop_app.ui.identity_dialog import IdentityDialog
from desktop_app.ui.theme import Theme
from tests.factories.cert_files import pkcs12_file
from tests.factories.certs import TestCA
from tests.services.keyrings import InMemoryKeyring
from tests.ui.conftest import own_application

CA = TestCA("Identity Dialog Root")
ME = CA.issue(["me@clinic.example"])
PASSWORD = "fish & chips"


@pytest.fixture
def application(
    qapp: QApplication, tmp_path: Path, theme: Theme
) -> Iterator[tuple[Application, InMemoryKeyring]]:
    keyring = InMemoryKeyring()
    app = own_application(qapp, tmp_path / "home", keyring, theme)
    yield app, keyring
    app.shutdown()


@pytest.fixture
def p12(tmp_path: Path) -> Path:
    path = tmp_path / "me.p12"
    path.write_bytes(pkcs12_file(ME, (CA.cert,), password=PASSWORD.encode()))
    return path


def import_with(qtbot: QtBot, dialog: IdentityDialog, path: Path, password: str) -> None:
    dialog.file.setText(str(path))
    dialog.password.setText(password)
    dialog.import_button.click()
    assert dialog.busy
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)


def test_a_wrong_password_stores_nothing_and_says_why(
    qtbot: QtBot, application: tuple[Application, InMemoryKeyring], p12: Path
) -> None:
    app, keyring = application
    assert app.window is not None
    app.window.certificate_action.trigger()  # the main window's "My certificate…"
    (dialog,) = app.window.findChildren(IdentityDialog)
    assert "No certificate" in dialog.current.text()

    import_with(qtbot, dialog, p12, "wrong")

    assert "password" in dialog.message.text().lower()
    assert stored_identity(app.home) is None and keyring.entries == {}
    assert not app.draft_store().sealed  # drafts would be kept only unencrypted, if asked
    dialog.close()


def test_an_import_is_used_at_once_for_sending_and_drafts(
    qtbot: QtBot, application: tuple[Application, InMemoryKeyring], p12: Path
) -> None:
    app, keyring = application
    assert app.context().identities == ()  # nobody to send as yet
    dialog = app.own_certificate()
    assert isinstance(dialog, IdentityDialog)

    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        import_with(qtbot, dialog, p12, PASSWORD)

    stored = stored_identity(app.home)
    assert stored is not None and stored.cert == ME.cert
    assert len(keyring.entries) == 1 and PASSWORD not in str(keyring.entries)
    assert "me@clinic.example" in dialog.current.text()
    assert dialog.password.text() == "" and dialog.file.text() == ""
    assert [m.address for m in app.context().identities] == ["me@clinic.example"]
    assert app.draft_store().sealed
    if os.environ.get("SMIME_GUARD_SCREENSHOTS"):
        qtbot.wait(100)  # let the layout settle
        dialog.grab().save(os.environ["SMIME_GUARD_SCREENSHOTS"] + "/identity-dialog.png")
    dialog.close()


def test_a_missing_file_is_reported_without_a_crash(
    qtbot: QtBot, application: tuple[Application, InMemoryKeyring], tmp_path: Path
) -> None:
    app, _ = application
    dialog = app.own_certificate()
    assert isinstance(dialog, IdentityDialog)
    dialog.import_button.click()  # nothing chosen yet
    assert "Choose" in dialog.message.text() and not dialog.busy

    import_with(qtbot, dialog, tmp_path / "nowhere.p12", PASSWORD)

    assert "does not exist" in dialog.message.text()
    dialog.close()
