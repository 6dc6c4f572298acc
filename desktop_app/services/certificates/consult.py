"""The one translator from certificate sources' findings to the one rule's evidence.

Every published value goes through the core's certificate reader and rules; a value that
is no certificate is skipped. Certificates found are kept in the store (source
``directory``, so ``seal`` can encrypt to them) and reach ``decide()`` labelled with
the source that published them (``ldap:<name>``, ``bundle:<name>``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from cryptography import x509

from desktop_app.core.errors import UserFacingError
from desktop_app.core.pki.certificates import fingerprint_sha256, load_certificates, spki_sha256
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


@dataclass(slots=True)
class Consulted:
    """What the sources said, per normalised address: findings (for ``directory lookup``)
    and the certificates read from them."""

    findings: dict[str, list[SourceFinding]] = field(default_factory=dict)
    certificates: dict[str, list[PublishedCertificate]] = field(default_factory=dict)
    unreadable: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def read_values(finding: SourceFinding) -> tuple[list[PublishedCertificate], list[str]]:
    """The certificates in a finding's values (a PKCS#7 bundle gives several), and the
    attributes of values that hold none."""
    found: list[PublishedCertificate] = []
    unreadable: list[str] = []
    for value in finding.values:
        try:
            certificates = load_certificates(value.value, source_name=finding.source)
        except UserFacingError:
            unreadable.append(value.attribute)
            continue
        found += [PublishedCertificate(c, value.attribute, finding.source) for c in certificates]
    return found, unreadable


def _ask(
    source: CertificateSource,
    cache: SourceCache,
    keys: Sequence[str],
    *,
    offline: bool,
) -> dict[str, SourceFinding]:
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


def consult(
    sources: Sequence[tuple[CertificateSource, SourceCache]],
    keys: Iterable[str],
    *,
    offline: bool = False,
) -> Consulted:
    """Ask every source (admin's first) about ``keys``; a list's members come along."""
    wanted = list(dict.fromkeys(keys))
    consulted = Consulted()
    for source, cache in sources:
        for key, finding in _ask(source, cache, wanted, offline=offline).items():
            _take(consulted, key, finding)
    return consulted


def _take(consulted: Consulted, key: str, finding: SourceFinding) -> None:
    said = consulted.findings.setdefault(key, [])
    if any(earlier.source == finding.source for earlier in said):
        return  # asked directly and as a list's member: one answer per source
    said.append(finding)
    certificates, unreadable = read_values(finding)
    if certificates:
        consulted.certificates.setdefault(key, []).extend(certificates)
    if unreadable:
        consulted.unreadable.setdefault(key, []).extend((finding.source, a) for a in unreadable)
    for member, member_finding in (finding.member_findings or {}).items():
        _take(consulted, member, member_finding)


def keep_in_store(store: CertStore, consulted: Consulted, now: datetime) -> None:
    published = {
        fingerprint_sha256(p.certificate): p.certificate
        for found in consulted.certificates.values()
        for p in found
    }
    try:
        store.add_certificates(((c, Source.DIRECTORY) for c in published.values()), now)
    except UserFacingError:
        for certificate in published.values():
            try:
                store.add_certificate(certificate, Source.DIRECTORY, now)
            except UserFacingError:
                log.warning("a directory certificate could not be stored")


def _members(finding: SourceFinding) -> tuple[Mailbox, ...]:
    members = []
    for address in finding.members:
        try:
            members.append(parse_mailbox(address))
        except UserFacingError:
            continue
    return tuple(members)


def evidence_for(consulted: Consulted, at: datetime, trust: TrustContext) -> dict[str, Lookup]:
    """The one rule's evidence from the sources: labelled certificates judged for each
    address and time, list members, and why a source could not be asked."""
    lookups: dict[str, Lookup] = {}
    for key, findings in consulted.findings.items():
        candidates: dict[str, CertificateEvidence] = {}
        for published in consulted.certificates.get(key, ()):
            certificate = published.certificate
            fingerprint = fingerprint_sha256(certificate)
            if fingerprint in candidates:
                continue  # the first source that published it names it
            candidates[fingerprint] = CertificateEvidence(
                fingerprint=fingerprint,
                spki=spki_sha256(certificate),
                not_after=certificate.not_valid_after_utc,
                source=published.source,
                verdict=evaluate_for_encryption(certificate, key, at, trust),
            )
        lists = [f for f in findings if f.kind is FindingKind.LIST]
        failures = [f.failure for f in findings if f.kind is FindingKind.UNREACHABLE and f.failure]
        known = any(f.kind in (FindingKind.PERSON, FindingKind.LIST) for f in findings)
        lookup = Lookup(candidates=tuple(candidates.values()))
        if lists:
            lookup = replace(lookup, members=_members(lists[0]), failure=lists[0].incomplete)
        elif failures and not known:
            lookup = replace(lookup, failure=failures[0])
        if lookup != Lookup():
            lookups[key] = lookup
    return lookups


def merge_lookups(first: Mapping[str, Lookup], second: Mapping[str, Lookup]) -> dict[str, Lookup]:
    """Two directories' evidence for the same draft (Exchange's, then the sources')."""
    merged = dict(first)
    for key, lookup in second.items():
        known = merged.get(key)
        if known is None:
            merged[key] = lookup
            continue
        seen = {c.fingerprint for c in known.candidates}
        merged[key] = Lookup(
            candidates=known.candidates
            + tuple(c for c in lookup.candidates if c.fingerprint not in seen),
            pending=known.pending or lookup.pending,
            failure=known.failure if known.failure is not None else lookup.failure,
            members=known.members if known.members is not None else lookup.members,
        )
    return merged
