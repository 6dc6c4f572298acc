"""The directories a compose window asks, and what they say: ``SourceFinding``s only.

The account's directory (Exchange's address list, or Microsoft Graph), the configured
sources (LDAP, admin bundles) and the demo's folder all answer in the port's words;
``consult.evidence_for`` alone turns findings into the one rule's evidence.
``FolderDirectory`` reads a folder of ``<address>.pem`` files, which is how the demo plays
the directory: an entry may hold a certificate issued for another address, as real
directories sometimes do.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from desktop_app.core.errors import UserFacingError
from desktop_app.core.pki.certificates import load_certificates
from desktop_app.core.pki.stored import Source
from desktop_app.core.recipients.addresses import Mailbox
from desktop_app.core.recipients.normalise import AddressKeyError, address_key
from desktop_app.services.certificates.source import FindingKind, PublishedValue, SourceFinding

if TYPE_CHECKING:
    from desktop_app.core.notices import Notice
    from desktop_app.core.recipients.status import Draft, Lookup

log = logging.getLogger(__name__)

# What a directory found: (normalised address, finding) pairs; a list's finding carries
# its members' findings.
Found = Sequence[tuple[str, SourceFinding]]


class Directory(Protocol):
    """Publishes certificates for some addresses, and says nothing else."""

    def certificates(
        self, address_keys: Sequence[str]
    ) -> Mapping[str, tuple[x509.Certificate, ...]]:
        """Certificates published for each normalised address; absent keys have none."""
        ...


@runtime_checkable
class FindingDirectory(Protocol):
    """A directory that answers in the port's words (lists, failures, certificates)."""

    def findings(self, address_keys: Sequence[str]) -> Found:
        """A finding for each normalised address it can speak of, and its lists' members."""
        ...


@runtime_checkable
class ResolvingDirectory(Protocol):
    """A directory that knows X.500 addresses (the Exchange directory)."""

    def resolve_legacy_dns(self, legacy_dns: Sequence[str]) -> Mapping[str, Mailbox]:
        """The SMTP mailbox of each legacyDN it knows, by ``legacy_dn_key``."""
        ...


class OrganisationDirectory(FindingDirectory, ResolvingDirectory, Protocol):
    """The directory of a mail account (Exchange's GAL, Microsoft Graph) for compose
    windows: findings, X.500 addresses, the send gate's MailTips warnings."""

    def send_warnings(self, draft: Draft) -> tuple[Notice, ...]: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class DirectoryFindings:
    """The draft with X.500 recipients resolved, and the evidence the directory adds
    (see ``core.recipients.evidence.with_directory``)."""

    draft: Draft
    lookups: dict[str, Lookup]


class PublishedDirectory:
    """A directory that only publishes certificates, in the port's words: each address
    it has certificates for is a person, with only some of what it may publish."""

    def __init__(self, directory: Directory) -> None:
        self._directory = directory

    def findings(self, address_keys: Sequence[str]) -> Found:
        published = self._directory.certificates(address_keys)
        return [
            (
                key,
                SourceFinding(
                    FindingKind.PERSON,
                    Source.DIRECTORY.value,
                    tuple(
                        PublishedValue("certificate", c.public_bytes(Encoding.DER)) for c in found
                    ),
                    complete=False,
                ),
            )
            for key, found in published.items()
        ]


class FolderDirectory:
    """``<address>.pem`` files in one folder, read once."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._entries: dict[str, tuple[x509.Certificate, ...]] | None = None

    def _load(self) -> dict[str, tuple[x509.Certificate, ...]]:
        entries: dict[str, tuple[x509.Certificate, ...]] = {}
        for path in sorted(self._folder.glob("*.pem")):
            try:
                key = address_key(path.stem)
                entries[key] = load_certificates(path.read_bytes(), source_name=path.name)
            except (AddressKeyError, OSError, UserFacingError):
                log.warning("skipped an unreadable directory entry")
        return entries

    def certificates(
        self, address_keys: Sequence[str]
    ) -> Mapping[str, tuple[x509.Certificate, ...]]:
        if self._entries is None:
            self._entries = self._load()
        return {key: self._entries[key] for key in address_keys if key in self._entries}
