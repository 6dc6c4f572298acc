"""Sealing a composed message: sign, then encrypt, one envelope per audience; never partly.

The one rule decides first. A draft that is not Encrypted for every To, Cc and Bcc
recipient is refused with the list of uncovered recipients; nothing unencrypted is ever
produced as a side effect of a failure. The sender is a recipient of every envelope, so
the Sent Items copy stays readable. Each Bcc recipient gets an envelope of their own,
addressed to them alone, so no recipient can see another's RecipientInfo and a transport
that delivers to the header addresses (Exchange) cannot reveal the Bcc.
"""

import email.utils
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from desktop_app.core.errors import UserFacingError
from desktop_app.core.identity import Identity, OwnCertificate
from desktop_app.core.messages import text
from desktop_app.core.mime.compose import InnerMessage, InnerMime, inner_mime
from desktop_app.core.mime.encode import BinarySink
from desktop_app.core.notices import Notice
from desktop_app.core.recipients.addresses import Mailbox
from desktop_app.core.recipients.status import (
    Draft,
    Evidence,
    Field,
    MessageStatus,
    Overall,
    RecipientStatus,
    decide,
)
from desktop_app.core.smime.algorithms import ContentCipher, KeyTransport
from desktop_app.core.smime.envelope_seal import prepare_envelope
from desktop_app.core.smime.header_protection import ProtectedPayload, outer_headers
from desktop_app.core.smime.outer_headers import message_headers
from desktop_app.core.smime.recipient_seal import EnvelopeRecipient
from desktop_app.core.smime.same_readings import SameOnEveryReading
from desktop_app.core.smime.signature_sign import SHA256, sign_detached_digest
from desktop_app.core.smime.signature_stream import SignedStream, signed_stream
from desktop_app.core.smime.wrap import sealed_mime, write_sealed_mime

# Advertised-algorithm names (see capabilities.capability_names) that change our choice.
GCM_CAPABILITY = ContentCipher.AES256_GCM.value
OAEP_CAPABILITY = KeyTransport.RSA_OAEP.value  # OAEP with SHA-256, the only OAEP we write


class NotAllCoveredError(UserFacingError):
    """Some recipients cannot read an encrypted message; nothing was sealed."""

    def __init__(self, status: MessageStatus) -> None:
        names = "; ".join(f"{r.mailbox.address}: {r.reason}" for r in status.uncovered)
        if names:
            message = text("seal.not_all_covered", summary=status.summary, names=names)
        else:  # nobody to name: no recipients at all
            message = text("seal.nothing_sealed", summary=status.summary)
        super().__init__(message)
        self.status = status


class NoOwnCertificateError(UserFacingError):
    """The sender has no certificate to encrypt their own copy to."""


@dataclass(frozen=True)
class OutgoingMessage:
    """A draft ready to send: recipients, subject, body and reply threading."""

    draft: Draft
    subject: str
    body: InnerMessage
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    # RFC 9788: the real Subject (and addresses, date, IDs) inside the encryption, the
    # outer Subject "[...]" (policy.toml protect_headers).
    protect_headers: bool = False


@dataclass(frozen=True)
class CipherPolicy:
    """How strong to go. ``require_gcm`` comes from the practice's policy."""

    require_gcm: bool = False


@dataclass(frozen=True)
class SealedEnvelope:
    """One message on the wire. ``bcc`` is the Bcc recipient it alone is for, if any."""

    readers: tuple[str, ...]
    bcc: str | None
    cipher: ContentCipher
    eml: bytes | None = field(repr=False)  # None when it was written to a sink

    @property
    def message(self) -> bytes:
        """The message bytes; only for envelopes sealed without a sink."""
        if self.eml is None:
            raise ValueError("this envelope was written to a sink")
        return self.eml


# Given an envelope's number (from 1) and its Bcc recipient, where to write it.
SinkFor = Callable[[int, str | None], BinarySink]


@dataclass(frozen=True)
class SealResult:
    envelopes: tuple[SealedEnvelope, ...]
    notices: tuple[Notice, ...]
    status: MessageStatus


def _key_holders(readers: Sequence[RecipientStatus]) -> list[RecipientStatus]:
    """The statuses that carry a certificate: each person, and each member of a list."""
    return [member for reader in readers for member in (reader.members or (reader,))]


