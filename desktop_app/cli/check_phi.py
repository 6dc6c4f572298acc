"""The PHI part of ``smime-guard check``: --subject, --body-file, --attach, --phi-strict."""

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.core.messages import text
from desktop_app.core.phi.describe import describe, finding_json
from desktop_app.core.phi.findings import SUBJECT
from desktop_app.core.phi.message_scan import PhiReport
from desktop_app.services.attachment_files import AttachmentFile
from desktop_app.services.files import InputFileError, read_input_file
from desktop_app.services.phi_scan import scan_outgoing
from desktop_app.services.policy_files import load_policy


@dataclass(frozen=True)
class PhiCheck:
    report: PhiReport
    protect_headers: bool

    def leaks(self, *, encrypted: bool) -> bool:
        """Whether a detail would travel unencrypted (weak name cues aside): any finding
        of an unencrypted message, a Subject finding when headers are not protected."""
        strong = [f for f in self.report.findings if not f.weak]
        if not encrypted:
            return bool(strong)
        return not self.protect_headers and any(f.where == SUBJECT for f in strong)

    def add_to_json(self, document: dict[str, Any]) -> None:
        document["phi"] = [finding_json(finding) for finding in self.report.findings]
        document["phi_unchecked"] = list(self.report.unchecked)

    def lines(self) -> list[str]:
        """For the readable output: a heading, then one indented line per finding."""
        found = [describe(finding) for finding in self.report.findings]
        found += [text("phi.unchecked", name=name) for name in self.report.unchecked]
        return [text("phi.heading"), *(f"  ! {line}" for line in found)] if found else []


def phi_check(arguments: argparse.Namespace, home: Path) -> PhiCheck:
    """The PHI findings for --subject, --body-file and --attach (none given: none found).

    Raises:
        InputFileError: the body file or an attachment cannot be read (bad input).
    """
    policy = load_policy(home).policy
    body = ""
    if arguments.body_file is not None:
        try:
            body = read_input_file(Path(arguments.body_file)).decode("utf-8")
        except UnicodeDecodeError:
            raise InputFileError(text("file.not_utf8", path=arguments.body_file)) from None
    for name in arguments.attach:
        AttachmentFile.open(Path(name))  # a missing or unreadable file is bad input (exit 2)
    report = scan_outgoing(
        arguments.subject or "", body, [Path(name) for name in arguments.attach], policy
    )
    return PhiCheck(report, policy.protect_headers)
