"""Self-test check: seal a message for a throwaway recipient and open it again.

It runs the code a real send and a real open use: the certificate store (SQLite), the one
rule, signing and enveloping (cryptography, asn1crypto) and reading the result back, with
a certificate authority made for this run and forgotten afterwards.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from desktop_app.core.identity import Identity, identity_of
from desktop_app.core.messages import text
from desktop_app.core.mime.compose import Attachment, InnerMessage
from desktop_app.core.pki.stored import Source
from desktop_app.core.recipients.addresses import parse_address_list, parse_mailbox
from desktop_app.core.recipients.evidence import CertificateJudge
from desktop_app.core.recipients.status import Draft
from desktop_app.core.smime.open_message import open_message
from desktop_app.core.smime.seal import OutgoingMessage, seal_message
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.demo.pki import CertificateKind, DemoAuthority, DemoPerson, new_key
from desktop_app.services.paths import store_path
from desktop_app.services.selftest.runner import CheckFailed

SENDER = DemoPerson("Self-test Sender", "sender@self-test.invalid", CertificateKind.IDENTITY)
READER = DemoPerson("Self-test Reader", "reader@self-test.invalid", CertificateKind.RSA)
BODY = "smime-guard self-test: this message was sealed and opened on this computer.\n"
ATTACHMENT = Attachment("self-test.txt", b"attachment of the self-test\n")


def _identity(authority: DemoAuthority, person: DemoPerson) -> Identity:
    key = new_key(person.certificate)
    certificate = authority.issue(person, key)
    return identity_of(certificate, key, (authority.certificate,), source="self-test")


def check_round_trip(now: datetime | None = None) -> str:
    """Seal a signed message for a throwaway reader, then open it with the reader's key."""
    at = now or datetime.now(UTC)
    authority = DemoAuthority(at)
    sender = _identity(authority, SENDER)
    reader = _identity(authority, READER)
    draft = Draft(
        to=parse_address_list(f"{READER.name} <{READER.address}>"),
        sender=parse_mailbox(f"{SENDER.name} <{SENDER.address}>"),
    )
    message = OutgoingMessage(draft, "self-test", InnerMessage(BODY, attachments=(ATTACHMENT,)))
    with (
        tempfile.TemporaryDirectory(prefix="smime-guard-self-test-") as folder,
        CertStore.open(store_path(Path(folder))) as store,
    ):
        store.add_trust_anchor(authority.certificate, at)
        for identity in (sender, reader):
            store.add_certificate(identity.cert, Source.IMPORTED, at)
        keys = [mailbox.key for mailbox in (*draft.to, *draft.cc, draft.sender) if mailbox]
        evidence = CertificateJudge(store, at).collect(keys)
        sealed = seal_message(
            message,
            evidence=evidence,
            identity=sender,
            certificate_for=store.certificate,
            at=at,
        )
        trust = store.trust_context()
    if len(sealed.envelopes) != 1:
        raise CheckFailed(text("selftest.envelope_count", count=len(sealed.envelopes)))
    opened = open_message(sealed.envelopes[0].message, identity=reader, trust=trust, at=at)
    if opened.encryption is None:
        raise CheckFailed(text("selftest.came_back_unencrypted"))
    if opened.signature is None or not opened.signature.valid:
        reason = opened.signature.reason if opened.signature else text("selftest.no_signature")
        raise CheckFailed(text("selftest.signature_failed", reason=reason))
    if opened.message.text != BODY:
        raise CheckFailed(text("selftest.text_differs"))
    attachments = [(a.filename, a.content) for a in opened.message.attachments]
    if attachments != [(ATTACHMENT.filename, ATTACHMENT.content)]:
        raise CheckFailed(text("selftest.attachment_differs"))
    return text(
        "selftest.round_trip_ok",
        cipher=opened.encryption.cipher,
        key_transport=opened.encryption.key_transport,
    )
