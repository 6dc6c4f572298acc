"""Certificate directories: where certificates for an address can be looked up by name.

The Exchange directory (GAL) comes with the Exchange source. ``FolderDirectory`` reads a
folder of ``<address>.pem`` files, which is how the demo plays the directory: an entry
may hold a certificate issued for another address, as real directories sometimes do.
"""

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from cryptography import x509

from desktop_app.core.errors import UserFacingError
from desktop_app.core.pki.certificates import load_certificates
from desktop_app.core.recipients.addresses import Mailbox
from desktop_app.core.recipients.normalise import AddressKeyError, address_key

if TYPE_CHECKING:
    from desktop_app.core.notices import Notice
    from desktop_app.core.recipients.status import Draft

log = logging.getLogger(__name__)


class Directory(Protocol):
    """Looks up the certificates published for addresses."""

    def certificates(
        self, address_keys: Sequence[str]
    ) -> Mapping[str, tuple[x509.Certificate, ...]]:
        """Certificates published for each normalised address; absent keys have none."""
        ...


@dataclass(frozen=True, slots=True)
class DirectoryAnswer:
    """What a directory said about one address besides "here are its certificates".

    ``members``: the address is a distribution list with these members (flattened);
    ``failure``: why the lookup failed; ``current``: the directory answered for the
    address just now, so a certificate the store holds only because the directory once
    published it counts only if it is among ``certificates``.
    """

    certificates: tuple[x509.Certificate, ...] = ()
    members: tuple[Mailbox, ...] | None = None
    failure: str | None = None
    current: bool = False
    # Which source published each certificate (fingerprint, "ldap:<name>"...), when known.
    labels: tuple[tuple[str, str], ...] = ()


@runtime_checkable
class AnsweringDirectory(Protocol):
    """A directory that also knows lists and can fail (the Exchange directory)."""

    def answers(self, address_keys: Sequence[str]) -> Mapping[str, DirectoryAnswer]:
        """An answer for each normalised address it knows, and for its lists' members."""
        ...


@runtime_checkable
class ResolvingDirectory(Protocol):
    """A directory that knows X.500 addresses (the Exchange directory)."""

    def resolve_legacy_dns(self, legacy_dns: Sequence[str]) -> Mapping[str, Mailbox]:
        """The SMTP mailbox of each legacyDN it knows, by ``legacy_dn_key``."""
        ...


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


class OrganisationDirectory(AnsweringDirectory, ResolvingDirectory, Protocol):
    """The directory of a mail account (Exchange's GAL, Microsoft Graph) for compose
    windows: answers, X.500 addresses, the send gate's MailTips warnings."""

    def certificates(
        self, address_keys: Sequence[str]
    ) -> Mapping[str, tuple[x509.Certificate, ...]]: ...

    def send_warnings(self, draft: "Draft") -> "tuple[Notice, ...]": ...

    def close(self) -> None: ...
