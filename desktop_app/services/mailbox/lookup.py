"""Gathering the evidence for the one rule: the store's certificates and the directory's.

Runs on the background thread only: it reads SQLite and builds certificate chains.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from desktop_app.core.pki.certificates import (
    email_addresses,
    fingerprint_sha256,
    shown_issuer,
    shown_subject,
    spki_sha256,
)
from desktop_app.core.pki.chain_revocation import revocation_at_hand
from desktop_app.core.pki.parsing import PARSE_ERRORS
from desktop_app.core.pki.stored import Source
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.pki.usability import evaluate_for_encryption
from desktop_app.core.recipients.addresses import Mailbox
from desktop_app.core.recipients.evidence import CertificateJudge, with_revocation
from desktop_app.core.recipients.lifecycle import stale_pins
from desktop_app.core.recipients.status import CertificateEvidence, Evidence, Lookup
from desktop_app.services.certificates.pins import drop_pins, load_pins
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.mailbox.directory import (
    AnsweringDirectory,
    Directory,
    DirectoryAnswer,
    ResolvingDirectory,
)
from desktop_app.services.revocation.checker import RevocationChecker
from desktop_app.services.trust_anchors import certificate_judge

# A compose window stays open for a while; certificates are judged again for a new time
# after this long, so one does not stay "valid" past its expiry in an open window.
JUDGE_LIFETIME = timedelta(minutes=10)
_CURVES = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}


@dataclass(frozen=True, slots=True)
class CertificateFacts:
    """What the certificate details dialog shows besides the verdict."""

    fingerprint: str
    subject: str
    subject_text: str
    issuer: str
    serial: str
    not_before: datetime
    not_after: datetime
    addresses: tuple[str, ...]
    key: str


def _key_text(certificate: x509.Certificate) -> str:
    try:
        key = certificate.public_key()
    except PARSE_ERRORS:  # UnsupportedAlgorithm for a key type cryptography does not know
        return "?"
    if isinstance(key, rsa.RSAPublicKey):
        return f"RSA {key.key_size}"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return f"EC {_CURVES.get(key.curve.name, key.curve.name)}"
    return type(key).__name__.removesuffix("PublicKey").lstrip("_")


def _common_name(rfc4514: str) -> str:
    """The CN of an RFC 4514 subject ("CN=Lee\\, Dr. Jordan,O=Clinic"), or ""."""
    parts, current, escaped = [], [], False
    for char in rfc4514:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in ",+":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    for part in parts:
        name, _, value = part.partition("=")
        if name.strip().upper() == "CN":
            return value.strip()
    return ""


def certificate_facts(certificate: x509.Certificate) -> CertificateFacts:
    try:
        subject_text = certificate.subject.rfc4514_string()
    except PARSE_ERRORS:
        subject_text = ""
    return CertificateFacts(
        fingerprint=fingerprint_sha256(certificate),
        subject=shown_subject(certificate),
        subject_text=subject_text,
        issuer=shown_issuer(certificate),
        serial=f"{certificate.serial_number:X}",
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        addresses=email_addresses(certificate),
        key=_key_text(certificate),
    )


class CertificateLookup:
    """The evidence for addresses at the clock's time, from the store and a directory.

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
        directory: Directory | AnsweringDirectory | None = None,
        revocation: RevocationChecker | None = None,
        pins_home: Path | None = None,
    ) -> None:
        self._store = store
        self._pins_home = pins_home
        self._clock = clock
        self._directory = directory
        self._revocation = revocation
        self._judge: CertificateJudge | None = None
        self._trust: tuple[tuple[int, int], TrustContext] | None = None
        self._directory_certificates: dict[str, x509.Certificate] = {}
        self._directory_verdicts: dict[tuple[str, str, datetime], CertificateEvidence] = {}

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

    def _from_directory(
        self, key: str, certificate: x509.Certificate, at: datetime, label: str | None = None
    ) -> CertificateEvidence:
        fingerprint = fingerprint_sha256(certificate)
        self._directory_certificates[fingerprint] = certificate
        cached = self._directory_verdicts.get((fingerprint, key, at))
        if cached is None:
            trust = self._trust_context()
            verdict = evaluate_for_encryption(certificate, key, at, trust)
            cached = CertificateEvidence(
                fingerprint=fingerprint,
                spki=spki_sha256(certificate),
                not_after=certificate.not_valid_after_utc,
                source=Source.DIRECTORY.value,
                verdict=verdict,
                revocation=revocation_at_hand(certificate, trust, at) if verdict.usable else None,
            )
            self._directory_verdicts[(fingerprint, key, at)] = cached
        return cached if label is None else replace(cached, source=label)

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
        if self._directory is None or not keys:
            return judge.collect(keys)
        answers = self._answers(keys)
        members = [m.key for answer in answers.values() for m in answer.members or ()]
        # Asked after the directory: what it published may have just entered the store.
        evidence = judge.collect(dict.fromkeys([*keys, *members]))
        lookups = dict(evidence.lookups)
        for key, answer in answers.items():
            lookups[key] = self._merged(key, lookups.get(key, Lookup()), answer, judge.at)
        return Evidence(lookups=lookups, last_used_spki=evidence.last_used_spki)

    def stored_evidence(self, address_keys: Sequence[str]) -> Evidence:
        """Evidence from the store alone (never a directory question): address
        completion shows a lock for many addresses at once."""
        return self._current_judge().collect(list(dict.fromkeys(address_keys)))

    def stored_addresses(self) -> tuple[tuple[str, str], ...]:
        """(address, name) of every recipient certificate's addresses in the store."""
        return tuple(
            (address, _common_name(stored.subject))
            for stored in self._store.list_certificates()
            for address in stored.addresses
        )

    def resolve_legacy_dns(self, legacy_dns: Sequence[str]) -> Mapping[str, Mailbox]:
        """SMTP mailboxes for X.500 addresses typed or pasted, by ``legacy_dn_key``.

        Only a directory that knows X.500 addresses (Exchange) resolves them; without
        one none is, and the one rule keeps calling them unresolved.
        """
        directory = self._directory
        if not legacy_dns or not isinstance(directory, ResolvingDirectory):
            return {}
        return directory.resolve_legacy_dns(legacy_dns)

    def _answers(self, keys: list[str]) -> Mapping[str, DirectoryAnswer]:
        directory = self._directory
        if isinstance(directory, AnsweringDirectory):
            return directory.answers(keys)
        assert directory is not None
        published = directory.certificates(keys)
        return {key: DirectoryAnswer(certificates) for key, certificates in published.items()}

    def _merged(self, key: str, stored: Lookup, answer: DirectoryAnswer, at: datetime) -> Lookup:
        published = {fingerprint_sha256(c): c for c in answer.certificates}
        kept = tuple(
            candidate
            for candidate in stored.candidates
            if not answer.current
            or candidate.source != Source.DIRECTORY.value
            or candidate.fingerprint in published
        )
        labels = dict(answer.labels)
        kept = tuple(
            replace(c, source=labels[c.fingerprint]) if c.fingerprint in labels else c for c in kept
        )
        known = {candidate.fingerprint for candidate in kept}
        extra = tuple(
            self._from_directory(key, certificate, at, labels.get(fingerprint))
            for fingerprint, certificate in published.items()
            if fingerprint not in known
        )
        failure = answer.failure if answer.failure is not None else stored.failure
        members = answer.members if answer.members is not None else stored.members
        return Lookup(kept + extra, stored.pending, failure, members)

    def facts(self, fingerprint: str) -> CertificateFacts:
        """The details of a certificate seen in evidence, stored or from the directory."""
        return certificate_facts(self._certificate(fingerprint))
