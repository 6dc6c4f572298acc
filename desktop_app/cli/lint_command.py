"""``smime-guard lint``: interoperability faults of an S/MIME message as sent."""

import argparse
import json
from pathlib import Path

from desktop_app.cli.exit_codes import EXIT_FINDINGS, EXIT_OK
from desktop_app.cli.output import say
from desktop_app.core.smime.lint import lint_message
from desktop_app.services.files import MAX_ATTACHMENT_BYTES, read_input_file


def run_lint(arguments: argparse.Namespace) -> int:
    """Exit 0 when clean, 3 with findings; an unreadable message raises (exit 2)."""
    findings = lint_message(read_input_file(Path(arguments.file), max_bytes=MAX_ATTACHMENT_BYTES))
    if arguments.json:
        listed = [
            {"code": f.code.value, "severity": f.severity.value, "message": f.message}
            for f in findings
        ]
        print(json.dumps({"findings": listed}, ensure_ascii=False, indent=2))
    elif not findings:
        say("cli.lint_clean")
    for finding in findings if not arguments.json else ():
        print(f"{finding.severity.value}: {finding.code.value}: {finding.message}")
    return EXIT_FINDINGS if findings else EXIT_OK
