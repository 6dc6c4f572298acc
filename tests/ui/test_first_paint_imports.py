"""What the app has imported when its main window first paints: no certificate, CMS,
keyring or Exchange code, whose imports would delay the window (README, "The window")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Starts the app as ``--measure-startup`` does and notes the modules loaded at the moment
# it reports the first paint (the report is printed from the first paint's handler).
PROBE = """
import json, sys
from desktop_app.app.main import main

report_path = sys.argv[1]


class Watch:
    def __init__(self, out):
        self.out = out

    def write(self, data):
        if "first_paint_ms" in data:
            with open(report_path, "w") as report:
                json.dump(sorted(sys.modules), report)
        return self.out.write(data)

    def flush(self):
        self.out.flush()


sys.stdout = Watch(sys.stdout)
sys.exit(main(sys.argv[2:]))
"""
NOT_BEFORE_THE_FIRST_PAINT = ("cryptography", "asn1crypto", "keyring", "exchangelib")


def test_the_main_window_paints_before_certificate_and_keyring_code_is_imported(
    tmp_path: Path,
) -> None:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    report = tmp_path / "modules.json"
    arguments = ["--demo", "--home", str(tmp_path / "demo"), "--measure-startup"]
    for _ in range(2):  # the second run finds the demo home built, as a user's start does
        subprocess.run(
            [sys.executable, "-c", PROBE, str(report), *arguments],
            env=environment,
            capture_output=True,
            timeout=60,
            check=True,
        )
    modules = json.loads(report.read_text())
    loaded = [name for name in modules if name.split(".")[0] in NOT_BEFORE_THE_FIRST_PAINT]
    assert loaded == []
