"""``smime-guard --self-test``: check that this installed copy works, one line per check."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from desktop_app.cli.exit_codes import EXIT_FAILURE, EXIT_OK
from desktop_app.core.messages import text
from desktop_app.services.paths import resource_folder
from desktop_app.services.selftest import (
    CheckResult,
    SelfTestSettings,
    default_checks,
    run_checks,
)


def _reporter(stream: TextIO) -> Callable[[CheckResult], None]:
    def report(result: CheckResult) -> None:
        mark = text("selftest.mark_passed" if result.passed else "selftest.mark_failed")
        line = text("selftest.line", mark=mark, name=result.name, detail=result.detail)
        print(line, file=stream, flush=True)

    return report


def run_self_test(
    arguments: argparse.Namespace,
    home: Path,
    *,
    settings: SelfTestSettings | None = None,
    stream: TextIO | None = None,
) -> int:
    """Run every check and report each; 0 only if all of them passed."""
    del arguments  # the checks take no options; the signature matches the other commands
    out = stream or sys.stdout
    settings = settings or SelfTestSettings(resources=resource_folder(), home=home)
    results = run_checks(default_checks(settings), _reporter(out))
    failed = [result.name for result in results if not result.passed]
    if failed:
        print(text("selftest.failed", names=", ".join(failed)), file=out)
        return EXIT_FAILURE
    print(text("selftest.passed", count=len(results)), file=out)
    return EXIT_OK
