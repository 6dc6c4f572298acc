"""Gathering the evidence for the one rule: the store's certificates and the directories'.

Runs on the background thread only: it reads SQLite and builds certificate chains.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509

from desktop_app.core.pki.certificates import fingerprint_sha256
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.recipients.addresses import Mailbox
from desktop_app.core.recipients.evidence import CertificateJudge, with_directory, with_revocation
from desktop_app.core.recipients.lifecycle import stale_pins
from desktop_app.core.recipients.status import Evidence
from desktop_app.services.certificates.compose_sources import ConfiguredSources
from desktop_app.services.certificates.consult import (
    VerdictMemo,
    answered,
    consult,
    evidence_for,
)
from desktop_app.services.certificates.directories import ResolvingDirectory
from desktop_app.services.certificates.facts import CertificateFacts, certificate_facts, common_name
from desktop_app.services.certificates.pins import drop_pins, load_pins
from desktop_app.services.certificates.source import CertificateSource
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.revocation.checker import RevocationChecker
from desktop_app.services.trust_anchors import certificate_judge

# A compose window stays open for a while; certificates are judged again for a new time
# after this long, so one does not stay "valid" past its expiry in an open window.
JUDGE_LIFETIME = timedelta(minutes=10)


class EvidenceGatherer:
    """The evidence for addresses at the clock's time, from the store and directories.

    ``sources``: one certificate source or several (the account's directory, or the
    demo's folder), asked in order through ``consult``, then the ``configured`` sources
    (LDAP, admin bundles); what they found becomes evidence through
    ``consult.evidence_for``.
    With a ``revocation`` checker, certificates whose revocation the stored CRLs do not
    settle are asked about over the network before the evidence is returned, so their
    recipients stay "checking" until the answers come or time out.
    With ``pins_home``, the certificates the user pinned there come with the evidence (read
    again on every call, so a pin made a moment ago counts), and a pin whose certificate
    stopped being usable is forgotten, as ``check`` and ``seal`` do.
    Not thread-safe: use it from one thread (the background helper's) at a time.
    """

    def __init__(
        self,
        store: CertStore,
        clock: Callable[[], datetime],
        sources: CertificateSource | Sequence[CertificateSource] | None = None,
        revocation: RevocationChecker | None = None,
        pins_home: Path | None = None,
        configured: ConfiguredSources | None = None,
    ) -> None:
        self._store = store
        self._pins_home = pins_home
        self._clock = clock
        if sources is None:
            sources = ()
        self._sources = list(sources) if isinstance(sources, Sequence) else [sources]
        self._configured = configured
        self._revocation = revocation
        self._judge: CertificateJudge | None = None
        self._trust: tuple[tuple[int, int], TrustContext] | None = None
        self._directory_certificates: dict[str, x509.Certificate] = {}
        self._verdicts: VerdictMemo = {}

    def _current_judge(self) -> CertificateJudge:
        now = self._clock()
        if self._judge is None or abs(now - self._judge.at) > JUDGE_LIFETIME:
            self._judge = certificate_judge(self._store, now)
        return self._judge

    def _trust_context(self) -> TrustContext:
        revision = self._store.revision()
        if self._trust is None or self._trust[0] != revision:
            self._trust = (revision, self._store.trust_context())
        return self._trust[1]

    def collect(self, address_keys: Sequence[str]) -> Evidence:
        """Candidates and verdicts for each normalised address (see ``CertificateJudge``).

        With a directory that knows lists, the evidence also covers each list's members.
        """
        judge = self._current_judge()
        evidence = self._collect(judge, list(dict.fromkeys(address_keys)))
        if self._revocation is not None:
            answers = self._revocation.for_evidence(
                evidence, judge.trust, self._certificate, judge.at
            )
            evidence = with_revocation(evidence, answers)
        return self._with_pins(evidence)

    def _with_pins(self, evidence: Evidence) -> Evidence:
        if self._pins_home is None:
            return evidence
        pinned = load_pins(self._pins_home)
        # Only answers that are complete judge a pin: a directory that failed says nothing.
        judged = Evidence(lookups={k: v for k, v in evidence.lookups.items() if v.failure is None})
        stale = stale_pins(pinned, judged)
        drop_pins(self._pins_home, stale)
        kept = {key: pinned[key] for key in evidence.lookups if key in pinned and key not in stale}
        return replace(evidence, pinned=kept)

    def _certificate(self, fingerprint: str) -> x509.Certificate:
        certificate = self._directory_certificates.get(fingerprint)
        return certificate if certificate is not None else self._store.certificate(fingerprint)

    def _collect(self, judge: CertificateJudge, keys: list[str]) -> Evidence:
        if not (self._sources or self._configured) or not keys:
            return judge.collect(keys)
        # The sources keep their own answers (the account's directory its cache file).
        consulted = consult([(source, None) for source in self._sources], keys)
        if self._configured is not None:
            consulted.take(self._configured.ask(keys))
        for published in consulted.certificates.values():
            for item in published:
                self._directory_certificates.setdefault(
                    fingerprint_sha256(item.certificate), item.certificate
                )
        lookups = evidence_for(consulted, judge.at, self._trust_context(), memo=self._verdicts)
        members = [m.key for lookup in lookups.values() for m in lookup.members or ()]
        # Asked after the directories: what they published may have just entered the store.
        evidence = judge.collect(dict.fromkeys([*keys, *members]))
        return with_directory(evidence, lookups, answered(consulted))

    def stored_evidence(self, address_keys: Sequence[str]) -> Evidence:
        """Evidence from the store alone (never a directory question): address
        completion shows a lock for many addresses at once."""
        return self._current_judge().collect(list(dict.fromkeys(address_keys)))

    def stored_addresses(self) -> tuple[tuple[str, str], ...]:
        """(address, name) of every recipient certificate's addresses in the store."""
        return tuple(
            (address, common_name(stored.subject))
            for stored in self._store.list_certificates()
            for address in stored.addresses
        )

    def resolve_legacy_dns(self, legacy_dns: Sequence[str]) -> Mapping[str, Mailbox]:
        """SMTP mailboxes for X.500 addresses typed or pasted, by ``legacy_dn_key``.

        Only a directory that knows X.500 addresses (Exchange) resolves them; without
        one none is, and the one rule keeps calling them unresolved.
        """
        for source in self._sources:
            if legacy_dns and isinstance(source, ResolvingDirectory):
                return source.resolve_legacy_dns(legacy_dns)
        return {}

    def facts(self, fingerprint: str) -> CertificateFacts:
        """The details of a certificate seen in evidence, stored or from the directory."""
        return certificate_facts(self._certificate(fingerprint))
