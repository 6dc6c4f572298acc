"""The background helper: results on the GUI thread, stale ones dropped, errors routed."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QObject, QThread
from pytestqt.qtbot import QtBot

from desktop_app.core.errors import UserFacingError
from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.errors import error_text


def test_the_operation_runs_off_the_gui_thread_and_the_result_arrives_on_it(
    qtbot: QtBot, runner: BackgroundRunner
) -> None:
    gui = QThread.currentThread()
    seen: dict[str, object] = {}

    def op() -> int:
        seen["op_thread"] = QThread.currentThread()
        return 42

    def success(value: int) -> None:
        seen["value"] = value
        seen["success_thread"] = QThread.currentThread()

    runner.run(op, success)
    qtbot.waitUntil(lambda: "value" in seen, timeout=5_000)
    assert seen["value"] == 42
    assert seen["op_thread"] is not gui
    assert seen["success_thread"] is gui
    assert not runner.busy


def test_a_stale_result_is_dropped(qtbot: QtBot, runner: BackgroundRunner) -> None:
    release = threading.Event()
    results: list[str] = []

    def slow() -> str:
        release.wait(5)
        return "old"

    first = runner.run(slow, results.append, channel="recipients")
    second = runner.run(lambda: "new", results.append, channel="recipients")
    assert not runner.is_current(first) and runner.is_current(second)
    release.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=5_000)
    assert results == ["new"]


def test_other_channels_are_not_stale(qtbot: QtBot, runner: BackgroundRunner) -> None:
    results: list[str] = []
    runner.run(lambda: "a", results.append, channel="one")
    runner.run(lambda: "b", results.append, channel="two")
    qtbot.waitUntil(lambda: len(results) == 2, timeout=5_000)
    assert sorted(results) == ["a", "b"]


def test_errors_go_to_failure_and_become_text(qtbot: QtBot, runner: BackgroundRunner) -> None:
    errors: list[BaseException] = []

    def broken() -> None:
        raise UserFacingError("The store is busy.")

    runner.run(broken, lambda _: pytest.fail("no success expected"), failure=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5_000)
    assert error_text(errors[0]) == "The store is busy."
    assert (
        "internal" in error_text(KeyError("secret@address.example")).lower()
        or error_text(KeyError("x")) != "x"
    )


def test_a_result_for_a_deleted_owner_is_dropped(qtbot: QtBot, runner: BackgroundRunner) -> None:
    release = threading.Event()
    owner = QObject()
    results: list[int] = []
    runner.run(lambda: release.wait(5) and 1, results.append, owner=owner)
    owner.deleteLater()
    qtbot.wait(20)
    release.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=5_000)
    assert results == []


def test_after_shutdown_nothing_is_delivered_or_started(qtbot: QtBot) -> None:
    helper = BackgroundRunner()
    results: list[int] = []
    helper.run(lambda: 1, results.append)
    helper.shutdown()
    qtbot.wait(20)
    assert results == []
    with pytest.raises(RuntimeError):
        helper.run(lambda: 2, results.append)
