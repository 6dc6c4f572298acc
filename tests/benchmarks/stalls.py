"""Stalls of the GUI thread, for ``bench_gui.py``: the gaps between timer ticks, and how
much of each the thread spent waiting for a CPU that other processes held."""

from __future__ import annotations

import gc
import itertools
import os
import statistics
import threading
import time
from dataclasses import dataclass
from pathlib import Path

TRACE = bool(os.environ.get("BENCH_GUI_TRACE"))


@dataclass(frozen=True)
class Stall:
    """One paste: the longest gap between ticks (ms), the longest once the time the GUI
    thread waited for a CPU held by other processes is taken out (ms), and the time until
    the status and every token settled (ms)."""

    longest: float
    ours: float
    settled: float


def waited_for_a_cpu(schedstat: Path) -> float:
    """Seconds the thread of ``schedstat`` has waited on a run queue (0 without the file)."""
    try:
        return int(schedstat.read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


class TickLog:
    """Ticks of a timer on the GUI thread (``tick``), each with the time the thread had
    waited on a run queue so far (from ``/proc``, 0 where there is none)."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.waits: list[float] = []
        self._schedstat = Path(f"/proc/self/task/{threading.get_native_id()}/schedstat")

    def tick(self) -> None:
        self.times.append(time.perf_counter())
        self.waits.append(waited_for_a_cpu(self._schedstat))

    def stall(self, pasted_at: float, settled: float) -> Stall:
        """The ``Stall`` of the ticks logged; with ``BENCH_GUI_TRACE``, where the three
        longest gaps began (ms after ``pasted_at``) and the collections over 3 ms."""
        gaps = [(b - a) * 1000 for a, b in itertools.pairwise(self.times)]
        # What of each gap the GUI thread spent ready to run but waiting for a CPU that
        # other processes held: the machine's load, not this program's doing.
        waited = [(b - a) * 1000 for a, b in itertools.pairwise(self.waits)]
        ours = [gap - wait for gap, wait in zip(gaps, waited, strict=True)]
        if TRACE:
            worst = sorted(range(len(gaps)), key=gaps.__getitem__)[-3:]
            began = [
                f"{gaps[i]:.0f} ms at +{(self.times[i] - pasted_at) * 1000:.0f}" for i in worst
            ]
            print("  longest gaps:", "; ".join(began), flush=True)
            collections = [
                f"gen{generation} {(end - start) * 1000:.0f} ms "
                f"at +{(start - pasted_at) * 1000:.0f}"
                for generation, start, end in _COLLECTIONS
                if end - start > 0.003 and start > self.times[0]
            ]
            print("  garbage collections over 3 ms:", "; ".join(collections) or "none")
            print(
                f"  objects: {len(gc.get_objects(2))} in the oldest generation, "
                f"{gc.get_freeze_count()} set aside",
                flush=True,
            )
        return Stall(max(gaps), max(ours), settled)


_COLLECTIONS: list[tuple[int, float, float]] = []


def _note_collection(phase: str, info: dict[str, int]) -> None:
    if phase == "start":
        _COLLECTIONS.append((info["generation"], time.perf_counter(), 0.0))
    elif _COLLECTIONS:
        generation, start, _ = _COLLECTIONS[-1]
        _COLLECTIONS[-1] = (generation, start, time.perf_counter())


if TRACE:
    gc.callbacks.append(_note_collection)


def stall_figures(stalls: list[Stall]) -> str:
    """The longest stall of each run summed up: median and max over the runs, as measured
    and without the time other processes kept the GUI thread from a CPU."""
    each = ", ".join(f"{stall.longest:.0f}" for stall in stalls)
    longest = [stall.longest for stall in stalls]
    ours = [stall.ours for stall in stalls]
    return (
        f"median {statistics.median(longest):.0f} ms, max {max(longest):.0f} ms ({each}); "
        f"without waits for a CPU: median {statistics.median(ours):.0f} ms, "
        f"max {max(ours):.0f} ms"
    )


def load() -> str:
    """The 1-minute load average (other work on the machine lengthens every stall)."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "?"
