"""Gathering the evidence for the one rule: stored certificates judged for an address and time."""

from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from datetime import datetime

from cryptography import x509

from desktop_app.core.pki.chain_revocation import revocation_at_hand
from desktop_app.core.pki.revocation import RevocationAnswer, SignatureMemo
from desktop_app.core.pki.stored import Candidate, CertificateRecords, Source
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.pki.usability import evaluate_for_encryption
from desktop_app.core.recipients.status import (
    CertificateEvidence,
    Draft,
    Evidence,
    Lookup,
    MessageStatus,
    decide,
)


class CertificateJudge:
    """Judges stored certificates for addresses at one moment, remembering what it found.

    Chain building costs about a millisecond per certificate and a store query a few
    microseconds per address, while a compose window re-checks on every edit. So the judge
    keeps each address's evidence until the store's revision changes (any write, by this
    program or another process), and keeps verdicts until the trust anchors or CRLs
    change. Make a new judge for another time.
    """

    def __init__(
        self,
        store: CertificateRecords,
        at: datetime,
        extra_anchors: tuple[x509.Certificate, ...] = (),
    ) -> None:
        """``extra_anchors``: trusted besides the store's own, e.g. the administrator's."""
        self._store = store
        self._at = at
        self._extra_anchors = extra_anchors
        self._revision = store.revision()
        self._trust = self._trust_context()
        self._memo = SignatureMemo()
        self._verdicts: dict[tuple[str, str], CertificateEvidence] = {}
        self._lookups: dict[str, Lookup] = {}
        self._last_used: dict[str, str | None] = {}

    @property
    def at(self) -> datetime:
        return self._at

    @property
    def trust(self) -> TrustContext:
        """What certificates are judged against (current as of the last ``collect``)."""
        return self._trust

    def _trust_context(self) -> TrustContext:
        trust = self._store.trust_context()
        if not self._extra_anchors:
            return trust
        return replace(trust, anchors=(*trust.anchors, *self._extra_anchors))

    def _refresh(self) -> None:
        revision = self._store.revision()
        if revision == self._revision:
            return
        self._revision = revision
        self._lookups.clear()
        self._last_used.clear()
        trust = self._trust_context()
        if trust != self._trust:
            self._trust = trust
            self._memo = SignatureMemo()
            self._verdicts.clear()

    def _lookup(self, address_key: str, candidates: Iterable[Candidate]) -> Lookup:
        judged = []
        for candidate in candidates:
            fingerprint = candidate.fingerprint
            evidence = self._verdicts.get((fingerprint, address_key))
            if evidence is None:
                certificate = self._store.certificate(fingerprint)
                verdict = evaluate_for_encryption(certificate, address_key, self._at, self._trust)
                evidence = CertificateEvidence(
                    fingerprint=fingerprint,
                    spki=candidate.spki,
                    not_after=candidate.not_after,
                    source=candidate.source.value,
                    verdict=verdict,
                    revocation=(
                        revocation_at_hand(certificate, self._trust, self._at, self._memo)
                        if verdict.usable
                        else None
                    ),
                )
                self._verdicts[(fingerprint, address_key)] = evidence
            judged.append(evidence)
        return Lookup(candidates=tuple(judged))

    def collect(self, address_keys: Iterable[str]) -> Evidence:
        """Candidates and verdicts for each key, plus the key each was last encrypted to."""
        self._refresh()
        keys = list(dict.fromkeys(address_keys))
        missing = [key for key in keys if key not in self._lookups]
        if missing:
            for key, candidates in self._store.candidates(missing).items():
                self._lookups[key] = self._lookup(key, candidates)
            used = self._store.last_used_spki(missing)
            self._last_used.update({key: used.get(key) for key in missing})
        last_used = {key: spki for key in keys if (spki := self._last_used[key]) is not None}
        return Evidence(lookups={key: self._lookups[key] for key in keys}, last_used_spki=last_used)


