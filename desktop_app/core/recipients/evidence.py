"""Gathering the evidence for the one rule: stored certificates judged for an address and time."""

from collections.abc import Iterable
from datetime import datetime

from desktop_app.core.pki.certstore import CertStore
from desktop_app.core.pki.usability import CertVerdict, evaluate_for_encryption
from desktop_app.core.recipients.status import (
    CertificateEvidence,
    Draft,
    Evidence,
    Lookup,
    MessageStatus,
    decide,
)


class CertificateJudge:
    """Judges stored certificates for addresses at one moment, remembering each verdict.

    Chain building costs about a millisecond per certificate, so a compose window that
    re-checks on every keystroke asks the store only for candidates and re-uses verdicts.
    Make a new judge when the time, the trust anchors or the CRLs change.
    """

    def __init__(self, store: CertStore, at: datetime) -> None:
        self._store = store
        self._at = at
        self._trust = store.trust_context()
        self._verdicts: dict[tuple[str, str], CertVerdict] = {}

    @property
    def at(self) -> datetime:
        return self._at

    def _verdict(self, fingerprint: str, address_key: str) -> CertVerdict:
        cache_key = (fingerprint, address_key)
        verdict = self._verdicts.get(cache_key)
        if verdict is None:
            certificate = self._store.certificate(fingerprint)
            verdict = evaluate_for_encryption(certificate, address_key, self._at, self._trust)
            self._verdicts[cache_key] = verdict
        return verdict

    def collect(self, address_keys: Iterable[str]) -> Evidence:
        """Candidates and verdicts for each key, plus the key each was last encrypted to."""
        keys = list(dict.fromkeys(address_keys))
        found = self._store.candidates(keys)
        lookups = {
            key: Lookup(
                candidates=tuple(
                    CertificateEvidence(
                        fingerprint=candidate.fingerprint,
                        spki=candidate.spki,
                        not_after=candidate.not_after,
                        source=candidate.source.value,
                        verdict=self._verdict(candidate.fingerprint, key),
                    )
                    for candidate in found.get(key, ())
                )
            )
            for key in keys
        }
        return Evidence(lookups=lookups, last_used_spki=self._store.last_used_spki(keys))


def assess(draft: Draft, judge: CertificateJudge) -> MessageStatus:
    """Collect the evidence for every address of ``draft`` and apply the one rule."""
    mailboxes = (*draft.to, *draft.cc, *draft.bcc, *((draft.sender,) if draft.sender else ()))
    return decide(draft, judge.collect(mailbox.key for mailbox in mailboxes))
