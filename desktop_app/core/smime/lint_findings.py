"""What ``smime-guard lint`` reports: finding codes, severities, messages, and its error."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import MESSAGES

# lint.py and lint_cms.py still format these templates themselves; new code uses
# text("lint.…") instead.
MSG_UNREADABLE: Final = MESSAGES["lint.unreadable"]
MSG_NOT_MIME: Final = MESSAGES["lint.not_mime"]
MSG_LEGACY_CONTENT_TYPE: Final = MESSAGES["lint.legacy_content_type"]
MSG_MISSING_SMIME_TYPE: Final = MESSAGES["lint.missing_smime_type"]
MSG_MISSING_NAME: Final = MESSAGES["lint.missing_name"]
MSG_CMS_NOT_BASE64: Final = MESSAGES["lint.cms_not_base64"]
MSG_CMS_UNREADABLE: Final = MESSAGES["lint.cms_unreadable"]
MSG_PLAINTEXT_BESIDE_ENVELOPE: Final = MESSAGES["lint.plaintext_beside_envelope"]
MSG_ATTACHMENT_WITHOUT_NAME: Final = MESSAGES["lint.attachment_without_name"]
MSG_DUPLICATE_ATTACHMENT_NAME: Final = MESSAGES["lint.duplicate_attachment_name"]
MSG_BARE_LF: Final = MESSAGES["lint.bare_lf"]
MSG_BCC_HEADER: Final = MESSAGES["lint.bcc_header"]
MSG_WEAK_CIPHER: Final = MESSAGES["lint.weak_cipher"]
MSG_WEAK_DIGEST: Final = MESSAGES["lint.weak_digest"]
MSG_WEAK_KEY: Final = MESSAGES["lint.weak_key"]


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
}


@dataclass(frozen=True)
class Finding:
    """One interoperability fault."""

    code: FindingCode
    severity: Severity
    message: str


def finding(code: FindingCode, message: str) -> Finding:
    """A finding with the code's severity."""
    return Finding(code, SEVERITIES[code], message)


class LintError(UserFacingError):
    """The message could not be read at all, so it could not be checked."""
