"""Drafts autosave: sealed saves after edits, offered back after a crash, gone once sent."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.app.application import Application
from desktop_app.core.messages import text
from desktop_app.core.recipients.replies import ComposeAction
from desktop_app.core.recipients.status import Field
from desktop_app.services.demo.build import IDENTITY_CERTIFICATE, IDENTITY_KEY
from desktop_app.services.demo.home import DemoHome
from desktop_app.services.drafts import DAMAGED_SUFFIX, DRAFTS_FOLDER, DraftStore
from desktop_app.services.outbox.sealing import demo_identity
from desktop_app.ui.compose import autosave
from desktop_app.ui.compose.prompts import CloseChoice, DraftPlace
from desktop_app.ui.compose.window import ComposeWindow
from tests.ui.conftest import ContextFactory, ScriptedPrompts, WindowFactory
from tests.ui.make_screenshots import demo_application, wait_until

SUBJECT = "Biopsy results for our shared patient"
BODY = "The biopsy of patient 4711 came back benign.\nNo further steps."


@pytest.fixture(autouse=True)
def quick_autosave(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(autosave, "AUTOSAVE_DELAY_MS", 50)


@pytest.fixture
def drafts(demo_home: DemoHome, tmp_path: Path) -> DraftStore:
    identity = demo_home.identity
    return DraftStore(
        tmp_path / DRAFTS_FOLDER,
        lambda: demo_identity(identity, IDENTITY_CERTIFICATE, IDENTITY_KEY),
    )


def files(folder: Path) -> list[Path]:
    return sorted(folder.iterdir()) if folder.exists() else []


def write_draft(qtbot: QtBot, window: ComposeWindow) -> None:
    window.session.models[Field.TO].add_text("Priya Shah <priya@clinic.example>")
    window.session.models[Field.CC].add_text("not-an-address")
    window.fields[Field.BCC].editor.setText("lee@cli")  # still being typed
    window.subject.setText(SUBJECT)
    window.body.setPlainText(BODY)
    window.sign_toggle.setChecked(False)


def test_an_edit_is_saved_sealed_a_moment_later(
    qtbot: QtBot, open_compose: WindowFactory, make_context: ContextFactory, drafts: DraftStore
) -> None:
    window = open_compose(context=dataclasses.replace(make_context(), drafts=drafts))
    assert files(drafts.folder) == []  # nothing changed yet: nothing saved
    assert window.draft_status.text() == ""
    write_draft(qtbot, window)
    assert window.autosave.pending  # debounced: not saved at each keystroke
    with qtbot.waitSignal(window.autosave.saved, timeout=5_000) as saved:
        pass
    [path] = files(drafts.folder)
    assert saved.args == [path]
    sealed = path.read_bytes()
    for secret in (SUBJECT, "biopsy", "4711", "priya@clinic.example", "lee@cli"):
        assert secret.encode() not in sealed
    assert window.draft_status.text().startswith("Draft saved")
    [record] = drafts.recover().drafts
    assert (record.subject, record.body, record.to) == (
        SUBJECT,
        BODY,
        ("Priya Shah <priya@clinic.example>",),
    )
    assert record.typing == ("", "", "lee@cli") and record.sign is False


def test_without_an_own_certificate_autosave_is_off_and_says_so(
    qtbot: QtBot, open_compose: WindowFactory, tmp_path: Path
) -> None:
    window = open_compose()  # the test context has no draft store
    assert not window.autosave.active
    assert window.draft_status.text() == text("drafts.autosave_off")
    window.body.setPlainText(BODY)
    assert not window.autosave.pending


def test_sending_deletes_the_draft(
    qtbot: QtBot, open_compose: WindowFactory, make_context: ContextFactory, drafts: DraftStore
) -> None:
    context = dataclasses.replace(make_context(), drafts=drafts)
    window = open_compose(prompts=ScriptedPrompts(), context=context)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # looked at after sending
    window.session.models[Field.TO].add_text("priya@clinic.example")
    window.body.setPlainText(BODY)
    with qtbot.waitSignal(window.autosave.saved, timeout=5_000):
        pass
    assert len(files(drafts.folder)) == 1
    window.body.setPlainText(BODY + "\nOne more line.")  # a save is pending while sending
    with qtbot.waitSignal(window.sent, timeout=5_000):
        window.send_button.click()
    qtbot.wait(200)  # longer than the autosave delay: nothing comes back
    assert files(drafts.folder) == []


def test_discard_on_closing_deletes_the_draft(
    qtbot: QtBot, open_compose: WindowFactory, make_context: ContextFactory, drafts: DraftStore
) -> None:
    prompts = ScriptedPrompts(close=CloseChoice.DISCARD)
    window = open_compose(
        prompts=prompts, context=dataclasses.replace(make_context(), drafts=drafts)
    )
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # qtbot closes it again
    window.body.setPlainText(BODY)
    with qtbot.waitSignal(window.autosave.saved, timeout=5_000):
        pass
    window.close()
    assert prompts.closings == [DraftPlace.SEALED]  # asked once; Discard asks nothing more
    assert not window.isVisible()
    assert files(drafts.folder) == []


@pytest.fixture
def applications(qapp: QApplication) -> Iterator[list[Application]]:
    made: list[Application] = []
    yield made
    for application in made:
        for window in list(application.compose_windows):
            window.discard()
        if application.window is not None:
            application.window.close()
        application.shutdown()


def started(qapp: QApplication, home: Path, applications: list[Application]) -> Application:
    application = demo_application(qapp, home)
    applications.append(application)
    window = application.main_window()
    window.show()
    wait_until(lambda: window.current_detail is not None)
    return application


def test_a_crash_offers_the_draft_back_and_restores_every_field(
    qtbot: QtBot, qapp: QApplication, demo_copy: Path, applications: list[Application]
) -> None:
    first = started(qapp, demo_copy, applications)
    assert first.recovery_dialog is None
    first.window.actions_by_name["reply_all"].trigger()  # type: ignore[union-attr]
    [compose] = first.compose_windows
    assert isinstance(compose, ComposeWindow)
    wait_until(lambda: not compose.session.checking and not first.runner.busy)
    compose.session.models[Field.BCC].add_text("Priya Shah <priya@clinic.example>")
    compose.fields[Field.CC].editor.setText("tay")
    compose.body.setPlainText(BODY + compose.body.toPlainText())
    compose.encrypt_toggle.setChecked(True)
    with qtbot.waitSignal(compose.autosave.saved, timeout=5_000):
        pass
    before = autosave.snapshot(compose, compose.autosave.draft_id, compose.context.clock())

    # The process dies: nothing is closed. The next start finds the draft.
    second = started(qapp, demo_copy, applications)
    wait_until(lambda: second.recovery_dialog is not None)
    dialog = second.recovery_dialog
    assert dialog is not None and dialog.list.count() == 1
    row = dialog.list.item(0).text()
    assert "Re: Referral results for our shared patient" in row
    assert "dana@partner.example" in row and "priya@clinic.example" in row
    assert dialog.list.item(0).checkState() == Qt.CheckState.Checked
    dialog.restore()
    [restored] = second.compose_windows
    assert isinstance(restored, ComposeWindow)
    wait_until(lambda: not restored.session.checking and not second.runner.busy)
    assert restored.session.start.action is ComposeAction.REPLY_ALL
    assert restored.windowTitle().endswith(text("compose.title_reply_all"))
    after = autosave.snapshot(restored, restored.autosave.draft_id, before.saved)
    assert after == before
    assert restored.encrypt_toggle.isChecked()
    assert restored.session.start.in_reply_to == "<referral-4711@partner.example>"
    restored.discard()  # discarding the restored draft removes the file
    assert files(demo_copy / DRAFTS_FOLDER) == []


def test_discard_in_the_offer_deletes_the_drafts(
    qtbot: QtBot, qapp: QApplication, demo_copy: Path, applications: list[Application]
) -> None:
    first = started(qapp, demo_copy, applications)
    first.window.actions_by_name["new"].trigger()  # type: ignore[union-attr]
    [compose] = first.compose_windows
    assert isinstance(compose, ComposeWindow)
    compose.subject.setText(SUBJECT)
    with qtbot.waitSignal(compose.autosave.saved, timeout=5_000):
        pass
    second = started(qapp, demo_copy, applications)
    wait_until(lambda: second.recovery_dialog is not None)
    assert second.recovery_dialog is not None
    second.recovery_dialog.discard()
    assert second.compose_windows == []
    assert files(demo_copy / DRAFTS_FOLDER) == []


def test_a_damaged_draft_is_reported_and_set_aside(
    qtbot: QtBot, qapp: QApplication, demo_copy: Path, applications: list[Application]
) -> None:
    folder = demo_copy / DRAFTS_FOLDER
    folder.mkdir()
    broken = folder / "0123456789abcdef0123456789abcdef.p7m"
    broken.write_bytes(b"\x30\x82\x01\x00 not a sealed draft")
    application = started(qapp, demo_copy, applications)
    wait_until(lambda: application.recovery_dialog is not None)
    dialog = application.recovery_dialog
    assert dialog is not None and dialog.list.count() == 0
    assert broken.name in dialog.damaged.text() and dialog.damaged.isVisible()
    assert not broken.exists()
    assert (folder / (broken.name + DAMAGED_SUFFIX)).exists()
    dialog.reject()
    assert application.recovery_dialog is None
