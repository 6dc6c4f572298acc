"""Sending what waits in the outbox again, on a timer, while the main window is open."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from desktop_app.core.messages import text
from desktop_app.ui.errors import error_text

if TYPE_CHECKING:
    from desktop_app.services.outbox.sending_run import SendReport
    from desktop_app.ui.background import BackgroundRunner


class OutboxRetry:
    """Tries the outbox again every ``interval_seconds`` while anything waits, in the
    background, and says how it went on the status line."""

    def __init__(
        self,
        runner: BackgroundRunner,
        retry: Callable[[], SendReport | None],
        show: Callable[[str], None],
        *,
        interval_seconds: int,
    ) -> None:
        """``retry`` sends what waits (None: nothing waited); ``show`` puts a line on the
        main window's status line."""
        self._runner = runner
        self._retry = retry
        self._show = show
        self._interval_ms = interval_seconds * 1000
        self._timer: QTimer | None = None

    def keep_trying(self) -> None:
        if self._timer is None:
            self._timer = QTimer()
            self._timer.setInterval(self._interval_ms)
            self._timer.timeout.connect(self.try_now)
        if not self._timer.isActive():
            self._timer.start()

    def try_now(self) -> None:
        self._runner.run(self._retry, self._on_tried, failure=self._on_failed)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    def _on_tried(self, report: SendReport | None) -> None:
        if report is None:
            self.stop()
        elif report.waiting:
            reason = report.waiting[0].last_error or ""
            self._show(text("sending.outbox_waiting", count=len(report.waiting), reason=reason))
            self.keep_trying()
        else:
            self.stop()
            if report.sent:
                # Loaded only now: the sending code is not needed for the first paint.
                from desktop_app.services.accounts.delivery import sent_count_notice

                self._show(sent_count_notice(report))

    def _on_failed(self, error: BaseException) -> None:
        self._show(error_text(error))
        self.keep_trying()
