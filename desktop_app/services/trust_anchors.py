"""The administrator's trust anchors: CA certificates every user of the computer trusts.

They live in ``system_trust_anchor_folder()`` (``/etc/smime-guard/trust-anchors`` on
Linux, ProgramData on Windows, /Library/Application Support on macOS) and are trusted
beside each user's own (``certs trust``). ``smime-guard --self-test`` reports files that do
not read; here such a file is skipped so that one bad file cannot stop every check.
"""

import logging
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from cryptography import x509

from desktop_app.core.errors import UserFacingError
from desktop_app.core.pki.certificates import is_ca, load_certificates
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.recipients.evidence import CertificateJudge
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.paths import system_trust_anchor_folder

log = logging.getLogger(__name__)
CERTIFICATE_SUFFIXES = frozenset({".pem", ".crt", ".cer", ".der", ".p7b", ".p7c"})


def system_trust_anchors(folder: Path | None = None) -> tuple[x509.Certificate, ...]:
    """Every CA certificate in the system trust-anchor folder (none if it does not exist)."""
    folder = folder or system_trust_anchor_folder()
    if not folder.is_dir():
        return ()
    anchors: list[x509.Certificate] = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.suffix.lower() not in CERTIFICATE_SUFFIXES:
            continue
        try:
            certificates = load_certificates(path.read_bytes(), source_name=str(path))
        except (OSError, UserFacingError):
            log.warning("a system trust-anchor file could not be read: %s", path.name)
            continue
        anchors.extend(cert for cert in certificates if is_ca(cert))
    return tuple(anchors)


def certificate_judge(
    store: CertStore, at: datetime, *, anchor_folder: Path | None = None
) -> CertificateJudge:
    """A judge that trusts the store's anchors and the administrator's."""
    return CertificateJudge(store, at, system_trust_anchors(anchor_folder))


def trust_for(store: CertStore) -> TrustContext:
    """The trust the check's judge uses: the store's anchors and the administrator's."""
    trust = store.trust_context()
    extra = system_trust_anchors()
    return replace(trust, anchors=(*trust.anchors, *extra)) if extra else trust
