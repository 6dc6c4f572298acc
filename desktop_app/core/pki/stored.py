"""What the certificate store holds, as data: where a certificate came from, a stored
certificate as listed, and a candidate for an address. The store itself is in services;
``CertificateRecords`` is what the core's judge reads from it."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from cryptography import x509

from desktop_app.core.pki.trust import TrustContext


class Source(StrEnum):
    """Where a certificate came from, in increasing strength (see ``CertStore.add_certificate``)."""

    HARVESTED = "harvested"
    DIRECTORY = "directory"
    IMPORTED = "imported"


@dataclass(frozen=True, slots=True)
class StoredCertificate:
    """A stored certificate as listed to the user; ``subject``/``issuer`` are RFC 4514."""

    fingerprint: str
    addresses: tuple[str, ...]
    subject: str
    issuer: str
    serial: int
    not_before: datetime
    not_after: datetime
    source: Source
    first_seen: datetime
    last_seen: datetime
    is_ca: bool


@dataclass(frozen=True, slots=True)
class Candidate:
    """A certificate issued for ``address``: one input to the recipient verdict."""

    address: str
    fingerprint: str
    spki: str
    not_after: datetime
    source: Source
    first_seen: datetime
    last_seen: datetime


class CertificateRecords(Protocol):
    """The reading side of the certificate store, as the judge uses it."""

    def revision(self) -> object:
        """Changes whenever anything in the store changes (in any process)."""
        ...

    def trust_context(self) -> TrustContext: ...

    def candidates(self, address_keys: Iterable[str]) -> Mapping[str, Iterable[Candidate]]: ...

    def certificate(self, fingerprint: str) -> x509.Certificate: ...

    def last_used_spki(self, address_keys: Iterable[str]) -> Mapping[str, str]: ...
