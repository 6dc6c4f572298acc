"""Pasting recipients into a compose window and timing the GUI thread meanwhile: the
stalls ``bench_gui.py`` reports, with and without a slow revocation server."""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from desktop_app.core.recipients.status import Field
from desktop_app.ui.compose.window import ComposeWindow
from tests.benchmarks.stalls import Stall, TickLog
from tests.ui.make_screenshots import wait_until

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from desktop_app.app.application import Application

TICK_MS = 5


def recipients(count: int) -> str:
    """``count`` addresses: the demo colleagues (every status) and unknown staff."""
    known = [
        "Priya Shah <priya@clinic.example>",
        '"Lee, Dr. Jordan" <lee@clinic.example>',
        "sam@clinic.example",
        "chris@clinic.example",
        "morgan@clinic.example",
        "pat@clinic.example",
        "taylor@clinic.example",
        "dana@partner.example",
    ]
    unknown = [f"Staff {n} <staff{n}@clinic.example>" for n in range(count - len(known))]
    return ", ".join(known + unknown)


def longest_stall(
    app: QApplication, application: Application, count: int, pasted: str | None = None
) -> Stall:
    """The stalls while ``count`` pasted recipients are evaluated (see ``Stall``)."""
    compose = application.compose("new", None)
    assert isinstance(compose, ComposeWindow)
    wait_until(lambda: not application.runner.busy)
    QTest.qWait(100)
    ticks = TickLog()
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(TICK_MS)
    timer.timeout.connect(ticks.tick)
    editor = compose.fields[Field.TO].editor
    editor.setFocus()
    # Address completion active, as for a user: its suggestions loaded before the paste.
    QTest.keyClick(editor, Qt.Key.Key_C)
    wait_until(lambda: compose.completion.loaded and not application.runner.busy)
    QTest.keyClick(editor, Qt.Key.Key_Backspace)
    QTest.qWait(50)
    clipboard = QGuiApplication.clipboard()
    clipboard.setText(pasted or recipients(count))
    pasted_at: list[float] = []

    def paste() -> None:
        pasted_at.append(time.perf_counter())
        QTest.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)

    timer.start()
    QTest.qWait(50)
    QTimer.singleShot(0, paste)
    wait_until(
        lambda: (
            bool(pasted_at)
            and compose.session.models[Field.TO].rowCount() == count
            and not compose.session.checking
            and not application.runner.busy
            and compose.fields[Field.TO].up_to_date
        ),
        timeout_ms=60_000,
    )
    settled = (time.perf_counter() - pasted_at[0]) * 1000
    QTest.qWait(50)  # the repaint after the last verdict
    timer.stop()
    compose.discard()  # typed in: closing would ask about the draft
    return ticks.stall(pasted_at[0], settled)


CRL_DELAY_S = 0.2
REVOCATION_CAS = 10


def revocation_stall(app: QApplication, application: Application, count: int) -> tuple[Stall, int]:
    """``longest_stall`` for ``count`` recipients whose CRLs come from a slow server, and
    the number of requests the server saw."""
    import dataclasses
    import multiprocessing
    import secrets

    from cryptography.hazmat.primitives import serialization

    from desktop_app.core.pki.stored import Source
    from desktop_app.services.certificates.compose_evidence import ComposeEvidence
    from desktop_app.services.certstore.store import CertStore
    from desktop_app.services.paths import store_path
    from tests.factories.certs import TestCA
    from tests.factories.revocation_server import Route, serve_in_child
    from tests.ui.make_screenshots import DEMO_NOW

    # New CAs and addresses each time, so that every list is really fetched.
    tag = secrets.token_hex(3)
    authorities = [TestCA(f"Revocation Bench CA {n} {tag}", slot=n) for n in range(REVOCATION_CAS)]
    addresses = [f"remote{n}.{tag}@partner.example" for n in range(count)]
    routes = {}
    for n, ca in enumerate(authorities):
        crl = ca.crl(
            last_update=DEMO_NOW - dt.timedelta(hours=1),
            next_update=DEMO_NOW + dt.timedelta(days=1),
        )
        der = crl.public_bytes(serialization.Encoding.DER)
        routes[f"ca{n}.crl"] = Route(crl=der, delay=CRL_DELAY_S)
    # The server runs in a process of its own, as a real one would: its threads must not
    # compete with the window for this interpreter's lock.
    ours, theirs = multiprocessing.Pipe()
    child = multiprocessing.get_context("spawn").Process(
        target=serve_in_child, args=(routes, theirs), daemon=True
    )
    child.start()
    base = ours.recv()
    try:
        with CertStore.open(store_path(application.home)) as store:
            for ca in authorities:
                store.add_trust_anchor(ca.cert, DEMO_NOW)
            for n, address in enumerate(addresses):
                url = f"{base}ca{n % REVOCATION_CAS}.crl"
                issued = authorities[n % REVOCATION_CAS].issue(
                    [address], key_kind="p256", crl_urls=[url]
                )
                store.add_certificate(issued.cert, Source.IMPORTED, DEMO_NOW)
        # The demo never fetches; this window's lookups do, as outside the demo.
        fetching = ComposeEvidence(
            store_path(application.home), None, application.clock, fetch_revocation=True
        )
        context = application.context()
        application._context = dataclasses.replace(context, lookup=fetching)
        try:
            stall = longest_stall(app, application, count, ", ".join(addresses))
        finally:
            application._context = context
            application.runner.run(fetching.close, lambda _: None)
            wait_until(lambda: not application.runner.busy)
    finally:
        ours.send("stop")
        hits = ours.recv()
        child.join(5)
    return stall, hits
