"""Sealed test messages made with the product's own sealing code."""

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
from tests.factories.certs import NOW
from tests.services.exchange.conftest import Pki


def seal_files(pki: Pki, folder: Path, store_path: Path) -> list[Path]:
    """A message to Alice (To) and Bob (Cc) with Carol in Bcc: two envelope files."""
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
            OutgoingMessage(draft, "Lab results", InnerMessage("Private.\n")),
            evidence=evidence,
            identity=identity,
            certificate_for=store.certificate,
            at=NOW,
        )
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, envelope in enumerate(result.envelopes, 1):
        path = folder / f"{number:02d}.eml"
        path.write_bytes(envelope.eml)
        paths.append(path)
    return paths