def _with_published(
    stored: tuple[CertificateEvidence, ...], published: tuple[CertificateEvidence, ...]
) -> tuple[CertificateEvidence, ...]:
    """Stored candidates, each replaced by a directory's judgement of the same certificate
    (which names the directory that published it), then those the store lacks."""
    by_fingerprint = {candidate.fingerprint: candidate for candidate in published}
    merged = tuple(by_fingerprint.pop(c.fingerprint, c) for c in stored)
    return merged + tuple(by_fingerprint.values())


def _still_published(known: Lookup, said: Lookup) -> Lookup:
    """``known`` without the stored certificates a directory published once and no more."""
    published = {candidate.fingerprint for candidate in said.candidates}
    kept = tuple(
        c
        for c in known.candidates
        if c.source != Source.DIRECTORY.value or c.fingerprint in published
    )
    return replace(known, candidates=kept)


def with_directory(
    evidence: Evidence,
    directory: Mapping[str, Lookup],
    answered: Collection[str] = frozenset(),
) -> Evidence:
    """``evidence`` plus what a directory said: certificates it published (labelled with
    their source), list memberships, failed lookups and lookups still running.

    A failed lookup only matters where the store knows no certificate either. For the
    addresses in ``answered`` the directories said all they publish, so a certificate
    the store holds only because a directory once published it counts only if still
    published.
    """
    lookups = dict(evidence.lookups)
    for key in answered:
        if key in lookups:
            lookups[key] = _still_published(lookups[key], directory.get(key, Lookup()))
    for key, said in directory.items():
        known = lookups.get(key, Lookup())
        if said.pending:
            known = lookups[key] = replace(known, pending=True)
        if said.candidates:
            known = replace(known, candidates=_with_published(known.candidates, said.candidates))
            lookups[key] = known
        if said.members is not None:
            lookups[key] = replace(known, members=said.members, failure=said.failure)
        elif said.failure is not None and not known.candidates:
            lookups[key] = replace(known, failure=said.failure)
    return replace(evidence, lookups=lookups)


def with_revocation(evidence: Evidence, answers: Mapping[str, RevocationAnswer]) -> Evidence:
    """``evidence`` with fetched revocation ``answers`` (by certificate fingerprint) in
    place of unknown ones; an answer already known (from a stored CRL) is kept."""
    if not answers:
        return evidence
    lookups = {}
    for key, lookup in evidence.lookups.items():
        candidates = tuple(
            replace(candidate, revocation=answers[candidate.fingerprint])
            if candidate.fingerprint in answers and not candidate.revocation_known
            else candidate
            for candidate in lookup.candidates
        )
        lookups[key] = replace(lookup, candidates=candidates)
    return replace(evidence, lookups=lookups)


def gather_evidence(
    draft: Draft,
    judge: CertificateJudge,
    directory: Mapping[str, Lookup] | None = None,
    pinned: Mapping[str, str] | None = None,
) -> Evidence:
    """The evidence for every address of ``draft`` (and of its lists' members).

    ``directory`` holds what a directory said beyond certificates (lists and failures);
    ``pinned`` the certificates the user chose (fingerprint by address).
    """
    directory = directory or {}
    mailboxes = (*draft.recipients, *((draft.sender,) if draft.sender else ()))
    members = (m for said in directory.values() for m in (said.members or ()))
    evidence = judge.collect(mailbox.key for mailbox in (*mailboxes, *members))
    return replace(with_directory(evidence, directory), pinned=dict(pinned or {}))


def assess(
    draft: Draft,
    judge: CertificateJudge,
    directory: Mapping[str, Lookup] | None = None,
    pinned: Mapping[str, str] | None = None,
) -> MessageStatus:
    """Gather the evidence for ``draft`` and apply the one rule."""
    return decide(draft, gather_evidence(draft, judge, directory, pinned))


def keys_used(status: MessageStatus) -> list[tuple[str, str]]:
    """The key each reader (and each list member) was encrypted to, as (address, fingerprint)
    pairs for the store's history, which ``key_changed`` reads."""
    return [
        (reader.mailbox.key, reader.certificate.fingerprint)
        for recipient in status.recipients
        for reader in recipient.members or (recipient,)
        if reader.certificate is not None
    ]