def _cipher(
    readers: Sequence[RecipientStatus],
    capabilities: Mapping[str, tuple[str, ...]],
    policy: CipherPolicy,
) -> ContentCipher:
    # CBC reaches every client; GCM only when every reader said (in a signed message) that
    # their client reads it, or the practice requires it.
    advertised = all(
        r.certificate is not None
        and GCM_CAPABILITY in capabilities.get(r.certificate.fingerprint, ())
        for r in readers
    )
    return (
        ContentCipher.AES256_GCM
        if policy.require_gcm or (readers and advertised)
        else (ContentCipher.AES256_CBC)
    )


def _envelope_recipient(
    certificate: x509.Certificate, advertised: tuple[str, ...]
) -> EnvelopeRecipient:
    transport = (
        KeyTransport.RSA_OAEP if OAEP_CAPABILITY in advertised else KeyTransport.RSA_PKCS1V15
    )
    return EnvelopeRecipient(certificate, transport)


class _Sealer:
    def __init__(
        self,
        message: OutgoingMessage,
        identity: Identity | OwnCertificate,
        certificate_for: Callable[[str], x509.Certificate],
        capabilities: Mapping[str, tuple[str, ...]],
        policy: CipherPolicy,
        at: datetime,
        new_message_id: Callable[[], str],
        sink_for: SinkFor | None,
    ) -> None:
        self.message = message
        self.identity = identity
        self.certificate_for = certificate_for
        self.capabilities = capabilities
        self.policy = policy
        self.at = at
        self.new_message_id = new_message_id
        self.sink_for = sink_for
        self.written = 0
        self.same_reading: SameOnEveryReading | None = None

    def content(
        self, sign: bool, inner: InnerMime | None = None, headers: Mapping[str, str] | None = None
    ) -> InnerMime | SignedStream | ProtectedPayload:
        # Made as it is encrypted, attachments read from their sources as it goes: never
        # held whole.
        inner = inner_mime(self.message.body) if inner is None else inner
        payload: InnerMime | ProtectedPayload = inner
        if headers is not None:
            # The composed entity is read once per envelope; each reading must match.
            reading = self.same_reading or inner
            payload = ProtectedPayload(headers, reading, inner)
        if not sign:
            return payload
        identity, at = self.identity, self.at
        if not isinstance(identity, Identity):
            # A caller's mistake, never the user's: unsigned seals alone go without the key.
            raise TypeError("signing needs the identity's private key")

        def sign_digest(digest: bytes) -> bytes:
            return sign_detached_digest(
                digest, identity.cert, identity.key, chain=identity.chain, signing_time=at
            )

        # An RSA signature always has the key's length, so it can be made after the
        # content has gone by; an ECDSA one varies, so the content is digested first.
        fixed = isinstance(identity.key, rsa.RSAPrivateKey)
        return signed_stream(payload, sign_digest, SHA256, fixed_length=fixed)

    def headers(self, to: Sequence[Mailbox], cc: Sequence[Mailbox]) -> dict[str, str]:
        sender = self.message.draft.sender
        assert sender is not None
        return message_headers(
            sender=sender,
            to=to,
            cc=cc,
            subject=self.message.subject,
            at=self.at,
            message_id=self.new_message_id(),
            in_reply_to=self.message.in_reply_to,
            references=self.message.references,
        )

    def envelope(
        self,
        content: InnerMime | SignedStream | SameOnEveryReading | ProtectedPayload,
        readers: Sequence[RecipientStatus],
        headers: dict[str, str],
        bcc: str | None,
    ) -> SealedEnvelope:
        recipients = []
        for holder in _key_holders(readers):
            assert holder.certificate is not None  # covered means a usable certificate
            fingerprint = holder.certificate.fingerprint
            recipients.append(
                _envelope_recipient(
                    self.certificate_for(fingerprint), self.capabilities.get(fingerprint, ())
                )
            )
        recipients.append(EnvelopeRecipient(self.identity.cert))
        cipher = _cipher(_key_holders(readers), self.capabilities, self.policy)
        prepared = prepare_envelope(content, recipients, cipher)
        auth = cipher is ContentCipher.AES256_GCM
        eml: bytes | None = None
        if self.message.protect_headers:
            headers = outer_headers(headers)
        if self.sink_for is None:
            eml = sealed_mime(prepared, auth=auth, headers=headers)
        else:
            self.written += 1
            sink = self.sink_for(self.written, bcc)
            write_sealed_mime(prepared, sink, auth=auth, headers=headers)
        return SealedEnvelope(tuple(r.mailbox.key for r in readers), bcc, cipher, eml)


