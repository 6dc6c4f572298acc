"""S/MIME: CMS envelopes (seal and open) and their MIME wrapping."""

from desktop_app.core.smime.algorithms import ContentCipher, KeyTransport
from desktop_app.core.smime.envelope_open import OpenedEnvelope, open_envelope
from desktop_app.core.smime.envelope_seal import BinarySink, seal_envelope, seal_envelope_into
from desktop_app.core.smime.errors import EnvelopeError
from desktop_app.core.smime.recipient_open import RecipientPrivateKey
from desktop_app.core.smime.recipient_seal import EnvelopeRecipient
from desktop_app.core.smime.wrap import (
    Base64LineWriter,
    envelope_to_mime,
    mime_header_block,
    mime_to_envelope,
)

__all__ = [
    "Base64LineWriter",
    "BinarySink",
    "ContentCipher",
    "EnvelopeError",
    "EnvelopeRecipient",
    "KeyTransport",
    "OpenedEnvelope",
    "RecipientPrivateKey",
    "envelope_to_mime",
    "mime_header_block",
    "mime_to_envelope",
    "open_envelope",
    "seal_envelope",
    "seal_envelope_into",
]
