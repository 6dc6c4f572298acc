"""A bare PySide6 window: the yardstick ``bench_gui.py`` measures the app's first paint by.

Prints ``first_paint_ms: N``, the time from this process's start (interpreter included)
to the end of the window's first paint, measured as ``smime-guard --measure-startup``
measures its own: so the ratio of the two does not move with how busy the machine is.
"""

from __future__ import annotations

import os
import sys
import time


def process_started() -> float:
    """When this process started, on the ``time.monotonic`` clock (as ``desktop_app.app.start``)."""
    with open("/proc/self/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    since = time.clock_gettime(time.CLOCK_BOOTTIME) - int(fields[19]) / os.sysconf("SC_CLK_TCK")
    return time.monotonic() - since


def main() -> None:
    started = process_started()
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QLabel("Hello"))
    window.resize(1120, 700)

    class FirstPaint(QObject):
        seen = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if not self.seen and event.type() == QEvent.Type.Paint:
                self.seen = True
                QTimer.singleShot(0, report)  # after the paint in progress, as the app
            return False

    def report() -> None:
        print(f"first_paint_ms: {round((time.monotonic() - started) * 1000)}", flush=True)
        app.quit()

    watch = FirstPaint()
    window.centralWidget().installEventFilter(watch)
    window.show()
    app.exec()


if __name__ == "__main__":
    main()
