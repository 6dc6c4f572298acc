"""Messages for the m365 tests: sealed ones of a given size, and inbox mail that is signed,
encrypted or tampered with."""

from __future__ import annotations

import os

from desktop_app.core.mime.compose import Attachment, InnerMessage, build_inner_mime
from desktop_app.core.smime.envelope_seal import seal_envelope
from desktop_app.core.smime.recipient_seal import EnvelopeRecipient
from desktop_app.core.smime.signature_mime import multipart_signed
from desktop_app.core.smime.signature_sign import sign_detached
from desktop_app.core.smime.wrap import envelope_to_mime
from tests.factories.certs import NOW, Issued

SENDER = "me@clinic.example"
DATE = "Mon, 01 Jun 2026 12:00:00 +0000"


def sealed_with_attachment(recipient: Issued, address: str, size: int, number: int) -> bytes:
    """A message to ``address`` sealed for ``recipient`` with ``size`` random bytes attached."""
    inner = build_inner_mime(
        InnerMessage("Scan attached.\n", attachments=(Attachment("scan.bin", os.urandom(size)),))
    )
    headers = {
        "From": SENDER,
        "To": address,
        "Subject": f"Scan {number}",
        "Date": DATE,
        "Message-ID": f"<scan-{number}-{size}@clinic.example>",
    }
    der = seal_envelope(inner, [EnvelopeRecipient(recipient.cert)])
    return envelope_to_mime(der, auth=False, headers=headers)


def _head(sender: str, subject: str) -> bytes:
    return (
        f"From: {sender}\r\nTo: {SENDER}\r\nSubject: {subject}\r\nDate: {DATE}\r\n"
        "MIME-Version: 1.0\r\n"
    ).encode()


def signed_mail(signer: Issued, sender: str, subject: str, *, tamper: bool = False) -> bytes:
    entity = build_inner_mime(InnerMessage("Lab results are normal.\n"))
    signed = multipart_signed(
        entity, sign_detached(entity, signer.cert, signer.key, signing_time=NOW)
    )
    if tamper:
        signed = signed.replace(b"normal", b"urgent", 1)
    return _head(sender, subject) + signed


def encrypted_mail(recipient: Issued, sender: str, subject: str) -> bytes:
    entity = build_inner_mime(InnerMessage("Sealed for you.\n"))
    der = seal_envelope(entity, [EnvelopeRecipient(recipient.cert)])
    headers = {"From": sender, "To": SENDER, "Subject": subject, "Date": DATE}
    return envelope_to_mime(der, auth=False, headers=headers)


def plain_mail(sender: str, subject: str) -> bytes:
    return _head(sender, subject) + b"Content-Type: text/plain\r\n\r\nHello.\r\n"
