"""Work measured by counting, not by the clock: Python lines run, calls made, sleeps asked for.

A test that bounds seconds fails when the machine is busy and passes on a fast machine
that hides a regression. Counting the lines of Python that run is the same on every
machine, so a bound on it is a bound on the algorithm: a parser that turns quadratic runs
sixty-four times the lines on eight times the input, whatever else the machine is doing.

What lines cannot see is work done inside one C call (a regular expression, a copy of a
large buffer); the benchmarks under ``tests/benchmarks/`` print the seconds for those.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

import pytest


class WorkBudgetExceeded(BaseException):
    """Raised inside the measured code when it ran more lines than allowed.

    A BaseException, so the code under test cannot swallow it with ``except Exception``;
    it turns a hang into a prompt test failure.
    """


@dataclass
class Work:
    """What ran while counting: lines of Python and function calls (both any module)."""

    lines: int = 0
    calls: int = 0


@contextmanager
def counting(budget: int | None = None) -> Iterator[Work]:
    """Count the lines of Python this thread runs inside the block.

    With ``budget``, running more lines than that raises WorkBudgetExceeded in the code
    being measured, so an endless loop fails the test at once instead of at the timeout.
    """
    work = Work()

    def on_line(frame: FrameType, event: str, arg: Any) -> Callable[..., Any] | None:
        if event == "line":
            work.lines += 1
            if budget is not None and work.lines > budget:
                raise WorkBudgetExceeded(f"more than {budget} lines of Python ran")
        return on_line

    def on_call(frame: FrameType, event: str, arg: Any) -> Callable[..., Any] | None:
        work.calls += 1
        return on_line

    previous = sys.gettrace()
    sys.settrace(on_call)
    try:
        yield work
    finally:
        sys.settrace(previous)


def lines_run(call: Callable[[], object], budget: int | None = None) -> int:
    """Lines of Python that ``call()`` ran; an exception it raises is part of its work."""
    # The work up to a clean error is what is counted, so an exception ends the count.
    with counting(budget) as work, contextlib.suppress(Exception):
        call()
    return work.lines


def assert_linear(
    run: Callable[[Any], object],
    small: int,
    *,
    make_input: Callable[[int], Any] | None = None,
    scale: int = 8,
    slack: float = 2.0,
) -> None:
    """Fail unless the work for an input ``scale`` times larger is at most ``slack * scale``
    times the work for ``small``.

    ``run`` gets ``make_input(size)`` (built before counting starts) or the size itself.
    Linear work grows by ``scale``; quadratic work by ``scale`` squared (64 with the
    defaults), which no ``slack`` short of ``scale`` lets through.
    """
    assert slack < scale, "a slack as large as the scale would let quadratic work pass"
    build = make_input or (lambda size: size)
    small_input, large_input = build(small), build(small * scale)
    baseline = lines_run(lambda: run(small_input))
    allowed = int(slack * scale * max(baseline, 1))
    try:
        # Stopped as soon as it goes over: quadratic work on the larger input could
        # otherwise run for minutes under the line counter.
        lines_run(lambda: run(large_input), budget=allowed)
    except WorkBudgetExceeded:
        raise AssertionError(
            f"more than {allowed} lines for {scale}x the input of {baseline} lines: "
            f"over {allowed / max(baseline, 1):.0f}x, more than linear"
        ) from None


@dataclass
class Sleeps:
    """Every ``time.sleep`` asked for by code outside ``tests/`` (the test servers sleep on
    purpose), with the module that asked: "fails fast" becomes "asked for no wait"."""

    asked: list[tuple[str, float]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def total(self) -> float:
        return sum(seconds for _, seconds in self.asked)


def record_sleeps(monkeypatch: pytest.MonkeyPatch) -> Sleeps:
    """Install a recording ``time.sleep`` (it still sleeps) for the rest of the test."""
    recorded = Sleeps()
    real_sleep = time.sleep

    def recording_sleep(seconds: float) -> None:
        module = sys._getframe(1).f_globals.get("__name__", "?")
        if not module.startswith("tests."):
            with recorded._lock:
                recorded.asked.append((module, seconds))
        real_sleep(seconds)

    monkeypatch.setattr(time, "sleep", recording_sleep)
    return recorded


@dataclass(frozen=True)
class SentRequest:
    """One HTTP request the product sent through ``requests``: where, with what read
    timeout, and whether it was sent from the main (GUI) thread."""

    method: str
    url: str
    timeout: object
    on_main_thread: bool


def record_requests(monkeypatch: pytest.MonkeyPatch) -> list[SentRequest]:
    """Record every request sent through ``requests`` (exchangelib and msal use it)."""
    import requests.adapters

    sent: list[SentRequest] = []
    lock = threading.Lock()
    real_send = requests.adapters.HTTPAdapter.send

    def recording_send(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        on_main = threading.current_thread() is threading.main_thread()
        with lock:
            sent.append(SentRequest(request.method, request.url, kwargs.get("timeout"), on_main))
        return real_send(self, request, *args, **kwargs)

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", recording_send)
    return sent


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Wait for another thread (a test server) to get somewhere; like qtbot.waitUntil.

    Not a measure: ``timeout`` only ends a wait that would otherwise hang, generously.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            raise TimeoutError(f"still waiting after {timeout} s")
        time.sleep(0.01)
