"""Hostile input to the parsers, in seconds.

    PYTHONPATH=. python tests/benchmarks/bench_parsers.py

The test suite bounds this work by counting lines of Python (tests/work.py), which is the
same on every machine but cannot see work done inside one C call (a regular expression, a
copy of a large buffer). This prints the wall-clock time of the same inputs at full size
and at one eighth, and their ratio: about 8 is linear, about 64 quadratic.
"""

from __future__ import annotations

import contextlib
import platform
import random
import statistics
import time
from collections.abc import Callable

from desktop_app.core.errors import UserFacingError
from desktop_app.core.mime.html_text import html_to_text
from desktop_app.core.mime.parse import parse_inner_mime
from desktop_app.core.recipients.addresses import parse_address_list
from desktop_app.core.recipients.replies import parse_original
from tests.core.recipients.test_addresses import LONG_INPUTS

ROUNDS = 5


def seconds(call: Callable[[], object]) -> float:
    """The median of ROUNDS runs of ``call``; a clean refusal is part of the work."""
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        with contextlib.suppress(UserFacingError):
            call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def report(
    name: str, build: Callable[[int], object], run: Callable[[object], object], full: int
) -> None:
    small_input, full_input = build(full // 8), build(full)
    small = seconds(lambda: run(small_input))
    large = seconds(lambda: run(full_input))
    ratio = large / small if small else float("nan")
    print(f"{name:<32} {large * 1000:9.1f} ms  {small * 1000:8.2f} ms at 1/8  ratio {ratio:5.1f}")


def main() -> None:
    print(f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}")
    print(f"medians of {ROUNDS} runs; full size, one eighth, and their ratio (8 is linear)")
    for number, (build_text, full) in enumerate(LONG_INPUTS):
        report(f"address input {number}", build_text, lambda text: parse_address_list(text), full)  # type: ignore[arg-type]
    junk = random.Random(0).randbytes(10 * 1024 * 1024)
    report("MIME: junk", lambda size: junk[:size], lambda data: parse_inner_mime(data), len(junk))  # type: ignore[arg-type]
    report(
        "MIME: false delimiters",
        lambda count: (
            b'Content-Type: multipart/mixed; boundary="ab"\r\n\r\n--ab\r\n\r\n'
            + b"--abX\r\n--a\r\n" * count
        ),
        lambda data: parse_inner_mime(data),  # type: ignore[arg-type]
        200_000,
    )
    report(
        "reply: spaces in a legacyDN",
        lambda count: b"From: a@b.example\r\nTo: /o=a" + b" " * count + b"b\r\n\r\nhi",
        lambda eml: parse_original(eml),  # type: ignore[arg-type]
        1_000_000,
    )
    link = '<a href="https://x.example/{0}">w{0}</a> '
    report(
        "HTML: links in one paragraph",
        lambda count: "<p>" + "".join(link.format(n) for n in range(count)),
        lambda html: html_to_text(html),  # type: ignore[arg-type]
        100_000,
    )
    report(
        "HTML: unfinished tags at the end",
        lambda count: "<p>hi</p>" + "<a " * count,
        lambda html: html_to_text(html),  # type: ignore[arg-type]
        400_000,
    )


if __name__ == "__main__":
    main()
