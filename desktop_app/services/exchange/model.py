"""What a directory provides, apart from how (EWS now, Graph later)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from desktop_app.services.mailtips import MailTip


class CertificateAttribute(StrEnum):
    """The directory attribute a certificate was published in (Active Directory names).

    EWS calls them UserSMIMECertificate and MSExchangeCertificate; Outlook publishes to
    userCertificate, other clients and CAs often to userSMIMECertificate.
    """

    USER_SMIME = "userSMIMECertificate"
    USER_CERTIFICATE = "userCertificate"


class EntryType(StrEnum):
    """What a directory entry is (EWS MailboxType, reduced to what matters here)."""

    MAILBOX = "mailbox"  # a user, shared or group mailbox, or a mail contact in the GAL
    LIST = "list"  # a distribution list
    OTHER = "other"  # a one-off address, a public folder: nothing to expand or look up


@dataclass(frozen=True, slots=True)
class CertificateBlob:
    """One value of a certificate attribute, as published: DER, PKCS#7, or anything."""

    attribute: CertificateAttribute
    data: bytes


@dataclass(frozen=True, slots=True)
class Resolution:
    """One directory entry a name resolved to; ``certificates`` only from a lookup."""

    name: str
    address: str
    entry_type: EntryType
    certificates: tuple[CertificateBlob, ...] = ()


class DirectorySource(Protocol):
    """Looks names up in the organisation's directory; safe to call from many threads."""

    def resolve(self, name: str) -> tuple[Resolution, ...]:
        """Entries for one SMTP address or legacyDN, with certificates; () if none."""
        ...

    def expand(self, list_address: str) -> tuple[Resolution, ...]:
        """The direct members of a distribution list (no certificates); () if unknown."""
        ...

    def mail_tips(self, sender: str, recipients: Sequence[str]) -> tuple[MailTip, ...]:
        """MailTips for each recipient, in order."""
        ...
