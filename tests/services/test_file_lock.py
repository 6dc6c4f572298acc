"""The outbox's sending lock: held by one process at a time, released by exit or crash."""

import subprocess
import sys
import time
from pathlib import Path

from desktop_app.services.file_lock import exclusive_lock

HOLD = """
import sys, time
from pathlib import Path
from desktop_app.services.file_lock import exclusive_lock
with exclusive_lock(Path(sys.argv[1])) as held:
    print("held" if held else "refused", flush=True)
    time.sleep(30)
"""


def test_a_lock_held_by_another_process_is_refused_until_that_process_ends(
    tmp_path: Path,
) -> None:
    path = tmp_path / "outbox" / ".sending.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with exclusive_lock(path) as held:
            assert not held
    finally:
        holder.kill()  # as a crash would end it
        holder.wait()
    deadline = time.monotonic() + 5
    while True:
        with exclusive_lock(path) as held:
            if held or time.monotonic() > deadline:
                break
        time.sleep(0.05)
    assert held


def test_the_same_lock_twice_in_one_process_is_refused_and_released_after(
    tmp_path: Path,
) -> None:
    path = tmp_path / "lock"
    with exclusive_lock(path) as first, exclusive_lock(path) as second:
        assert first and not second
    with exclusive_lock(path) as again:
        assert again
