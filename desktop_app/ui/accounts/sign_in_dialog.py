"""What every account dialog shares: a form, the device-code panel, a busy bar, a message
line, Sign in beside Cancel, and no wait for a code that outlives the dialog.

Each kind's dialog fills ``form``, decides what is enabled and shown (``_update``), and
says what signing in is; the sign-in itself runs on the background helper.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.messages import text
from desktop_app.services.oauth.client import DeviceFlow
from desktop_app.ui.accounts.device_code_panel import DeviceCodePanel
from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.dialog_parts import busy_bar, dialog_buttons, message_label
from desktop_app.ui.errors import error_text


@dataclass(frozen=True, slots=True)
class DialogSetup:
    """What differs between the kinds' dialogs besides their fields.

    ``title``, ``intro`` and ``sign_in`` are message keys; the ``*name`` fields are object
    names (tests and styles find widgets by them); ``channel`` is the background helper's
    channel of the sign-in.
    """

    name: str
    title: str
    intro: str
    sign_in: str
    sign_in_name: str
    message_name: str
    channel: str
    minimum_width: int


class SignInDialog(QDialog):
    """An account dialog: subclasses build their fields into ``form``, then ``_lay_out``."""

    def __init__(
        self, runner: BackgroundRunner, setup: DialogSetup, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(setup.name)
        # Deleted on the GUI thread when closed, never by a garbage collection that happens
        # to run on the background helper's thread.
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(text(setup.title))
        self._runner = runner
        self._setup = setup
        self._flow: DeviceFlow | None = None
        self._busy = False
        self.form = QFormLayout()
        self.code_panel = DeviceCodePanel()
        self.code_panel.hide()
        self.progress = busy_bar()
        self.message = message_label(setup.message_name)
        self.buttons, self.sign_in_button = dialog_buttons(
            QDialogButtonBox.StandardButton.Cancel,
            text(setup.sign_in),
            setup.sign_in_name,
            self._sign_in_clicked,
            self.reject,
        )

    def _lay_out(self, between: Sequence[QWidget] = ()) -> None:
        """The intro, the form, ``between``, the code, the busy bar, the message, buttons."""
        intro = QLabel(text(self._setup.intro))
        intro.setWordWrap(True)
        column = QVBoxLayout(self)
        column.addWidget(intro)
        column.addLayout(self.form)
        for widget in (*between, self.code_panel, self.progress, self.message):
            column.addWidget(widget)
        column.addWidget(self.buttons)
        self.setMinimumWidth(self._setup.minimum_width)

    # -- for each kind ----------------------------------------------------------------

    def _sign_in_clicked(self) -> None:
        raise NotImplementedError

    def _update(self) -> None:
        """Enable, show and hide the kind's fields and buttons for the current state."""
        raise NotImplementedError

    # -- state ------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def waiting_for_code(self) -> bool:
        """True while the user is to enter the shown code in a browser."""
        return self._flow is not None

    def _start(self, message: str) -> None:
        self._busy = True
        self._show(message, failed=False)
        self._update()

    def _idle(self) -> None:
        """Nothing runs any more: no busy bar, no code."""
        self._busy = False
        self._flow = None
        self.code_panel.hide()

    def _run(self, operation: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """Run ``operation`` off the GUI thread; ``done`` (or a failure) on it."""
        self._runner.run(
            operation, done, channel=self._setup.channel, failure=self._on_failed, owner=self
        )

    def _show(self, message: str, *, failed: bool) -> None:
        self.message.setText(message)
        self.message.setProperty("failed", failed)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def _show_code(self, flow: DeviceFlow) -> None:
        self._flow = flow
        self.code_panel.show_code(flow.code)
        self.code_panel.show()

    def _on_failed(self, error: BaseException) -> None:
        self._idle()
        self._show(error_text(error), failed=True)
        self._update()

    # -- closing ----------------------------------------------------------------------

    def stop_sign_in(self) -> None:
        """Stop waiting for the code; the wait ends within a second, storing nothing."""
        if self._flow is not None:
            self._flow.cancel()
            self._update()

    def _cancel_button(self) -> QPushButton:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert button is not None
        return button

    def _unstoppable(self) -> bool:
        """A sign-in runs that cannot be stopped (a password check, a browser sign-in)."""
        return self._busy and self._flow is None

    def reject(self) -> None:
        if self._unstoppable():
            return  # Escape while a sign-in that cannot be stopped runs: it ends on its own
        self.stop_sign_in()  # a wait for a code must not outlive the dialog
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._unstoppable():
            event.ignore()
            return
        self.stop_sign_in()
        super().closeEvent(event)
