"""Shared parties and helpers for the sealing and opening tests."""

from collections.abc import Iterator
from pathlib import Path

from desktop_app.core.identity import Identity, identity_of
from desktop_app.core.mime.compose import Attachment, InnerMessage
from desktop_app.core.pki.stored import Source
from desktop_app.core.recipients.addresses import parse_address_list, parse_mailbox
from desktop_app.core.recipients.evidence import CertificateJudge
from desktop_app.core.recipients.status import Draft
from desktop_app.core.smime.seal import OutgoingMessage, SealResult, seal_message
from desktop_app.services.certstore.store import CertStore
from tests.factories.certs import NOW, Issued, TestCA

CA = TestCA("Seal Root")
ME = CA.issue(["me@clinic.example"])
LEE = CA.issue(["lee@clinic.example"], key_kind="p256")
ANN = CA.issue(["ann@clinic.example"], slot=1)
BOB = CA.issue(["bob@partner.example"], slot=2)
PEOPLE = {"me": ME, "lee": LEE, "ann": ANN, "bob": BOB}


def identity(person: Issued) -> Identity:
    return identity_of(person.cert, person.key, (), source="test")


def stocked_store(path: Path) -> Iterator[CertStore]:
    """A store trusting CA and holding every party's certificate."""
    with CertStore.open(path) as opened:
        opened.add_trust_anchor(CA.cert, NOW)
        for person in PEOPLE.values():
            opened.add_certificate(person.cert, Source.IMPORTED, NOW)
        yield opened


def outgoing(to: str, cc: str = "", bcc: str = "") -> OutgoingMessage:
    draft = Draft(
        to=parse_address_list(to),
        cc=parse_address_list(cc),
        bcc=parse_address_list(bcc),
        sender=parse_mailbox("Me <me@clinic.example>"),
    )
    body = InnerMessage(
        "Results attached.\n", attachments=(Attachment("results.pdf", b"%PDF-1.7 x"),)
    )
    return OutgoingMessage(draft, "Results", body, in_reply_to="<m1@x>", references=("<m1@x>",))


def seal(
    store: CertStore, message: OutgoingMessage, signer: Issued = ME, **options: object
) -> SealResult:
    """Seal as ME; ``signer`` signs (and gets the sender's copy) instead, to try other keys."""
    draft = message.draft
    judge = CertificateJudge(store, NOW)
    mailboxes = (*draft.to, *draft.cc, *draft.bcc, draft.sender)
    evidence = judge.collect(m.key for m in mailboxes if m is not None)
    sender = identity(signer)
    return seal_message(
        message,
        evidence=evidence,
        identity=sender,
        certificate_for=store.certificate,
        at=NOW,
        **options,  # type: ignore[arg-type]
    )
