"""The PHI guard's cost.

Run ``PYTHONPATH=. QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_phi.py``.

Times, as medians of several runs:

- a 20 MB PDF attachment (text pages plus a large scanned image, as a referral letter with
  a letterhead scan): reading its text with pypdf and scanning it;
- a text-heavy PDF (300 pages, the page bound) for the worst case of extraction;
- a 100 KB body of ordinary clinic text with one SSN in it;
- typing a 60-character Subject in the compose window: the longest time one keystroke
  spends in the Subject note (the scan runs on every keystroke).

Goals (issue 17): PDF + body under 1 s, off the GUI thread; no keystroke over 16 ms.
"""

import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

from desktop_app.core.phi.detect import PhiRules, find_phi
from desktop_app.core.phi.message_scan import scan_message
from desktop_app.services.attachment_text import attachment_text
from tests.core.phi.corpus import admin_text
from tests.factories.pdf import make_pdf

RUNS = 5


def _median(work: object, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _pages(rng: random.Random, count: int) -> list[list[str]]:
    pages = [[admin_text(rng)[:90] for _ in range(45)] for _ in range(count)]
    pages[-1].append("Patient date of birth: 12 April 1961")
    return pages


def main() -> None:
    rng = random.Random(17)
    image_pdf = make_pdf(_pages(rng, 40), padding_bytes=20_000_000)
    text_pdf = make_pdf(_pages(rng, 300))
    body = "\n".join(admin_text(rng) for _ in range(1300))[:100_000] + "\nSSN 123-45-6789\n"
    rules = PhiRules()
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")

    def whole(pdf: bytes) -> None:
        read = attachment_text("letter.pdf", pdf)
        report = scan_message("Referral", body, [read], rules)
        assert any(f.kind == "dob" for f in report.findings) and not report.unchecked

    for label, pdf in (
        ("20 MB PDF (40 text pages + image)", image_pdf),
        ("text-heavy PDF (300 pages, the page bound)", text_pdf),
    ):
        extract = _median(lambda pdf=pdf: attachment_text("letter.pdf", pdf))
        total = _median(lambda pdf=pdf: whole(pdf))
        print(
            f"{label}: {len(pdf) / 1e6:.1f} MB, extract {extract * 1000:.0f} ms, "
            f"extract + scan with 100 KB body {total * 1000:.0f} ms"
        )
    scan = _median(lambda: find_phi(body, "body", rules), runs=15)
    print(f"100 KB body scan: {scan * 1000:.1f} ms")
    _typing()


def _typing() -> None:
    from PySide6.QtWidgets import QApplication

    from desktop_app.core.policy.model import Policy
    from desktop_app.ui.compose.phi_guard import SubjectNote

    app = QApplication.instance() or QApplication(sys.argv[:1])
    note = SubjectNote(Policy())
    subject = "Lab results for Mrs. Patel, DOB 04/12/1961 and MBI 1EG4-TE5-MK73"
    worst = 0.0
    for _ in range(RUNS):
        for end in range(1, len(subject) + 1):
            start = time.perf_counter()
            note.update_for(subject[:end])
            app.processEvents()
            worst = max(worst, time.perf_counter() - start)
    print(
        f"Subject typing: longest keystroke in the note {worst * 1000:.2f} ms "
        f"({len(subject)} keystrokes x {RUNS})"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    main()
