"""Layered S/MIME messages made with the product's own signing and sealing: a detached
signature around an entity, an envelope around one, and the header lines in front. Stack
them in any order to make sign-then-encrypt, encrypt-then-sign or a second signer."""

from __future__ import annotations

from datetime import datetime

from desktop_app.core.smime.envelope_seal import seal_envelope
from desktop_app.core.smime.recipient_seal import EnvelopeRecipient
from desktop_app.core.smime.signature_mime import multipart_signed
from desktop_app.core.smime.signature_sign import sign_detached
from desktop_app.core.smime.wrap import envelope_to_mime
from tests.factories.certs import Issued


def signed(entity: bytes, signer: Issued, when: datetime) -> bytes:
    """``entity`` in a multipart/signed whose signature ``signer`` made at ``when``."""
    signature = sign_detached(entity, signer.cert, signer.key, signing_time=when)
    return multipart_signed(entity, signature)


def encrypted(entity: bytes, reader: Issued) -> bytes:
    """``entity`` in an AES-CBC envelope (application/pkcs7-mime) that ``reader`` opens."""
    envelope = seal_envelope(entity, [EnvelopeRecipient(reader.cert)])
    return envelope_to_mime(envelope, auth=False, headers={})


def head(sender: str, date: str, subject: str = "x") -> bytes:
    """The top-level header lines a saved message starts with, To lee@clinic.example."""
    return (
        f"From: {sender}\r\nTo: lee@clinic.example\r\nSubject: {subject}\r\nDate: {date}\r\n"
        "MIME-Version: 1.0\r\n"
    ).encode()
