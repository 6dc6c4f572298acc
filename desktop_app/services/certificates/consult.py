"""The one translator from directories' findings to the one rule's evidence.

Every directory (the configured sources, Exchange's address list, Microsoft Graph, the
demo's folder) says what it found as ``SourceFinding``s; ``evidence_for`` alone turns them
into ``Lookup``s, for the compose window, ``check``, ``seal`` and ``exchange lookup``.
Every published value goes through the core's certificate reader and rules; a value that
is no certificate is skipped, and a CA certificate sent along (a PKCS#7 chain) helps build
chains. Certificates found are kept in the store (source ``directory``, so ``seal`` can
encrypt to them) and reach ``decide`` labelled with the source that published them
(``ldap:<name>``, ``bundle:<name>``, ``directory``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from cryptography import x509

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.core.pki.certificates import (
    fingerprint_sha256,
    is_ca,
    load_certificates,
    spki_sha256,
)
from desktop_app.core.pki.chain_revocation import revocation_at_hand
from desktop_app.core.pki.stored import Source
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.pki.usability import evaluate_for_encryption
from desktop_app.core.recipients.addresses import Mailbox, parse_mailbox
from desktop_app.core.recipients.status import CertificateEvidence, Lookup
from desktop_app.services.certificates.cache import SourceCache
from desktop_app.services.certificates.source import CertificateSource, FindingKind, SourceFinding
from desktop_app.services.certstore.store import CertStore

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PublishedCertificate:
    """A certificate a source published, with where it came from."""

    certificate: x509.Certificate
    attribute: str
    source: str


@dataclass(frozen=True, slots=True)
class ReadValue:
    """One published value as read: its certificates, or why it holds none."""

    attribute: str
    certificates: tuple[x509.Certificate, ...] = ()
    unreadable: str | None = None


@dataclass(slots=True)
class Consulted:
    """What the directories said, per normalised address: findings, the values read from
    them in the order published, the certificates among them, and CA certificates sent
    along (which build chains and are kept, but are nobody's certificate)."""

    findings: dict[str, list[SourceFinding]] = field(default_factory=dict)
    certificates: dict[str, list[PublishedCertificate]] = field(default_factory=dict)
    unreadable: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    values: dict[str, list[ReadValue]] = field(default_factory=dict)
    authorities: dict[str, x509.Certificate] = field(default_factory=dict)

    def add(self, key: str, finding: SourceFinding) -> None:
        """What a directory said about ``key`` (and, for a list, about its members)."""
        said = self.findings.setdefault(key, [])
        if any(earlier.source == finding.source for earlier in said):
            return  # asked directly and as a list's member: one answer per source
        said.append(finding)
        for value in read_published(finding, finding.primary or key):
            self.values.setdefault(key, []).append(value)
            if value.unreadable is not None:
                self.unreadable.setdefault(key, []).append((finding.source, value.attribute))
            for certificate in value.certificates:
                if is_ca(certificate):
                    self.authorities.setdefault(fingerprint_sha256(certificate), certificate)
                    continue
                published = PublishedCertificate(certificate, value.attribute, finding.source)
                self.certificates.setdefault(key, []).append(published)
        for member, member_finding in (finding.member_findings or {}).items():
            self.add(member, member_finding)

    def take(self, other: Consulted) -> None:
        """What ``other`` directories said as well (after what these said)."""
        for key, findings in other.findings.items():
            for finding in findings:
                self.add(key, finding)

    def published(self) -> list[x509.Certificate]:
        """Every certificate published (CAs too), each once: what the store keeps."""
        found = {
            fingerprint_sha256(p.certificate): p.certificate
            for published in self.certificates.values()
            for p in published
        }
        return [*found.values(), *(c for f, c in self.authorities.items() if f not in found)]


def read_published(finding: SourceFinding, address: str) -> list[ReadValue]:
    """Each of a finding's values read, in order: its certificates (a PKCS#7 bundle gives
    several), or why it holds none (naming the value and ``address``)."""
    read: list[ReadValue] = []
    for value in finding.values:
        name = text("exchange_mail.blob_source", attribute=value.attribute, address=address)
        try:
            certificates = load_certificates(value.value, source_name=name)
        except UserFacingError as error:
            read.append(ReadValue(value.attribute, unreadable=error.message))
            continue
        read.append(ReadValue(value.attribute, tuple(certificates)))
    return read


def read_values(finding: SourceFinding) -> tuple[list[PublishedCertificate], list[str]]:
    """The certificates in a finding's values, and the attributes of values that hold none."""
    found: list[PublishedCertificate] = []
    unreadable: list[str] = []
    for value in read_published(finding, finding.primary or finding.source):
        if value.unreadable is not None:
            unreadable.append(value.attribute)
        found += [
            PublishedCertificate(c, value.attribute, finding.source) for c in value.certificates
        ]
    return found, unreadable


def _ask(
    source: CertificateSource,
    cache: SourceCache | None,
    keys: Sequence[str],
    *,
    offline: bool,
) -> dict[str, SourceFinding]:
    if cache is None:  # a source that keeps its own answers (an account's directory)
        return {} if offline else dict(source.lookup(keys))
    answers: dict[str, SourceFinding] = {}
    missing = []
    for key in keys:
        cached = cache.get(key, any_age=offline)
        if cached is not None:
            answers[key] = cached
        elif not offline:
            missing.append(key)
    if missing:
        asked = source.lookup(missing)
        cache.remember(asked.items())
        answers.update(asked)
    return answers


# A source, and the file its answers are kept in (None: the source keeps its own, as the
# account's directory and the demo's folder do).
Asked = tuple[CertificateSource, SourceCache | None]


def consult(
    sources: Sequence[Asked],
    keys: Iterable[str],
    *,
    offline: bool = False,
) -> Consulted:
    """Ask every source, in order, about ``keys``; a list's members come along.
    ``offline``: only kept answers (a source without a cache file is not asked)."""
    wanted = list(dict.fromkeys(keys))
    consulted = Consulted()
    for source, cache in sources:
        for key, finding in _ask(source, cache, wanted, offline=offline).items():
            consulted.add(key, finding)
    return consulted


def keep_in_store(store: CertStore, consulted: Consulted, now: datetime) -> int:
    """Keep every certificate published (source ``directory``); how many were new."""
    published = consulted.published()
    try:
        return store.add_certificates(((c, Source.DIRECTORY) for c in published), now)
    except UserFacingError:
        # One certificate the store cannot take must not cost the others: one by one.
        added = 0
        for certificate in published:
            try:
                added += store.add_certificate(certificate, Source.DIRECTORY, now)
            except UserFacingError:
                log.warning("a directory certificate could not be stored")
        return added


def _members(finding: SourceFinding) -> tuple[Mailbox, ...]:
    members = []
    for address in finding.members:
        try:
            members.append(parse_mailbox(address))
        except UserFacingError:
            continue
    return tuple(members)


# A judged certificate, by (fingerprint, address key, time): a compose window asks again
# on every edit, and chain building costs about a millisecond.
VerdictMemo = dict[tuple[str, str, datetime], CertificateEvidence]


def with_authorities(trust: TrustContext, consulted: Consulted) -> TrustContext:
    """``trust`` plus the CA certificates the directories sent along, as intermediates."""
    extra = [c for c in consulted.authorities.values() if c not in trust.intermediates]
    if not extra:
        return trust
    return replace(trust, intermediates=(*trust.intermediates, *extra))


def _judged(
    published: PublishedCertificate,
    key: str,
    at: datetime,
    trust: TrustContext,
    memo: VerdictMemo,
) -> CertificateEvidence:
    certificate = published.certificate
    fingerprint = fingerprint_sha256(certificate)
    judged = memo.get((fingerprint, key, at))
    if judged is None:
        verdict = evaluate_for_encryption(certificate, key, at, trust)
        judged = CertificateEvidence(
            fingerprint=fingerprint,
            spki=spki_sha256(certificate),
            not_after=certificate.not_valid_after_utc,
            source=published.source,
            verdict=verdict,
            # What the stored CRLs say; ``check`` and ``seal`` fetch the rest.
            revocation=revocation_at_hand(certificate, trust, at) if verdict.usable else None,
        )
        memo[(fingerprint, key, at)] = judged
    return judged if judged.source == published.source else replace(judged, source=published.source)


def evidence_for(
    consulted: Consulted,
    at: datetime,
    trust: TrustContext,
    *,
    memo: VerdictMemo | None = None,
) -> dict[str, Lookup]:
    """The one rule's evidence from what the directories said: labelled certificates
    judged for each address and time, list members (flattened), why an address could
    not be looked up, and that a lookup is still running."""
    trust = with_authorities(trust, consulted)
    memo = {} if memo is None else memo
    lookups: dict[str, Lookup] = {}
    for key, findings in consulted.findings.items():
        candidates: dict[str, CertificateEvidence] = {}
        for published in consulted.certificates.get(key, ()):
            judged = _judged(published, key, at, trust, memo)
            candidates.setdefault(judged.fingerprint, judged)  # the first source names it
        kinds = {f.kind for f in findings}
        lists = [f for f in findings if f.kind is FindingKind.LIST]
        failures = [
            f.failure
            for f in findings
            if f.kind in (FindingKind.UNREACHABLE, FindingKind.UNRESOLVED) and f.failure
        ]
        # A directory that publishes no certificates (Graph) does not make up for one
        # that could not be asked.
        known = any(
            f.kind in (FindingKind.PERSON, FindingKind.LIST) and f.complete for f in findings
        )
        lookup = Lookup(candidates=tuple(candidates.values()))
        if lists:
            lookup = replace(lookup, members=_members(lists[0]), failure=lists[0].incomplete)
        elif failures and not known:
            lookup = replace(lookup, failure=failures[0])
        if FindingKind.PENDING in kinds:
            lookup = replace(lookup, pending=True)
        if lookup != Lookup():
            lookups[key] = lookup
    return lookups


def answered(consulted: Consulted) -> frozenset[str]:
    """Addresses every directory asked answered for in full: a certificate the store keeps
    only because a directory once published it counts there only if still published."""
    return frozenset(
        key
        for key, findings in consulted.findings.items()
        if any(f.kind in (FindingKind.PERSON, FindingKind.LIST) for f in findings)
        and all(f.complete for f in findings)
        and not any(f.kind is FindingKind.UNREACHABLE for f in findings)
    )
