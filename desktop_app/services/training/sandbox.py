"""A scenario's sandbox: certificates made by a throwaway demo CA, an in-memory store, a
directory in memory, and an outbox that sends nothing. Never the network.

No private key is kept or shipped: keys are generated when the scenario is opened and
dropped once their certificate is signed. The sandbox gives evidence only: the one rule
runs at its callers (``core.training.assessment`` and the compose screen).
"""

import tempfile
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509

from desktop_app.core.pki.certificates import fingerprint_sha256
from desktop_app.core.pki.stored import Source
from desktop_app.core.recipients.addresses import Mailbox
from desktop_app.core.recipients.send_gate import SendPlan
from desktop_app.core.training.schema import CertificateOrigin, Scenario, Situation
from desktop_app.services.audit import AuditEntry, AuditLog
from desktop_app.services.certificates.directories import PublishedCertificates
from desktop_app.services.certificates.evidence_gatherer import EvidenceGatherer
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.demo.pki import CertificateKind, DemoAuthority, DemoPerson, new_key
from desktop_app.services.outbox.submission import MessageContent, Submitted

_SOURCES = {
    CertificateOrigin.IMPORTED: Source.IMPORTED,
    CertificateOrigin.DIRECTORY: Source.DIRECTORY,
    CertificateOrigin.HARVESTED: Source.HARVESTED,
}
LAST_USED_AGO = timedelta(days=40)  # when the old key of a CHANGED_KEY person was used
IN_MEMORY = Path(":memory:")


def _demo_person(mailbox: Mailbox) -> DemoPerson:
    return DemoPerson(mailbox.display_name or mailbox.address, mailbox.address, CertificateKind.EC)


def _issue(
    authority: DemoAuthority,
    mailbox: Mailbox,
    *,
    address: str | None = None,
    expired: bool = False,
    signing_only: bool = False,
) -> x509.Certificate:
    key = new_key(CertificateKind.EC)
    person = _demo_person(mailbox)
    return authority.issue(person, key, address=address, expired=expired, signing_only=signing_only)


def _populate(
    store: CertStore, scenario: Scenario, now: datetime
) -> dict[str, tuple[x509.Certificate, ...]]:
    """Fill ``store`` for ``scenario``; returns the directory's entries."""
    authority, stranger = DemoAuthority(now), DemoAuthority(now)
    store.add_trust_anchor(authority.certificate, now)
    stored = [(_issue(authority, scenario.sender), Source.IMPORTED)]
    revoked: list[x509.Certificate] = []
    directory: dict[str, tuple[x509.Certificate, ...]] = {}
    used: list[tuple[str, str]] = []
    for person in scenario.people:
        mailbox, situation = person.mailbox, person.situation
        source = _SOURCES[person.source]
        if situation is Situation.NONE:
            continue
        if situation is Situation.OTHER_ADDRESS:
            other = _issue(authority, mailbox, address=person.certificate_address)
            directory[mailbox.key] = (other,)
            continue
        if situation is Situation.UNTRUSTED:
            stored.append((_issue(stranger, mailbox), source))
            continue
        if situation is Situation.CHANGED_KEY:
            old = _issue(authority, mailbox, expired=True)
            stored.append((old, source))
            used.append((mailbox.key, fingerprint_sha256(old)))
        certificate = _issue(
            authority,
            mailbox,
            expired=situation is Situation.EXPIRED,
            signing_only=situation is Situation.WRONG_USAGE,
        )
        stored.append((certificate, source))
        if situation is Situation.REVOKED:
            revoked.append(certificate)
    for certificate, source in stored:
        store.add_certificate(certificate, source, now)
    store.add_crl(authority.crl(revoked), now)
    for key, fingerprint in used:
        store.record_use(key, fingerprint, now - LAST_USED_AGO)
    return directory


class ScenarioWorld:
    """The certificates and lookup of one scenario, built on first use (any one thread).

    ``lookup()`` may be called from the background helper; building is guarded by a lock.
    """

    def __init__(self, scenario: Scenario, clock: Callable[[], datetime]) -> None:
        self.scenario = scenario
        self._clock = clock
        self._lock = threading.Lock()
        self._store: CertStore | None = None
        self._lookup: EvidenceGatherer | None = None
        self._files: tempfile.TemporaryDirectory[str] | None = None

    def lookup(self) -> EvidenceGatherer:
        with self._lock:
            if self._lookup is None:
                now = self._clock()
                store = CertStore.open(IN_MEMORY)
                directory = _populate(store, self.scenario, now)
                self._store = store
                self._lookup = EvidenceGatherer(
                    store, lambda: now, PublishedCertificates(directory, "training")
                )
            return self._lookup

    def attachment_paths(self) -> list[Path]:
        """The scenario's attachments as files (in a folder removed on ``close``), so the
        compose screen lists them and its PHI guard reads them as it reads real ones."""
        with self._lock:
            if self._files is None:
                self._files = tempfile.TemporaryDirectory(prefix="smime-guard-training-")
            folder = Path(self._files.name)
        paths = []
        for name, content in self.scenario.draft.attachments:
            path = folder / Path(name).name
            path.write_text(content, encoding="utf-8")
            paths.append(path)
        return paths

    def close(self) -> None:
        with self._lock:
            if self._files is not None:
                self._files.cleanup()
                self._files = None
            if self._store is not None:
                self._store.close()
                self._store = None
                self._lookup = None


class SandboxOutbox:
    """An outbox that sends nothing: it only counts what it was given."""

    def __init__(self) -> None:
        self.kept = 0

    def submit(self, message: MessageContent, plan: SendPlan) -> Submitted:
        self.kept += 1
        return Submitted(Path("sandbox") / f"{self.kept}")


class SandboxAudit(AuditLog):
    """An audit log that writes nothing: training overrides are not real overrides."""

    def __init__(self) -> None:
        super().__init__(Path("sandbox-audit.jsonl"))

    def record(self, entry: AuditEntry) -> None:
        return None
