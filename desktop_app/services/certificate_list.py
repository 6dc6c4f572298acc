"""Every certificate the store knows, judged by the certificate rule, for the Certificates
window; and what that window changes: import, trust a CA, remove.

Verdicts come from ``core.pki.usability.evaluate_for_encryption`` (the rule the one
recipient rule builds on), for the certificate's first address, at ``at``, trusting the
store's anchors and the administrator's. Nothing here decides a recipient's status.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from desktop_app.core.pki.certificates import is_ca, load_certificates
from desktop_app.core.pki.stored import Source, StoredCertificate
from desktop_app.core.pki.usability import CertVerdict, evaluate_for_encryption
from desktop_app.core.recipients.normalise import address_key
from desktop_app.services.certificates.facts import CertificateFacts, certificate_facts
from desktop_app.services.certstore.schema import certificate_row
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.files import read_input_file
from desktop_app.services.trust_anchors import system_trust_anchors

EXPIRY_WARNING = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class KnownCertificate:
    """One stored certificate as the Certificates window lists it.

    ``verdict`` is None for an authority (CA) certificate, which is not used to encrypt;
    ``anchor`` says whether such a certificate is trusted as a root.
    """

    stored: StoredCertificate
    verdict: CertVerdict | None
    anchor: bool
    expires_soon: bool
    days_left: int

    @property
    def fingerprint(self) -> str:
        return self.stored.fingerprint


def within_expiry_warning(not_after: datetime, at: datetime) -> bool:
    """Still valid, but not for another 30 days."""
    return at <= not_after < at + EXPIRY_WARNING


def list_known(
    store_path: Path, at: datetime, *, anchor_folder: Path | None = None
) -> tuple[KnownCertificate, ...]:
    """Recipient certificates first (by address), then the authorities."""
    with CertStore.open(store_path) as store:
        stored = store.list_certificates(include_authorities=True)
        trust = store.trust_context()
        system = system_trust_anchors(anchor_folder)
        trust = replace(trust, anchors=(*trust.anchors, *system))
        anchors = {certificate_row(cert).fingerprint for cert in trust.anchors}
        known = []
        for entry in stored:
            verdict = None
            if not entry.is_ca:
                first = entry.addresses[0] if entry.addresses else ""
                certificate = store.certificate(entry.fingerprint)
                verdict = evaluate_for_encryption(certificate, address_key(first), at, trust)
            known.append(
                KnownCertificate(
                    stored=entry,
                    verdict=verdict,
                    anchor=entry.fingerprint in anchors,
                    expires_soon=within_expiry_warning(entry.not_after, at),
                    days_left=(entry.not_after - at).days,
                )
            )
    return tuple(sorted(known, key=lambda item: item.stored.is_ca))


def import_certificates(store_path: Path, path: Path, at: datetime) -> tuple[int, int]:
    """Store every certificate in ``path`` as imported; (new, already known).

    Raises:
        UserFacingError: the file cannot be read or holds no certificate.
    """
    certificates = load_certificates(read_input_file(path), source_name=str(path))
    with CertStore.open(store_path) as store:
        added = store.add_certificates(((cert, Source.IMPORTED) for cert in certificates), at)
    return added, len(certificates) - added


def trust_authorities(store_path: Path, path: Path, at: datetime) -> tuple[str, ...]:
    """Trust every CA certificate in ``path``; the subjects trusted (empty: none was a CA)."""
    certificates = load_certificates(read_input_file(path), source_name=str(path))
    authorities = [cert for cert in certificates if is_ca(cert)]
    with CertStore.open(store_path) as store:
        for cert in authorities:
            store.add_trust_anchor(cert, at)
    return tuple(cert.subject.rfc4514_string() for cert in authorities)


def remove_certificate(store_path: Path, fingerprint: str) -> bool:
    with CertStore.open(store_path) as store:
        return store.remove_certificate(fingerprint)


def stored_certificate_facts(store_path: Path, fingerprint: str) -> CertificateFacts:
    """The details dialog's facts about the stored certificate ``fingerprint``."""
    with CertStore.open(store_path) as store:
        return certificate_facts(store.certificate(fingerprint))
