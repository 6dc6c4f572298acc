"""Judging what the directory published with the core rules, and the one rule's status.

Each published certificate gets ``evaluate_for_encryption`` for the primary SMTP
address; each address gets ``decide`` over the store's certificates plus the
directory's. A list is judged by ``decide`` too, over its members' evidence: there is
one rule for "covered", and this module only gathers what it needs. A certificate the
store holds only because the directory once published it counts only while the
directory still publishes it.
"""

from __future__ import annotations

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
from desktop_app.core.pki.chain_revocation import revocation_at_hand
from desktop_app.core.pki.stored import Source
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.pki.usability import evaluate_for_encryption
from desktop_app.core.recipients.addresses import Mailbox, MailboxKind
from desktop_app.core.recipients.status import (
    CertificateEvidence,
    Draft,
    Evidence,
    Lookup,
    RecipientStatus,
    decide,
)
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.exchange.gather import Answer, Expansion, Gathered, mailbox_of
from desktop_app.services.exchange.model import CertificateAttribute, EntryType
from desktop_app.services.exchange.results import (
    UNREADABLE,
    CertificateFinding,
    DirectoryResult,
    RecipientKind,
)
from desktop_app.services.trust_anchors import certificate_judge

# The key of a stand-in for an entry that has no address to judge by: it cannot
# collide with a normalised address (those have no spaces).
_STAND_IN_KEY = "no address {index} {query}"


@dataclass
class _Published:
    """The parsed values of one entry: findings in order, usable certificates, CAs."""

    readable: list[tuple[CertificateAttribute, x509.Certificate]] = field(default_factory=list)
    findings: list[tuple[CertificateAttribute, x509.Certificate | str]] = field(
        default_factory=list
    )
    authorities: list[x509.Certificate] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Judged:
    """One result with what the one rule judged it on: a mailbox and its evidence."""

    result: DirectoryResult
    mailbox: Mailbox
    lookup: Lookup


def _parse(answer: Answer) -> _Published:
    published = _Published()
    if answer.resolution is None:
        return published
    for blob in answer.resolution.certificates:
        source = text(
            "exchange_mail.blob_source",
            attribute=blob.attribute.value,
            address=answer.resolution.address,
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


def _one(mailbox: Mailbox, evidence: Evidence) -> RecipientStatus:
    """The one rule's status of ``mailbox`` as the only recipient of a draft."""
    return decide(Draft(to=(mailbox,)), evidence).recipients[0]


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

    def results(self) -> tuple[DirectoryResult, ...]:
        return tuple(
            self._judge(answer, 0, top_level=True).result for answer in self._gathered.answers
        )

    def _judge(self, answer: Answer, index: int, *, top_level: bool) -> _Judged:
        """``index``: the answer's place among its siblings, for a stand-in's key."""
        query = answer.query
        # What is judged when there is no address to judge: the X.500 address as asked
        # (the rule calls it unresolved), else a stand-in that carries the reason.
        asked = answer.mailbox or Mailbox(query, _STAND_IN_KEY.format(index=index, query=query))
        if answer.failure is not None:
            # As an internet address, so the rule gives the failure, not "X.500".
            failed = Mailbox(asked.address, asked.key, asked.display_name)
            lookup = Lookup(failure=answer.failure)
            return self._decided(answer, RecipientKind.UNRESOLVED, failed, lookup)
        resolution = answer.resolution
        if resolution is not None and resolution.entry_type is EntryType.LIST and top_level:
            return self._list(answer, asked, self._gathered.lists[resolution.address.lower()])
        mailbox = self._judged_mailbox(answer)
        if mailbox is None:
            return self._unresolved(answer, asked)
        if resolution is not None and resolution.entry_type is EntryType.MAILBOX:
            return self._mailbox(answer, mailbox)
        if resolution is None and answer.ambiguous:
            why = text("exchange_mail.ambiguous", address=query)
            return self._decided(answer, RecipientKind.UNRESOLVED, asked, Lookup(failure=why))
        # Unknown to the directory (or a one-off entry): only the local store can say.
        stored = self._stored.get(mailbox.key, Lookup())
        return self._decided(answer, RecipientKind.EXTERNAL, mailbox, stored, mailbox.address)

    def _decided(
        self,
        answer: Answer,
        kind: RecipientKind,
        mailbox: Mailbox,
        lookup: Lookup,
        address: str | None = None,
        findings: tuple[CertificateFinding, ...] = (),
    ) -> _Judged:
        status = _one(mailbox, Evidence(lookups={mailbox.key: lookup}))
        result = DirectoryResult(
            answer.query,
            address,
            kind,
            status.code,
            status.reason,
            findings,
            failure=answer.failure,
            name=mailbox.display_name if kind is RecipientKind.MAILBOX else "",
        )
        return _Judged(result, mailbox, lookup)

    def _unresolved(self, answer: Answer, asked: Mailbox) -> _Judged:
        if asked.kind is MailboxKind.EXCHANGE_LEGACY_DN:
            lookup = Lookup()  # the rule itself says why an X.500 address is not covered
        else:
            shown = answer.resolution.address if answer.resolution is not None else answer.query
            lookup = Lookup(failure=text("exchange_mail.not_an_address", address=shown))
        return self._decided(answer, RecipientKind.UNRESOLVED, asked, lookup)

    def _mailbox(self, answer: Answer, mailbox: Mailbox) -> _Judged:
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
        lookup = Lookup(candidates=(*kept, *(e for fp, e in live.items() if fp not in known)))
        return self._decided(
            answer, RecipientKind.MAILBOX, mailbox, lookup, mailbox.address, tuple(findings)
        )

    def _evidence(self, certificate: x509.Certificate, key: str) -> CertificateEvidence:
        verdict = evaluate_for_encryption(certificate, key, self._at, self._trust)
        return CertificateEvidence(
            fingerprint=fingerprint_sha256(certificate),
            spki=spki_sha256(certificate),
            not_after=certificate.not_valid_after_utc,
            source=Source.DIRECTORY.value,
            verdict=verdict,
            # What the stored CRLs say; ``check`` and ``seal`` fetch the rest.
            revocation=(
                revocation_at_hand(certificate, self._trust, self._at) if verdict.usable else None
            ),
        )

    def _list(self, answer: Answer, asked: Mailbox, expansion: Expansion) -> _Judged:
        """The list as one recipient whose lookup names its members: ``decide`` judges it
        by its members' evidence, exactly as it does in a draft."""
        assert answer.resolution is not None
        address = answer.resolution.address
        members = [
            self._judge(member, index, top_level=False)
            for index, member in enumerate(expansion.members)
        ]
        failure = None
        if expansion.failure is not None:
            failure = text("exchange_mail.list_failed", address=address, failure=expansion.failure)
        elif not expansion.complete:
            failure = text("exchange_mail.list_too_large", address=address, cap=self._cap)
        listed = mailbox_of(address, answer.resolution.name) or asked
        lookups = {member.mailbox.key: member.lookup for member in members}
        lookup = Lookup(members=tuple(member.mailbox for member in members), failure=failure)
        lookups[listed.key] = lookup
        status = _one(listed, Evidence(lookups=lookups))
        result = DirectoryResult(
            answer.query,
            address,
            RecipientKind.LIST,
            status.code,
            status.reason,
            members=tuple(member.result for member in members),
            failure=expansion.failure,
            name=answer.resolution.name,
        )
        return _Judged(result, listed, lookup)
