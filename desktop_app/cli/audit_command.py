"""``smime-guard audit``: check the audit log's chain, export records for a review."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from pathlib import Path

from desktop_app.cli.exit_codes import EXIT_FINDINGS, EXIT_OK

# Only the standard library at the top: ``build_parser`` imports this module on every
# start.


def add_audit_commands(
    subcommands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """The ``audit`` grammar, for ``build_parser``."""
    audit = subcommands.add_parser(
        "audit", help="check the audit log of overrides, or export it for a compliance review"
    )
    actions = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    actions.add_parser(
        "verify",
        help="find edited, removed, added or reordered records",
        epilog="Exit status: 0 intact, 3 tampering or damage found, 2 unreadable.",
    )
    export = actions.add_parser(
        "export", help="write the records (never any message text) as CSV or JSON"
    )
    export.add_argument("--since", metavar="DATE", help="only records from DATE (YYYY-MM-DD, UTC)")
    export.add_argument("--format", choices=("csv", "json"), default="csv")


def _since(value: str | None) -> dt.datetime:
    from desktop_app.core.errors import UserFacingError
    from desktop_app.core.messages import text

    if value is None:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise UserFacingError(text("audit.bad_since", value=value)) from None
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _verify(home: Path) -> int:
    from desktop_app.core.audit_chain import Problem
    from desktop_app.core.messages import text
    from desktop_app.services.audit import AUDIT_FILE_NAME, AuditLog

    report = AuditLog(home / AUDIT_FILE_NAME).verify()
    reasons = {
        Problem.NOT_JSON: "audit.not_json",
        Problem.HASH_WRONG: "audit.hash_wrong",
        Problem.CHAIN_BROKEN: "audit.chain_broken",
    }
    for problem in report.problems:
        if problem.problem is Problem.SEQUENCE_WRONG:
            reason = text("audit.sequence_wrong", found=problem.found, expected=problem.expected)
        else:
            reason = text(reasons[problem.problem])
        print(text("audit.problem", line=problem.line, reason=reason))
    if not report.intact:
        return EXIT_FINDINGS
    if report.records == 0 and report.legacy_lines == 0:
        print(text("audit.empty"))
    else:
        print(text("audit.verified", count=report.records + report.legacy_lines))
        print(f"head: {report.head.prev}")
    return EXIT_OK


def _export(home: Path, since: dt.datetime, form: str) -> int:
    from desktop_app.services.audit import AUDIT_FILE_NAME, EXPORT_FIELDS, AuditLog, export_records

    records = export_records(AuditLog(home / AUDIT_FILE_NAME).entries(), since)
    if form == "json":
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return EXIT_OK
    writer = csv.DictWriter(sys.stdout, fieldnames=EXPORT_FIELDS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow(
            {
                name: "; ".join(map(str, value)) if isinstance(value, list) else value
                for name, value in record.items()
            }
        )
    return EXIT_OK


def run_audit(arguments: argparse.Namespace, home: Path) -> int:
    """Run ``audit verify`` or ``audit export``.

    Raises:
        UserFacingError: a --since that is not a date.
        OSError: the log cannot be read (reported by the caller as exit 2).
    """
    if arguments.audit_command == "verify":
        return _verify(home)
    return _export(home, _since(arguments.since), arguments.format)
