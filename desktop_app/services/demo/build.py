"""Writing a fresh demo home into a staging folder: store, identity, directory, inbox."""

import shutil
from datetime import datetime
from pathlib import Path

from cryptography import x509

from desktop_app.core.pki.certstore import CertStore, Source
from desktop_app.services.demo.pki import (
    CertificateKind,
    DemoAuthority,
    DemoPerson,
    certificate_pem,
    labelled_key_pem,
    new_key,
    read_people,
)
from desktop_app.services.paths import STORE_FILE_NAME

IDENTITY_CERTIFICATE = "demo-certificate.pem"
IDENTITY_KEY = "DEMO-ONLY-throwaway-key.pem"


def _issue_all(
    authority: DemoAuthority, people: tuple[DemoPerson, ...], identity: Path, directory: Path
) -> tuple[list[x509.Certificate], list[x509.Certificate]]:
    """Certificates for the store, and those to revoke; writes identity and directory files."""
    stored: list[x509.Certificate] = []
    revoked: list[x509.Certificate] = []
    for person in people:
        kind = person.certificate
        if kind is CertificateKind.NONE:
            continue
        key = new_key(kind)
        if kind is CertificateKind.OTHER_ADDRESS:
            # A directory entry for this person holding a certificate for another address.
            other = authority.issue(person, key, address=person.certificate_address)
            (directory / f"{person.address}.pem").write_bytes(certificate_pem(other))
            continue
        certificate = authority.issue(
            person,
            key,
            expired=kind is CertificateKind.EXPIRED,
            signing_only=kind is CertificateKind.SIGNING_ONLY,
        )
        stored.append(certificate)
        if kind is CertificateKind.REVOKED:
            revoked.append(certificate)
        if kind is CertificateKind.IDENTITY:
            chain = certificate_pem(certificate, authority.certificate)
            (identity / IDENTITY_CERTIFICATE).write_bytes(chain)
            key_file = identity / IDENTITY_KEY
            key_file.write_bytes(labelled_key_pem(key))
            key_file.chmod(0o600)
    return stored, revoked


def build_into(staging: Path, templates: Path, now: datetime) -> tuple[str, str]:
    """Build every part of a demo home in ``staging``; returns the user's name and address."""
    people = read_people((templates / "people.toml").read_text(encoding="utf-8"))
    user = next(p for p in people if p.certificate is CertificateKind.IDENTITY)
    identity, directory = staging / "identity", staging / "directory"
    identity.mkdir()
    directory.mkdir()
    authority = DemoAuthority(now)
    stored, revoked = _issue_all(authority, people, identity, directory)
    (identity / "demo-ca.pem").write_bytes(certificate_pem(authority.certificate))
    with CertStore.open(staging / STORE_FILE_NAME) as store:
        store.add_trust_anchor(authority.certificate, now)
        store.add_certificates([(c, Source.IMPORTED) for c in stored], now)
        store.add_crl(authority.crl(revoked), now)
    shutil.copytree(templates / "inbox", staging / "inbox")
    return user.name, user.address
