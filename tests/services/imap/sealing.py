"""Sealed copies of one message (To and Cc, plus one Bcc copy) made by the product's sealer."""

from __future__ import annotations

from pathlib import Path

from desktop_app.core.identity import identity_of
from desktop_app.core.mime.compose import InnerMessage
from desktop_app.core.pki.stored import Source
from desktop_app.core.recipients.addresses import parse_mailbox
from desktop_app.core.recipients.evidence import CertificateJudge
from desktop_app.core.recipients.status import Draft
from desktop_app.core.smime.seal import OutgoingMessage, seal_message
from desktop_app.services.certstore.store import CertStore
from tests.factories import openssl_reader
from tests.factories.certs import Issued
from tests.services.imap.conftest import NOW, MailPki


def sealed_copies(pki: MailPki, store_path: Path, subject: str = "Lab results") -> list[bytes]:
    """To Alice, Cc Bob, Bcc Carol: the To/Cc copy and Carol's copy, sealed."""
    me = parse_mailbox("me@clinic.example")
    draft = Draft(
        to=(parse_mailbox("Alice Smith <alice@clinic.example>"),),
        cc=(parse_mailbox("bob@clinic.example"),),
        bcc=(parse_mailbox("carol@clinic.example"),),
        sender=me,
    )
    identity = identity_of(pki.me.cert, pki.me.key, (pki.root.cert,), source="test")
    with CertStore.open(store_path) as store:
        store.add_trust_anchor(pki.root.cert, NOW)
        for issued in (pki.alice, pki.bob, pki.carol, pki.me):
            store.add_certificate(issued.cert, Source.IMPORTED, NOW)
        keys = [m.key for m in (*draft.to, *draft.cc, *draft.bcc, me)]
        evidence = CertificateJudge(store, NOW).collect(keys)
        result = seal_message(
            OutgoingMessage(draft, subject, InnerMessage("Private results.\n")),
            evidence=evidence,
            identity=identity,
            certificate_for=store.certificate,
            at=NOW,
        )
    return [envelope.eml for envelope in result.envelopes]


def openssl_decrypt(message: bytes, reader: Issued, folder: Path) -> str:
    """What ``openssl cms -decrypt`` makes of ``message`` with ``reader``'s key, as text."""
    return openssl_reader.openssl_decrypt(message, reader, folder).decode(errors="replace")
