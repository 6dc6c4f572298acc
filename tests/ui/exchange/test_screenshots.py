"""The compose window with directory tokens, and the account dialog, drawn to PNG files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.recipients.status import Field
from desktop_app.services.exchange.account import ExchangeSettings
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.secrets import SecretStore
from desktop_app.ui.accounts.exchange_dialog import ExchangeAccountDialog, sign_in_operation
from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.compose.session import ComposeContext, ComposeStart
from desktop_app.ui.compose.window import ComposeWindow
from tests.ews_server import EwsTestServer
from tests.services.keyrings import InMemoryKeyring
from tests.ui.conftest import settled

# Set to a folder to keep the pictures for a look (they are in pytest's tmp_path anyway).
KEEP = os.environ.get("SMIME_GUARD_EXCHANGE_SHOTS")


def _keep(path: Path) -> None:
    if KEEP:
        Path(KEEP).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(KEEP) / path.name)


def test_compose_with_a_list_and_a_directory_covered_recipient(
    qtbot: QtBot, exchange_context: ComposeContext, directory: EwsTestServer, tmp_path: Path
) -> None:
    window = ComposeWindow(exchange_context, ComposeStart(subject="Ward 3 rota"))
    qtbot.addWidget(window)
    window.resize(760, 460)
    window.show()
    editor = window.fields[Field.TO].editor
    qtbot.keyClicks(editor, "Alice Hart <alice@clinic.example>, Ward 3 <mixed@clinic.example>")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    settled(qtbot, window)
    labels = [token.text() for token in window.fields[Field.TO].tokens()]
    assert labels == ["Alice Hart", "Ward 3 · no certificate"]
    path = tmp_path / "compose-exchange-directory.png"
    assert window.grab().save(str(path))
    assert path.stat().st_size > 10_000
    _keep(path)


def test_account_dialog(
    qtbot: QtBot,
    runner: BackgroundRunner,
    home: Path,
    keyring: InMemoryKeyring,
    settings: ExchangeSettings,
    tmp_path: Path,
) -> None:
    dialog = ExchangeAccountDialog(
        runner,
        sign_in_operation(
            MailAccess(home, secrets=lambda: SecretStore(keyring), exchange_settings=settings)
        ),
    )
    qtbot.addWidget(dialog)
    dialog.email.setText("me@clinic.example")
    dialog.server.setText("https://mail.clinic.example/EWS/Exchange.asmx")
    dialog.password.setText("secret")
    dialog.show()
    path = tmp_path / "exchange-account-dialog.png"
    assert dialog.grab().save(str(path))
    _keep(path)


def test_send_gate_with_mail_tips(
    qtbot: QtBot, exchange_context: ComposeContext, directory: EwsTestServer, tmp_path: Path
) -> None:
    from desktop_app.ui.compose.gate_dialog import GateDialog
    from tests.ui.conftest import ScriptedPrompts

    prompts = ScriptedPrompts()
    window = ComposeWindow(exchange_context, ComposeStart(subject="Results"), prompts)
    qtbot.addWidget(window)
    window.show()
    editor = window.fields[Field.TO].editor
    qtbot.keyClicks(editor, "typo@clinic.example, mixed@clinic.example, alice@clinic.example")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    settled(qtbot, window)
    window.session.set_encrypt(True)
    window.send()
    (decision,) = prompts.decisions
    dialog = GateDialog(decision, exchange_context.theme)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    qtbot.addWidget(dialog)
    dialog.show()
    path = tmp_path / "send-gate-mail-tips.png"
    assert dialog.grab().save(str(path))
    _keep(path)
