"""Opening a received message: decrypt and verify each S/MIME layer, then read the content.

Layers are peeled from the outside in: an envelope (decrypt with the user's key), a
multipart/signed (verify the detached signature), an opaque signed-data (verify and take
its content). What remains is the MIME entity the author wrote. Everything here works on
this message's bytes alone: nothing is cached between messages, so one message's
attachment or file name can never appear under another.
"""

import email.policy
import re
from dataclasses import dataclass
from datetime import datetime
from email.message import Message
from email.parser import BytesHeaderParser
from typing import Final

from asn1crypto import cms

from desktop_app.core.errors import UserFacingError
from desktop_app.core.identity import Identity
from desktop_app.core.messages import text
from desktop_app.core.mime.parse import ParsedMessage, parse_inner_mime
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.recipients.addresses import AddressError, parse_address_list
from desktop_app.core.smime.envelope_open import open_envelope
from desktop_app.core.smime.harvest import HarvestDecision, harvest_candidate
from desktop_app.core.smime.signature_mime import split_multipart_signed
from desktop_app.core.smime.signature_verify import (
    SignatureVerdict,
    verify_opaque,
    verify_signature,
)
from desktop_app.core.smime.wrap import mime_to_envelope

SIGNED_DATA_OID: Final = "1.2.840.113549.1.7.2"
SMIME_TYPES: Final = ("application/pkcs7-mime", "application/x-pkcs7-mime")
# Sign-then-encrypt gives three layers at most; a few more allow for triple wrapping.
MAX_LAYERS: Final = 6
_BLANK_LINE: Final = re.compile(rb"\r?\n\r?\n")


class OpenError(UserFacingError):
    """The message cannot be opened (no key for it, too many layers)."""


@dataclass(frozen=True)
class EncryptionReport:
    """How the message was encrypted."""

    cipher: str
    key_transport: str
    recipients: int
    weak: bool


@dataclass(frozen=True)
class OpenedMessage:
    """A message with its layers peeled: what protected it and what it says."""

    encryption: EncryptionReport | None
    signature: SignatureVerdict | None
    signature_outside_encryption: bool
    message: ParsedMessage
    from_key: str | None

    def harvest(self) -> HarvestDecision | None:
        """What may be learnt from the signature (None: the message was not signed)."""
        if self.signature is None or self.from_key is None:
            return None
        return harvest_candidate(
            self.signature, self.from_key, signs_encrypted=self.signature_outside_encryption
        )


def _headers(entity: bytes) -> Message:
    # Only the header section: the parser would otherwise copy megabytes of body into a str.
    blank_line = _BLANK_LINE.search(entity)
    section = entity if blank_line is None else entity[: blank_line.start() + 1]
    return BytesHeaderParser(policy=email.policy.compat32).parsebytes(section)


def _from_key(eml: bytes) -> str | None:
    headers = _headers(eml)
    value = headers.get("From")
    if value is None:
        return None
    try:
        senders = parse_address_list(str(value))
    except AddressError:
        return None
    return senders[0].key if len(senders) == 1 else None


def _content_type(entity: bytes) -> str:
    return _headers(entity).get_content_type()


def _is_signed_data(der: bytes) -> bool:
    try:
        return bool(cms.ContentInfo.load(der)["content_type"].dotted == SIGNED_DATA_OID)
    except (ValueError, TypeError, KeyError):
        return False  # open_envelope reports what is wrong with it


class _Peeler:
    """Peels one message's layers, remembering the first envelope and the first signature."""

    def __init__(
        self, identity: Identity | None, trust: TrustContext, at: datetime, from_key: str | None
    ) -> None:
        self.identity = identity
        self.trust = trust
        self.at = at
        self.from_key = from_key
        self.encryption: EncryptionReport | None = None
        self.signature: SignatureVerdict | None = None
        self.signature_outside_encryption = False

    def peel(self, entity: bytes) -> bytes:
        for _ in range(MAX_LAYERS):
            content_type = _content_type(entity)
            if content_type == "multipart/signed":
                parts = split_multipart_signed(entity)
                self._record(
                    verify_signature(
                        parts.signature,
                        parts.signed,
                        trust=self.trust,
                        at=self.at,
                        from_address_key=self.from_key,
                    )
                )
                entity = parts.signed
            elif content_type in SMIME_TYPES:
                der = mime_to_envelope(entity)
                if _is_signed_data(der):
                    verdict, entity = verify_opaque(
                        der, trust=self.trust, at=self.at, from_address_key=self.from_key
                    )
                    self._record(verdict)
                else:
                    entity = self._decrypt(der)
            else:
                return entity
        raise OpenError(text("open.too_many_layers", count=MAX_LAYERS))

    def _record(self, verdict: SignatureVerdict) -> None:
        if self.signature is None:
            self.signature = verdict

    def _decrypt(self, der: bytes) -> bytes:
        if self.identity is None:
            raise OpenError(text("open.no_identity"))
        if self.signature is not None and self.encryption is None:
            # The signature already met wraps this envelope: it signs ciphertext, which
            # anyone holding the message could have signed.
            self.signature_outside_encryption = True
        opened = open_envelope(der, self.identity.cert, self.identity.key)
        if self.encryption is None:
            self.encryption = EncryptionReport(
                opened.cipher, opened.key_transport, opened.recipient_count, opened.weak
            )
        return opened.content


def open_message(
    eml: bytes, *, identity: Identity | None, trust: TrustContext, at: datetime
) -> OpenedMessage:
    """Decrypt and verify ``eml`` and read its text and attachments.

    ``at`` is when the signer's certificate is judged (normally now). A message encrypted
    for someone else, or when ``identity`` is None, raises OpenError or EnvelopeError.

    Raises:
        UserFacingError: the message or one of its layers cannot be read.
    """
    from_key = _from_key(eml)
    peeler = _Peeler(identity, trust, at, from_key)
    content = peeler.peel(eml)
    return OpenedMessage(
        encryption=peeler.encryption,
        signature=peeler.signature,
        signature_outside_encryption=peeler.signature_outside_encryption,
        message=parse_inner_mime(content),
        from_key=from_key,
    )
