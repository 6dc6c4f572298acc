"""What ``smime-guard lint`` reports: finding codes, severities, messages, and its error."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from desktop_app.core.errors import UserFacingError


class Severity(StrEnum):
    """ERROR: a recipient may be unable to open the message, or something leaks.
    WARNING: works in most clients, but not all."""

    ERROR = "error"
    WARNING = "warning"


class FindingCode(StrEnum):
    LEGACY_CONTENT_TYPE = "legacy_content_type"
    MISSING_SMIME_TYPE = "missing_smime_type"
    MISSING_NAME = "missing_name"
    CMS_NOT_BASE64 = "cms_not_base64"
    CMS_UNREADABLE = "cms_unreadable"
    PLAINTEXT_BESIDE_ENVELOPE = "plaintext_beside_envelope"
    ATTACHMENT_WITHOUT_NAME = "attachment_without_name"
    DUPLICATE_ATTACHMENT_NAME = "duplicate_attachment_name"
    BARE_LF = "bare_lf"
    BCC_HEADER = "bcc_header"
    WEAK_CIPHER = "weak_cipher"
    WEAK_DIGEST = "weak_digest"
    WEAK_KEY = "weak_key"
    DUPLICATE_HEADER = "duplicate_header"


SEVERITIES: Final = {
    FindingCode.LEGACY_CONTENT_TYPE: Severity.WARNING,
    FindingCode.MISSING_SMIME_TYPE: Severity.WARNING,
    FindingCode.MISSING_NAME: Severity.WARNING,
    FindingCode.CMS_NOT_BASE64: Severity.ERROR,
    FindingCode.CMS_UNREADABLE: Severity.ERROR,
    FindingCode.PLAINTEXT_BESIDE_ENVELOPE: Severity.ERROR,
    FindingCode.ATTACHMENT_WITHOUT_NAME: Severity.WARNING,
    FindingCode.DUPLICATE_ATTACHMENT_NAME: Severity.WARNING,
    FindingCode.BARE_LF: Severity.WARNING,
    FindingCode.BCC_HEADER: Severity.ERROR,
    FindingCode.WEAK_CIPHER: Severity.ERROR,
    FindingCode.WEAK_DIGEST: Severity.ERROR,
    FindingCode.WEAK_KEY: Severity.ERROR,
    FindingCode.DUPLICATE_HEADER: Severity.ERROR,
}


@dataclass(frozen=True)
class LintFinding:
    """One interoperability fault."""

    code: FindingCode
    severity: Severity
    message: str


def finding(code: FindingCode, message: str) -> LintFinding:
    """A finding with the code's severity."""
    return LintFinding(code, SEVERITIES[code], message)


class LintError(UserFacingError):
    """The message could not be read at all, so it could not be checked."""
