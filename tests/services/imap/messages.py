"""Received test messages: plain, signed, tampered and encrypted, made with real S/MIME."""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from tests.factories.certs import Issued

ME = "me@clinic.example"


def _headers(sender: str, subject: str, number: int) -> bytes:
    return (
        f"From: {sender}\r\nTo: {ME}\r\nSubject: {subject}\r\n"
        f"Date: Mon, 07 Dec 2026 09:{number:02d}:00 +0000\r\n"
        f"Message-ID: <m{number}-{subject.replace(' ', '-')}@clinic.example>\r\n"
    ).encode()


def plain(subject: str, number: int = 0) -> bytes:
    return (
        _headers("Sender <sender@clinic.example>", subject, number)
        + b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        + f"Body of {subject}.\r\n".encode()
    )


def signed(
    signer: Issued, address: str, subject: str, body: str = "Signed hello.", number: int = 1
) -> bytes:
    inner = f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n".encode()
    smime = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(inner)
        .add_signer(signer.cert, signer.key, hashes.SHA256())  # type: ignore[arg-type]
        .sign(serialization.Encoding.SMIME, [pkcs7.PKCS7Options.DetachedSignature])
    )
    return _headers(f"<{address}>", subject, number) + smime.replace(b"\n", b"\r\n").replace(
        b"\r\r\n", b"\r\n"
    )


def tampered(signer: Issued, address: str, subject: str, number: int = 2) -> bytes:
    message = signed(signer, address, subject, "Pay 10 pounds.", number)
    return message.replace(b"Pay 10 pounds.", b"Pay 99 pounds.")


def encrypted_to(recipient: Issued, subject: str, number: int = 3) -> bytes:
    inner = b"Content-Type: text/plain; charset=utf-8\r\n\r\nThe secret results.\r\n"
    smime = (
        pkcs7.PKCS7EnvelopeBuilder()
        .set_data(inner)
        .add_recipient(recipient.cert)
        .encrypt(serialization.Encoding.SMIME, [])
    )
    return _headers("<alice@clinic.example>", subject, number) + smime.replace(
        b"\n", b"\r\n"
    ).replace(b"\r\r\n", b"\r\n")
