"""The directories a compose window asks, besides the configured sources.

The account's directory (Exchange's address list, or Microsoft Graph) and the demo's
folder are ``CertificateSource``s like the configured LDAP directories and admin bundles:
they answer in the port's words, and ``consult.evidence_for`` alone turns findings into the
one rule's evidence. What an account's directory does besides (X.500 addresses, the send
gate's MailTips warnings) are the small protocols here. ``FolderDirectory`` reads a folder
of ``<address>.pem`` files, which is how the demo plays the directory: an entry may hold a
certificate issued for another address, as real directories sometimes do.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from desktop_app.core.errors import UserFacingError
from desktop_app.core.pki.certificates import load_certificates
from desktop_app.core.pki.stored import Source
from desktop_app.core.recipients.addresses import Mailbox
from desktop_app.core.recipients.normalise import AddressKeyError, address_key
from desktop_app.services.certificates.source import (
    CertificateSource,
    FindingKind,
    PublishedValue,
    SourceFinding,
)

if TYPE_CHECKING:
    from desktop_app.core.notices import Notice
    from desktop_app.core.recipients.status import Draft

log = logging.getLogger(__name__)

DEMO = "demo"  # the label of the demo's folder


@runtime_checkable
class ResolvingDirectory(Protocol):
    """A directory that knows X.500 addresses (the Exchange directory)."""

    def resolve_legacy_dns(self, legacy_dns: Sequence[str]) -> Mapping[str, Mailbox]:
        """The SMTP mailbox of each legacyDN it knows, by ``legacy_dn_key``."""
        ...


class WarningDirectory(Protocol):
    """A directory that warns before sending (MailTips: invalid or external recipients,
    large lists); advisory, so a failure gives no warning."""

    def send_warnings(self, draft: Draft) -> tuple[Notice, ...]: ...


class OrganisationDirectory(CertificateSource, ResolvingDirectory, WarningDirectory, Protocol):
    """The directory of a mail account (Exchange's GAL, Microsoft Graph) for compose
    windows: a certificate source that also knows X.500 addresses and MailTips."""


class PublishedCertificates:
    """Certificates published per address, as a ``CertificateSource`` (the training
    sandbox's directory; the demo's folder below). Each address with certificates is a
    person with only some of what it may publish (``complete`` False); any other address
    is unknown to it."""

    def __init__(self, entries: Mapping[str, tuple[x509.Certificate, ...]], label: str) -> None:
        self._entries = dict(entries)
        self._label = label

    @property
    def label(self) -> str:
        return self._label

    @property
    def warning(self) -> str | None:
        return None

    def published(self) -> Mapping[str, tuple[x509.Certificate, ...]]:
        return self._entries

    def lookup(self, address_keys: Sequence[str]) -> dict[str, SourceFinding]:
        entries = self.published()
        found: dict[str, SourceFinding] = {}
        for key in address_keys:
            published = entries.get(key)
            if published is None:
                found[key] = SourceFinding(FindingKind.UNKNOWN, Source.DIRECTORY.value)
                continue
            values = tuple(
                PublishedValue("certificate", c.public_bytes(Encoding.DER)) for c in published
            )
            found[key] = SourceFinding(
                FindingKind.PERSON, Source.DIRECTORY.value, values, complete=False
            )
        return found

    def test(self) -> None:
        pass

    def close(self) -> None:
        pass


class FolderDirectory(PublishedCertificates):
    """``<address>.pem`` files in one folder, read once: the demo's directory."""

    def __init__(self, folder: Path) -> None:
        super().__init__({}, DEMO)
        self._folder = folder
        self._loaded = False

    def published(self) -> Mapping[str, tuple[x509.Certificate, ...]]:
        if not self._loaded:
            self._entries = self._load()
            self._loaded = True
        return self._entries

    def _load(self) -> dict[str, tuple[x509.Certificate, ...]]:
        entries: dict[str, tuple[x509.Certificate, ...]] = {}
        for path in sorted(self._folder.glob("*.pem")):
            try:
                key = address_key(path.stem)
                entries[key] = load_certificates(path.read_bytes(), source_name=path.name)
            except (AddressKeyError, OSError, UserFacingError):
                log.warning("skipped an unreadable directory entry")
        return entries
