"""Writing a fresh demo home into a staging folder: store, identity, directory, inbox."""

import shutil
from dataclasses import dataclass
from datetime import datetime
from email.utils import formataddr, parsedate_to_datetime
from pathlib import Path

from cryptography import x509

from desktop_app.core.mime.compose import InnerMessage, build_inner_mime
from desktop_app.core.pki.stored import Source
from desktop_app.core.smime.algorithms import ContentCipher
from desktop_app.core.smime.envelope_seal import prepare_envelope
from desktop_app.core.smime.recipient_seal import EnvelopeRecipient
from desktop_app.core.smime.signature_mime import multipart_signed
from desktop_app.core.smime.signature_sign import sign_detached
from desktop_app.core.smime.wrap import sealed_mime
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.demo.pki import (
    CertificateKind,
    DemoAuthority,
    DemoPerson,
    PrivateKey,
    certificate_pem,
    labelled_key_pem,
    new_key,
    read_people,
)
from desktop_app.services.paths import STORE_FILE_NAME

IDENTITY_CERTIFICATE = "demo-certificate.pem"
IDENTITY_KEY = "DEMO-ONLY-throwaway-key.pem"


@dataclass(frozen=True)
class Signer:
    """A demo person with a certificate, and its key while the inbox is being written."""

    name: str
    address: str
    certificate: x509.Certificate
    key: PrivateKey


@dataclass(frozen=True)
class SecureMail:
    """One signed inbox message; ``cipher`` None leaves it unencrypted (clear-signed).

    ``tamper`` replaces text after signing, as a change in transit would.
    """

    file_name: str
    sender: str
    subject: str
    date: str
    message_id: str
    body: str
    cipher: ContentCipher | None
    cc: tuple[str, ...] = ()
    tamper: tuple[str, str] | None = None


# Dated before the motivating message, which stays the newest in the list.
SECURE_INBOX = (
    SecureMail(
        "06-lab-results-encrypted.eml",
        "priya@clinic.example",
        "Lab results for Mrs. Patel",
        "Thu, 26 Nov 2026 14:20:00 +0000",
        "<lab-results-patel@clinic.example>",
        "Hi Alex,\n\nMrs. Patel's bloods are back: HbA1c 48 mmol/mol, eGFR 71. Could you "
        "review them before\nher appointment on Monday?\n\nThanks,\nPriya\n",
        ContentCipher.AES256_CBC,
    ),
    SecureMail(
        "07-discharge-summary.eml",
        "lee@clinic.example",
        "Discharge summary, bed 12",
        "Wed, 25 Nov 2026 16:45:00 +0000",
        "<discharge-bed-12@clinic.example>",
        "Alex, Priya,\n\nThe discharge summary for bed 12 is below. Follow-up in clinic in "
        "two weeks;\nplease book the blood tests beforehand.\n\nJordan\n",
        ContentCipher.AES256_GCM,
        cc=("priya@clinic.example",),
    ),
    SecureMail(
        "08-on-call-weekend.eml",
        "priya@clinic.example",
        "On-call this weekend",
        "Tue, 24 Nov 2026 12:10:00 +0000",
        "<on-call-weekend@clinic.example>",
        "Hi Alex,\n\nThis weekend Saturday is covered by me and Sunday by Dr. Lee.\n\nPriya\n",
        None,
        tamper=("Sunday by Dr. Lee", "Sunday by Dr. Leo"),
    ),
)


def _secure_message(
    mail: SecureMail,
    signers: dict[str, Signer],
    user: Signer,
    authority: DemoAuthority,
) -> bytes:
    sender = signers[mail.sender]
    inner = build_inner_mime(InnerMessage(mail.body))
    # Signed when it was sent: a signing time far from the Date: header is flagged on opening.
    sent = parsedate_to_datetime(mail.date)
    signature = sign_detached(
        inner, sender.certificate, sender.key, chain=(authority.certificate,), signing_time=sent
    )
    signed = multipart_signed(inner, signature)
    headers = {"From": formataddr((sender.name, sender.address))}
    headers["To"] = formataddr((user.name, user.address))
    if mail.cc:
        headers["Cc"] = ", ".join(formataddr((signers[a].name, a)) for a in mail.cc)
    headers |= {"Subject": mail.subject, "Date": mail.date, "Message-ID": mail.message_id}
    if mail.cipher is None:
        if mail.tamper is not None:
            signed = signed.replace(mail.tamper[0].encode(), mail.tamper[1].encode())
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        return (head + "MIME-Version: 1.0\r\n").encode() + signed
    readers = [EnvelopeRecipient(user.certificate)]
    readers += [EnvelopeRecipient(signers[a].certificate) for a in mail.cc]
    prepared = prepare_envelope(signed, readers, mail.cipher)
    return sealed_mime(prepared, auth=mail.cipher is ContentCipher.AES256_GCM, headers=headers)


def write_secure_inbox(
    inbox: Path, signers: dict[str, Signer], user: Signer, authority: DemoAuthority
) -> None:
    """Write the signed (and mostly encrypted) demo messages into ``inbox``."""
    for mail in SECURE_INBOX:
        message = _secure_message(mail, signers, user, authority)
        (inbox / mail.file_name).write_bytes(message)


def _issue_all(
    authority: DemoAuthority,
    people: tuple[DemoPerson, ...],
    identity: Path,
    directory: Path,
    signers: dict[str, Signer],
) -> tuple[list[x509.Certificate], list[x509.Certificate]]:
    """Certificates for the store, and those to revoke; writes identity and directory files.

    ``signers`` receives, by address, each person with a valid certificate and its key, so
    the inbox can hold their signed mail; those keys are dropped once the inbox is written.
    """
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
        signers[person.address] = Signer(person.name, person.address, certificate, key)
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
    signers: dict[str, Signer] = {}
    stored, revoked = _issue_all(authority, people, identity, directory, signers)
    (identity / "demo-ca.pem").write_bytes(certificate_pem(authority.certificate))
    with CertStore.open(staging / STORE_FILE_NAME) as store:
        store.add_trust_anchor(authority.certificate, now)
        store.add_certificates([(c, Source.IMPORTED) for c in stored], now)
        store.add_crl(authority.crl(revoked), now)
    shutil.copytree(templates / "inbox", staging / "inbox")
    write_secure_inbox(staging / "inbox", signers, signers[user.address], authority)
    return user.name, user.address
