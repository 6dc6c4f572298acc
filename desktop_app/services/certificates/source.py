"""The ``CertificateSource`` port: what a directory says about addresses, as evidence only.

A source never judges: it reports the certificates it holds for an address (with the
attribute they came from and its own label), the members of a list, the primary address
an alias resolves to, or that it does not know the address or could not be asked. Every
directory says what it found in these words (the LDAP directories and admin bundles,
Exchange's address list, Microsoft Graph, the demo's folder); ``consult.evidence_for``
alone turns findings into the one rule's evidence, and ``decide`` runs at the callers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class FindingKind(StrEnum):
    """What a source says an address is."""

    PERSON = "mailbox"  # known; its certificates (possibly none) are ``certificates``
    LIST = "list"  # a list; ``members`` are its members, flattened
    UNKNOWN = "external"  # the source does not know the address
    UNRESOLVED = "unresolved"  # known, but not as one address (``failure`` says why)
    UNREACHABLE = "unreachable"  # the source could not be asked; ``failure`` says why
    PENDING = "pending"  # still being asked (the window's background lookup)


@dataclass(frozen=True, slots=True)
class PublishedValue:
    """One attribute value as published: DER bytes of a certificate or a PKCS#7 bundle,
    or anything else a directory may hold (the rules read it, and skip what is not)."""

    attribute: str
    value: bytes


@dataclass(frozen=True, slots=True)
class SourceFinding:
    """A source's evidence about one address (the normalised key it was asked for)."""

    kind: FindingKind
    source: str  # "ldap:<name>", "bundle:<name>", "directory" (Exchange, the demo), "graph"
    values: tuple[PublishedValue, ...] = ()
    members: tuple[str, ...] = ()  # addresses of a list's members
    member_findings: Mapping[str, SourceFinding] | None = None
    primary: str | None = None  # the primary address, when the key was an alias
    failure: str | None = None
    incomplete: str | None = None  # a list cut at the member cap or with unreadable members
    name: str = ""  # the display name the source gives the address
    # The values are all the source publishes for the address, so a certificate the store
    # keeps only because a directory once published it no longer counts when absent.
    # False for a directory that publishes no certificates (Graph) or only some (a folder).
    complete: bool = True


class CertificateSource(Protocol):
    """A directory of certificates; ``label`` names it: ``ldap:<name>`` or
    ``bundle:<name>`` (configured), ``exchange`` or ``graph`` (the account's directory),
    ``demo`` (the demo's folder). ``consult`` asks an ordered list of them."""

    @property
    def label(self) -> str: ...

    def lookup(self, address_keys: Sequence[str]) -> Mapping[str, SourceFinding]:
        """A finding for every key asked, in one batch; never raises for a server fault
        (the finding is ``UNREACHABLE`` with the reason)."""
        ...

    @property
    def warning(self) -> str | None:
        """What the user must know about the source itself (a refused bundle), if anything."""
        ...

    def test(self) -> None:
        """Prove the source can be used now; raises a UserFacingError saying why not."""
        ...

    def close(self) -> None: ...