def _mixed_key_types(readers: Sequence[x509.Certificate]) -> bool:
    kinds = {isinstance(cert.public_key(), ec.EllipticCurvePublicKey) for cert in readers}
    return len(kinds) > 1


def seal_message(
    message: OutgoingMessage,
    *,
    evidence: Evidence,
    identity: Identity | OwnCertificate,
    certificate_for: Callable[[str], x509.Certificate],
    at: datetime,
    sign: bool = True,
    capabilities: Mapping[str, tuple[str, ...]] | None = None,
    policy: CipherPolicy = CipherPolicy(),
    new_message_id: Callable[[], str] | None = None,
    sink_for: SinkFor | None = None,
) -> SealResult:
    """Seal ``message`` for every recipient, or raise NotAllCoveredError and seal nothing.

    Args:
        evidence: what the one rule needs; the verdict is taken afresh here, so a stale
            status from the compose window can never let a partial envelope through.
        identity: the sender, a reader of every envelope; its private key (an
            ``Identity``) is needed only to sign.
        certificate_for: the stored certificate of a fingerprint.
        capabilities: per certificate fingerprint, the algorithms its owner's client
            advertised in a signed message (SMIMECapabilities names).
        new_message_id: makes a Message-ID; one per envelope.
        sink_for: where to write each envelope's message as it is made (files, so a large
            message is never held in memory); without it each ``eml`` holds the bytes.
    """
    draft = message.draft
    if draft.sender is None:
        raise NoOwnCertificateError(text("seal.no_sender"))
    status = decide(draft, evidence)
    if status.overall is not Overall.ENCRYPTED:
        raise NotAllCoveredError(status)
    domain = draft.sender.address.rpartition("@")[2]
    sealer = _Sealer(
        message,
        identity,
        certificate_for,
        capabilities or {},
        policy,
        at,
        new_message_id or (lambda: email.utils.make_msgid(domain=domain)),
        sink_for,
    )
    shared = [r for r in status.recipients if r.field is not Field.BCC]
    hidden_count = sum(1 for r in status.recipients if r.field is Field.BCC)
    audiences: list[tuple[list[RecipientStatus], dict[str, str], str | None]] = []
    if shared:
        to = [r.mailbox for r in shared if r.field is Field.TO]
        cc = [r.mailbox for r in shared if r.field is Field.CC]
        audiences.append((shared, sealer.headers(to, cc), None))
    for hidden in (r for r in status.recipients if r.field is Field.BCC):
        audiences.append(([hidden], sealer.headers([hidden.mailbox], []), hidden.mailbox.key))
    several = bool(shared) + hidden_count > 1
    envelopes = []
    if message.protect_headers:
        # Each copy's payload carries its own headers, so each is made (and signed) on its
        # own; the composed entity inside must read the same for every copy.
        inner = inner_mime(message.body)
        if several:
            sealer.same_reading = SameOnEveryReading(inner)
        for readers, headers, bcc in audiences:
            content = sealer.content(sign, inner, headers)
            envelopes.append(sealer.envelope(content, readers, headers, bcc))
    else:
        shared_content: InnerMime | SignedStream | ProtectedPayload | SameOnEveryReading
        shared_content = sealer.content(sign)
        if not sign and several:
            # Signed content is checked against its signed digest on every reading already.
            shared_content = SameOnEveryReading(shared_content)
        for readers, headers, bcc in audiences:
            envelopes.append(sealer.envelope(shared_content, readers, headers, bcc))
    # The Subject is checked for patient details by the caller (the PHI guard), which
    # says what it found; a reminder on every message stopped being read.
    notices: list[Notice] = []
    reader_certs = [
        certificate_for(r.certificate.fingerprint)
        for r in _key_holders(status.recipients)
        if r.certificate
    ]
    if _mixed_key_types([*reader_certs, identity.cert]):
        notices.append(Notice("mixed_key_types", text("seal.mixed_key_types")))
    return SealResult(tuple(envelopes), tuple(notices), status)
