"""What ``smime-guard lint`` reports: finding codes, severities, messages, and its error."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from desktop_app.core.errors import UserFacingError

# User-facing strings of the lint (to be moved into core/messages.py).
MSG_UNREADABLE: Final = "The message cannot be read as MIME: {reason}"
MSG_NOT_MIME: Final = "The file is not a mail message: it has no header fields."
MSG_LEGACY_CONTENT_TYPE: Final = (
    "The S/MIME part uses the legacy type {legacy}; current clients expect {current}."
)
MSG_MISSING_SMIME_TYPE: Final = (
    "The S/MIME part has no smime-type parameter, so some clients cannot tell an "
    "encrypted message from a signed one."
)
MSG_MISSING_NAME: Final = (
    'The S/MIME part has no name parameter (name="{expected}"); Outlook may show it as an '
    "unknown attachment."
)
MSG_CMS_NOT_BASE64: Final = (
    "The S/MIME part is sent as {encoding} instead of base64; mail relays may damage it."
)
MSG_CMS_UNREADABLE: Final = "An S/MIME part of the message is damaged or not valid CMS."
MSG_PLAINTEXT_BESIDE_ENVELOPE: Final = (
    "The message has a part ({content_type}) outside the encrypted envelope: it travels "
    "unencrypted, and clients may show it instead of the encrypted content."
)
MSG_ATTACHMENT_WITHOUT_NAME: Final = (
    "An attachment ({content_type}) has no file name; recipients see a made-up name."
)
MSG_DUPLICATE_ATTACHMENT_NAME: Final = (
    "{count} attachments are named “{name}”; some clients show or save only one of them."
)
MSG_BARE_LF: Final = (
    "The message has line ends without a carriage return (LF only); signatures over such "
    "text fail in some clients, and relays rewrite them."
)
MSG_BCC_HEADER: Final = (
    "The message carries a Bcc header: every recipient can see the blind-copy addresses."
)
MSG_WEAK_CIPHER: Final = (
    "The message is encrypted with {algorithm}, which is obsolete; use AES-256 or AES-128."
)
MSG_WEAK_DIGEST: Final = "The signature uses the broken hash {algorithm}; use SHA-256 or stronger."
MSG_WEAK_KEY: Final = (
    "The certificate of {subject} carried in the message has a {bits}-bit RSA key; at "
    "least 2048 bits are needed."
)


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
