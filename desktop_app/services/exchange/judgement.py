"""Judging what the directory published with the core rules, and the one rule's status.

Each published certificate gets ``evaluate_for_encryption`` for the primary SMTP
address; each address gets ``decide`` over the store's certificates plus the
directory's. A certificate the store holds only because the directory once published
it counts only while the directory still publishes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
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
from desktop_app.core.pki.certstore import CertStore, Source
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.pki.usability import evaluate_for_encryption
from desktop_app.core.recipients.addresses import Mailbox, MailboxKind
from desktop_app.core.recipients.status import (
    CertificateEvidence,
    Draft,
    Evidence,
    Lookup,
    StatusCode,
    decide,
)
from desktop_app.services.exchange.gather import Answer, Expansion, Gathered, mailbox_of
from desktop_app.services.exchange.model import CertificateAttribute, EntryType
from desktop_app.services.exchange.results import (
    UNREADABLE,
    CertificateFinding,
    DirectoryResult,
    RecipientKind,
)
from desktop_app.services.trust_anchors import certificate_judge

BLOB_SOURCE = "The {attribute} value published for {address}"
AMBIGUOUS = "{address} matches more than one entry of the directory; use the full address."
NOT_AN_ADDRESS = "The directory gave “{address}”, which is not an e-mail address."
LIST_COVERED = "Every member ({count}) of the list {address} can read encrypted mail."
LIST_UNCOVERED = "Not every member of the list {address} can read encrypted mail: {names}."
LIST_EMPTY = "The list {address} has no members, so nobody would receive the message."
LIST_TOO_LARGE = (
    "The list {address} has more than {cap} members; they were not all checked, so it "
    "cannot count as covered."
)
LIST_FAILED = "The members of the list {address} could not be read: {failure}"
MORE_NAMES = "and {count} more"
NAMES_SHOWN = 10


@dataclass
class _Published:
    """The parsed values of one entry: findings in order, usable certificates, CAs."""

    readable: list[tuple[CertificateAttribute, x509.Certificate]] = field(default_factory=list)
    findings: list[tuple[CertificateAttribute, x509.Certificate | str]] = field(
        default_factory=list
    )
    authorities: list[x509.Certificate] = field(default_factory=list)


def _parse(answer: Answer) -> _Published:
    published = _Published()
    if answer.resolution is None:
        return published
    for blob in answer.resolution.certificates:
        source = BLOB_SOURCE.format(
            attribute=blob.attribute.value, address=answer.resolution.address
        )
        try:
            certificates = load_certificates(blob.data, source_name=source)
        except UserFacingError as error:
            published.findings.append((blob.attribute, error.message))
            continue
        for certificate in certificates:
            if is_ca(certificate):
                published.authorities.append(certificate)  # a chain sent along in PKCS#7
            else:
                published.readable.append((blob.attribute, certificate))
                published.findings.append((blob.attribute, certificate))
    return published


class Judgement:
    """Judges everything one ``gather`` found, at one time, against one store."""

    def __init__(self, gathered: Gathered, store: CertStore, at: datetime, cap: int) -> None:
        self._gathered = gathered
        self._at = at
        self._cap = cap
        answers = [*gathered.answers, *(m for e in gathered.lists.values() for m in e.members)]
        self._published = {id(answer): _parse(answer) for answer in answers}
        trust = store.trust_context()
        extra = [
            c
            for p in self._published.values()
            for c in p.authorities
            if c not in trust.intermediates
        ]
        self._trust = TrustContext(
            trust.anchors, trust.intermediates + tuple(dict.fromkeys(extra)), trust.crls
        )
        keys = [mailbox.key for answer in answers if (mailbox := self._judged_mailbox(answer))]
        self._stored = certificate_judge(store, at).collect(keys).lookups

    def certificates(self) -> list[x509.Certificate]:
        """Every certificate the directory published (CAs too), to keep in the store."""
        found = []
        for published in self._published.values():
            found += [certificate for _, certificate in published.readable]
            found += published.authorities
        return list(dict.fromkeys(found))

    def _judged_mailbox(self, answer: Answer) -> Mailbox | None:
        """The mailbox the one rule judges: the primary SMTP address when resolved."""
        resolution = answer.resolution
        if resolution is not None and resolution.entry_type is EntryType.MAILBOX:
            return mailbox_of(resolution.address, resolution.name)
        if answer.mailbox is None or answer.mailbox.kind is MailboxKind.EXCHANGE_LEGACY_DN:
            return None
        return answer.mailbox

    def _status(self, mailbox: Mailbox, lookup: Lookup) -> tuple[StatusCode, str]:
        recipient = decide(
            Draft(to=(mailbox,)), Evidence(lookups={mailbox.key: lookup})
        ).recipients[0]
        return recipient.code, recipient.reason

    def results(self) -> tuple[DirectoryResult, ...]:
        return tuple(self._result(answer, top_level=True) for answer in self._gathered.answers)

    def _result(self, answer: Answer, *, top_level: bool) -> DirectoryResult:
        query = answer.query
        if answer.failure is not None:
            reason = text("status.lookup_failed", address=query, failure=answer.failure)
            return DirectoryResult(
                query,
                None,
                RecipientKind.UNRESOLVED,
                StatusCode.UNRESOLVED,
                reason,
                failure=answer.failure,
            )
        resolution = answer.resolution
        if resolution is not None and resolution.entry_type is EntryType.LIST and top_level:
            return self._list(answer, self._gathered.lists[resolution.address.lower()])
        mailbox = self._judged_mailbox(answer)
        if mailbox is None:
            return self._unresolved(answer)
        if resolution is not None and resolution.entry_type is EntryType.MAILBOX:
            return self._mailbox(answer, mailbox)
        if resolution is None and answer.ambiguous:
            reason = AMBIGUOUS.format(address=query)
            return DirectoryResult(
                query, None, RecipientKind.UNRESOLVED, StatusCode.UNRESOLVED, reason
            )
        # Unknown to the directory (or a one-off entry): only the local store can say.
        code, reason = self._status(mailbox, self._stored.get(mailbox.key, Lookup()))
        return DirectoryResult(query, mailbox.address, RecipientKind.EXTERNAL, code, reason)

    def _unresolved(self, answer: Answer) -> DirectoryResult:
        if answer.mailbox is not None and answer.mailbox.kind is MailboxKind.EXCHANGE_LEGACY_DN:
            reason = text("status.unresolved_legacy_dn", address=answer.query)
        elif answer.resolution is not None:
            reason = NOT_AN_ADDRESS.format(address=answer.resolution.address)
        else:
            reason = NOT_AN_ADDRESS.format(address=answer.query)
        return DirectoryResult(
            answer.query, None, RecipientKind.UNRESOLVED, StatusCode.UNRESOLVED, reason
        )

    def _mailbox(self, answer: Answer, mailbox: Mailbox) -> DirectoryResult:
        published = self._published[id(answer)]
        live: dict[str, CertificateEvidence] = {}
        findings = []
        for attribute, item in published.findings:
            if isinstance(item, str):
                findings.append(CertificateFinding(attribute, None, UNREADABLE, item))
                continue
            evidence = self._evidence(item, mailbox.key)
            live.setdefault(evidence.fingerprint, evidence)
            verdict = evidence.verdict
            findings.append(
                CertificateFinding(
                    attribute, evidence.fingerprint, verdict.code.value, verdict.reason
                )
            )
        stored = self._stored.get(mailbox.key, Lookup())
        kept = [
            candidate
            for candidate in stored.candidates
            if candidate.source != Source.DIRECTORY.value or candidate.fingerprint in live
        ]
        known = {candidate.fingerprint for candidate in kept}
        candidates = (*kept, *(e for fp, e in live.items() if fp not in known))
        code, reason = self._status(mailbox, Lookup(candidates=candidates))
        return DirectoryResult(
            answer.query, mailbox.address, RecipientKind.MAILBOX, code, reason, tuple(findings)
        )

    def _evidence(self, certificate: x509.Certificate, key: str) -> CertificateEvidence:
        return CertificateEvidence(
            fingerprint=fingerprint_sha256(certificate),
            spki=spki_sha256(certificate),
            not_after=certificate.not_valid_after_utc,
            source=Source.DIRECTORY.value,
            verdict=evaluate_for_encryption(certificate, key, self._at, self._trust),
        )

    def _list(self, answer: Answer, expansion: Expansion) -> DirectoryResult:
        assert answer.resolution is not None
        address = answer.resolution.address
        members = tuple(self._result(member, top_level=False) for member in expansion.members)
        uncovered = [member for member in members if not member.covered]
        code = uncovered[0].status if uncovered else StatusCode.OK
        if expansion.failure is not None:
            code, reason = (
                StatusCode.UNRESOLVED,
                LIST_FAILED.format(address=address, failure=expansion.failure),
            )
        elif not expansion.complete:
            code, reason = (
                StatusCode.UNRESOLVED,
                LIST_TOO_LARGE.format(address=address, cap=self._cap),
            )
        elif not members:
            code, reason = StatusCode.UNRESOLVED, LIST_EMPTY.format(address=address)
        elif uncovered:
            reason = LIST_UNCOVERED.format(address=address, names=_names(uncovered))
        else:
            reason = LIST_COVERED.format(address=address, count=len(members))
        return DirectoryResult(
            answer.query,
            address,
            RecipientKind.LIST,
            code,
            reason,
            members=members,
            failure=expansion.failure,
        )


def _names(members: Iterable[DirectoryResult]) -> str:
    listed = [f"{member.address or member.query} ({member.status.value})" for member in members]
    if len(listed) > NAMES_SHOWN:
        listed = [*listed[:NAMES_SHOWN], MORE_NAMES.format(count=len(listed) - NAMES_SHOWN)]
    return ", ".join(listed)
