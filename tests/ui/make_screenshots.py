"""Render the demo's main window, Reply All compose window and its send gate,
Certificates window and the training window on a 1366x768 laptop to PNG files.

Run ``QT_QPA_PLATFORM=offscreen python tests/ui/make_screenshots.py`` from the checkout to
write ``packaging/screenshots/main-window.png``, ``compose-reply-all.png``,
``gate-reply-all-encrypt-off.png`` (the gate for the demo's "Case conference notes", a
Reply All to a mixed group while Encrypt is off), ``certificates.png`` and
``training-1366x768.png`` (pass ``--dark`` for the dark palette,
``--out DIR`` for another folder). The tests call the same functions and write into their
temporary folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO))

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop, QRect  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from desktop_app.app.application import Application  # noqa: E402
from desktop_app.services.demo.home import ensure_demo_home  # noqa: E402
from desktop_app.services.mail_access import MailAccess  # noqa: E402
from desktop_app.services.paths import resource_folder  # noqa: E402
from desktop_app.services.policy_files import load_policy  # noqa: E402
from desktop_app.ui.theme import Theme  # noqa: E402

# The demo's messages are dated November 2026; its certificates are made for this moment.
DEMO_NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
MOTIVATING_SUBJECT = "Referral results for our shared patient"
CASE_CONFERENCE_SUBJECT = "Case conference notes"
MAIN_SIZE = (1180, 700)
CERTIFICATES_SIZE = (980, 520)
LAPTOP = QRect(0, 0, 1366, 768)


def wait_until(condition: Callable[[], bool], timeout_ms: int = 10_000) -> None:
    """Run the event loop until ``condition()`` holds."""
    deadline = QDeadlineTimer(timeout_ms)
    while not condition():
        if deadline.hasExpired():
            raise TimeoutError("the window did not get there in time")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def demo_application(
    app: QApplication, home: Path, *, dark: bool = False, now: dt.datetime = DEMO_NOW
) -> Application:
    """The demo application over ``home`` (built if needed), with the clock at ``now``."""
    demo = ensure_demo_home(home, resource_folder() / "demo", now)
    theme = Theme(resource_folder(), dark=dark)
    theme.apply(app)
    system_policy = home / "no-system-policy.toml"  # never the machine's own policy
    return Application(
        app,
        access=MailAccess(home, clock=lambda: now),
        demo_user=(demo.user_name, demo.user_address),
        policy=load_policy(home, system_path=system_policy),
        theme=theme,
    )


def show_main_window(application: Application) -> QWidget:
    """The main window with its first message previewed and the signatures checked."""
    window = application.main_window()
    checked: list[int] = []
    window.signaturesChecked.connect(checked.append)
    window.resize(*MAIN_SIZE)  # as on a desktop, whatever the offscreen screen's size
    window.show()
    wait_until(
        lambda: window.model.rowCount() > 0 and window.current_detail is not None and checked
    )
    return window


def show_certificates(application: Application) -> QWidget:
    """The Certificates window over the demo's store, listed."""
    window = application.tools.open_certificates()
    window.resize(*CERTIFICATES_SIZE)
    wait_until(lambda: window.model.rowCount() > 0)  # type: ignore[attr-defined]
    return window


def show_training_on_a_laptop(application: Application) -> QWidget:
    """The training window as it opens on a 1366x768 screen, after a first answer."""
    from desktop_app.core.training.judging import Decision
    from desktop_app.ui.training.window import PREFERRED_SIZE, TrainingWindow
    from desktop_app.ui.window_places import fit_to_screen

    window = application.training()
    assert isinstance(window, TrainingWindow)
    fit_to_screen(window, PREFERRED_SIZE, LAPTOP)
    window.open_scenario(0)
    wait_until(lambda: window.page.ready and not application.runner.busy)
    window.page.decision_buttons[Decision.SEND_ENCRYPTED].click()
    return window


def open_reply_all(application: Application, subject: str = MOTIVATING_SUBJECT) -> QWidget:
    """Select the message with ``subject`` and press Reply All; returns the compose window."""
    window = application.window
    assert window is not None
    for row in range(window.model.rowCount()):
        if window.model.summary(row).subject == subject:  # type: ignore[union-attr]
            window.list_view.setCurrentIndex(window.model.index(row))
            break
    wait_until(
        lambda: (
            window.current_detail is not None and window.current_detail.summary.subject == subject
        )
    )
    window.actions_by_name["reply_all"].trigger()
    compose = application.compose_windows[-1]
    wait_until(lambda: not compose.session.checking and not application.runner.busy)
    return compose


def grab(widget: QWidget, path: Path) -> Path:
    widget.repaint()
    QCoreApplication.processEvents()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    return path


def gate_for(compose: QWidget) -> QWidget:
    """The send gate Send would open for ``compose`` (shown, not modal, for a picture),
    with what the PHI guard finds in its Subject and text."""
    from desktop_app.core.phi.message_scan import PhiReport, scan_message
    from desktop_app.core.policy.model import PhiMode
    from desktop_app.services.phi_scan import phi_rules
    from desktop_app.ui.compose.gate_dialog import GateDialog
    from desktop_app.ui.compose.window import ComposeWindow

    assert isinstance(compose, ComposeWindow)
    policy, body = compose.context.policy, compose.body.toPlainText()
    phi = (
        PhiReport()
        if policy.phi is PhiMode.OFF
        else scan_message(compose.subject.text(), body, [], phi_rules(policy))
    )
    decision = compose.session.decision(body, phi)
    dialog = GateDialog(decision, compose.context.theme, compose)
    dialog.setModal(False)
    dialog.show()
    dialog.adjustSize()
    return dialog


def render(out: Path, home: Path, *, dark: bool = False) -> tuple[Path, ...]:
    """Write ``main-window.png``, ``compose-reply-all.png``,
    ``gate-reply-all-encrypt-off.png``, ``certificates.png`` and ``training-1366x768.png``
    into ``out``."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    application = demo_application(app, home, dark=dark)
    try:
        main = show_main_window(application)
        main_png = grab(main, out / "main-window.png")
        compose = open_reply_all(application)
        compose_png = grab(compose, out / "compose-reply-all.png")
        compose.close()
        conference = open_reply_all(application, CASE_CONFERENCE_SUBJECT)
        gate = gate_for(conference)
        gate_png = grab(gate, out / "gate-reply-all-encrypt-off.png")
        gate.close()
        conference.close()
        certificates = show_certificates(application)
        certificates_png = grab(certificates, out / "certificates.png")
        certificates.close()
        training = show_training_on_a_laptop(application)
        training_png = grab(training, out / "training-1366x768.png")
        training.close()
        main.close()
    finally:
        application.shutdown()
    return main_png, compose_png, gate_png, certificates_png, training_png


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "packaging" / "screenshots")
    parser.add_argument("--dark", action="store_true")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        for path in render(arguments.out, Path(home), dark=arguments.dark):
            print(path)


if __name__ == "__main__":
    main()
