"""Opening a received message: decrypt and verify each S/MIME layer, then read the content.

Layers are peeled from the outside in: an envelope (decrypt with the user's key), a
multipart/signed (verify the detached signature), an opaque signed-data (verify and take
its content). What remains is the MIME entity the author wrote. Every layer is reported,
outermost first (``layers``); the verdict on the text (``signature``) comes only from a
signature that covers it. Everything here works on this message's bytes alone: nothing is
cached between messages, so one message's attachment or file name can never appear under
another.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime
from email.message import Message
from email.parser import BytesHeaderParser
from typing import Final

from asn1crypto import cms

from desktop_app.core.errors import UserFacingError
from desktop_app.core.identity import Identity
from desktop_app.core.messages import text
from desktop_app.core.mime.headers import decode_encoded_words
from desktop_app.core.mime.html_text import html_to_text
from desktop_app.core.mime.message_check import (
    check_mail_message,
    check_single_sender,
    header_section,
)
from desktop_app.core.mime.parse import MessageHeaders, ParsedMessage, parse_inner_mime
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.recipients.addresses import AddressError, parse_address_list
from desktop_app.core.smime.algorithms import OID_AUTH_ENVELOPED_DATA, OID_ENVELOPED_DATA
from desktop_app.core.smime.envelope_open import open_envelope
from desktop_app.core.smime.envelope_parse import malformed_input
from desktop_app.core.smime.harvest import HarvestDecision, harvest_candidate
from desktop_app.core.smime.header_protection import outer_differences
from desktop_app.core.smime.layers import (
    Covers,
    EncryptionReport,
    Layer,
    encrypted,
    signed,
    text_verdict,
    with_coverage,
)
from desktop_app.core.smime.signature_errors import SignatureError
from desktop_app.core.smime.signature_mime import split_multipart_signed
from desktop_app.core.smime.signature_verify import (
    SignatureVerdict,
    verify_opaque,
    verify_signature,
)
from desktop_app.core.smime.signing_time import (
    hours_from_date,
    message_date,
    shown_signing_time,
    signed_in_future,
)
from desktop_app.core.smime.wrap import mime_to_envelope

__all__ = [
    "EncryptionReport",
    "IdentityNeededError",
    "OpenError",
    "OpenWarning",
    "OpenedMessage",
    "open_message",
]

SIGNED_DATA_OID: Final = "1.2.840.113549.1.7.2"
_ENVELOPE_TYPES: Final = {
    OID_ENVELOPED_DATA: cms.EnvelopedData,
    OID_AUTH_ENVELOPED_DATA: cms.AuthEnvelopedData,
}
SMIME_TYPES: Final = ("application/pkcs7-mime", "application/x-pkcs7-mime")
# Sign-then-encrypt gives three layers at most; a few more allow for triple wrapping.
MAX_LAYERS: Final = 6


class OpenError(UserFacingError):
    """The message cannot be opened (no key for it, too many layers)."""


class IdentityNeededError(OpenError):
    """An envelope was met, and no identity was given to open it with."""


@dataclass(frozen=True)
class OpenWarning:
    """Something the reader should know about an opened message (``code`` for programs)."""

    code: str
    message: str


@dataclass(frozen=True)
class OpenedMessage:
    """A message with its layers peeled: what protected it and what it says.

    ``signature`` is the verdict on the text the reader sees; ``signature_covers`` says
    what the signature behind it covers (a signature only around the encryption gives a
    verdict that is not valid). ``layers`` lists every signature and envelope, outermost
    first. ``encryption`` is the outermost envelope.
    """

    encryption: EncryptionReport | None
    signature: SignatureVerdict | None
    message: ParsedMessage
    from_key: str | None
    layers: tuple[Layer, ...]
    signature_covers: Covers | None
    warnings: tuple[OpenWarning, ...]
    opened_at: datetime
    # The headers to show: the protected ones (RFC 9788) when the message has them, else
    # the outer ones.
    headers: MessageHeaders = dataclass_field(default_factory=MessageHeaders)

    @property
    def headers_protected(self) -> bool:
        return self.message.protected_headers

    @property
    def signature_outside_encryption(self) -> bool:
        """True when some signature covers an envelope rather than the text."""
        return any(layer.covers is Covers.ENVELOPE for layer in self.layers)

    @property
    def text_from_html(self) -> bool:
        """True when the message has no plain text, so ``body_text`` is made from its HTML."""
        return not self.message.text.strip() and bool(self.message.html)

    @property
    def body_text(self) -> str:
        """What the reader is shown: the plain text, else a safe rendering of the HTML."""
        if self.text_from_html:
            assert self.message.html is not None
            return html_to_text(self.message.html)
        return self.message.text

    def harvest(self) -> HarvestDecision | None:
        """What may be learnt from the signature (None: the message was not signed)."""
        if self.signature is None or self.from_key is None:
            return None
        return harvest_candidate(
            self.signature,
            self.from_key,
            signs_encrypted=self.signature_covers is Covers.ENVELOPE,
            at=self.opened_at,
        )


def _headers(entity: bytes) -> Message:
    # Only the header section: the parser would otherwise copy megabytes of body into a str.
    return BytesHeaderParser().parsebytes(header_section(entity) + b"\n")


def _from_key(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        senders = parse_address_list(value)
    except AddressError:
        return None
    return senders[0].key if len(senders) == 1 else None


def _content_type(entity: bytes) -> str:
    return _headers(entity).get_content_type()


def _carried_envelope(content_type: str, content: bytes) -> bytes:
    """The ContentInfo of an envelope a SignedData carries directly (its eContentType is
    enveloped or authEnveloped data, without MIME between).

    RFC 5652 puts the bare (Auth)EnvelopedData there; OpenSSL signs whatever it is given,
    often the whole ContentInfo. Both are accepted.

    Raises:
        EnvelopeError: neither form.
    """
    with malformed_input():
        try:
            info = cms.ContentInfo.load(content)
            if info["content_type"].dotted == content_type:
                return content
        except (ValueError, TypeError, KeyError):
            pass  # not a ContentInfo: the bare envelope, as RFC 5652 has it
        envelope = _ENVELOPE_TYPES[content_type].load(content)
        return bytes(cms.ContentInfo({"content_type": content_type, "content": envelope}).dump())


def _is_signed_data(der: bytes) -> bool:
    try:
        return bool(cms.ContentInfo.load(der)["content_type"].dotted == SIGNED_DATA_OID)
    except (ValueError, TypeError, KeyError):
        return False  # open_envelope reports what is wrong with it


class _Peeler:
    """Peels one message's layers, outermost first, recording each signature and envelope."""

    def __init__(
        self, identity: Identity | None, trust: TrustContext, at: datetime, from_key: str | None
    ) -> None:
        self.identity = identity
        self.trust = trust
        self.at = at
        self.from_key = from_key
        self.layers: list[Layer] = []

    def peel(self, entity: bytes) -> bytes:
        for _ in range(MAX_LAYERS):
            content_type = _content_type(entity)
            if content_type == "multipart/signed":
                parts = split_multipart_signed(entity)
                self.layers.append(signed(self._verify_detached(parts.signature, parts.signed)))
                entity = parts.signed
            elif content_type in SMIME_TYPES:
                der = mime_to_envelope(entity)
                if _is_signed_data(der):
                    verdict, entity = verify_opaque(
                        der, trust=self.trust, at=self.at, from_address_key=self.from_key
                    )
                    self.layers.append(signed(verdict))
                    if verdict.content_type in _ENVELOPE_TYPES:
                        entity = self._decrypt(_carried_envelope(verdict.content_type, entity))
                else:
                    entity = self._decrypt(der)
            else:
                return entity
        raise OpenError(text("open.too_many_layers", count=MAX_LAYERS))

    def _verify_detached(self, signature: bytes, content: bytes) -> SignatureVerdict:
        try:
            return verify_signature(
                signature, content, trust=self.trust, at=self.at, from_address_key=self.from_key
            )
        except SignatureError as error:
            # The signed part is intact whatever the signature part holds: a damaged
            # (transport) signature is reported as not valid, and any signature inside
            # still gets its own verdict.
            return SignatureVerdict(
                valid=False,
                reason=error.message,
                signer=None,
                signer_addresses=(),
                signing_time=None,
                capabilities=(),
                digest_algorithm="",
            )

    def _decrypt(self, der: bytes) -> bytes:
        if self.identity is None:
            raise IdentityNeededError(text("open.no_identity"))
        opened = open_envelope(der, self.identity.cert, self.identity.key)
        report = EncryptionReport(
            opened.cipher, opened.key_transport, opened.recipient_count, opened.weak
        )
        self.layers.append(encrypted(report))
        return opened.content


def _signing_time_warnings(
    layers: Sequence[Layer], date_header: str | None, at: datetime
) -> tuple[OpenWarning, ...]:
    """Signing times in the future, or more than an hour from the Date: header."""
    date = message_date(date_header)
    found: dict[str, OpenWarning] = {}
    for layer in layers:
        verdict = layer.verdict
        if verdict is None or verdict.signing_time is None:
            continue
        shown = shown_signing_time(verdict.signing_time)
        if signed_in_future(verdict.signing_time, at):
            message = text("warning.signing_time_in_future", signing_time=shown)
            found.setdefault(message, OpenWarning("signing_time_in_future", message))
        hours = hours_from_date(verdict.signing_time, date)
        if hours is not None:
            message = text(
                "warning.signing_time_far_from_date",
                signing_time=shown,
                hours=hours,
                date=date_header,
            )
            found.setdefault(message, OpenWarning("signing_time_far_from_date", message))
    return tuple(found.values())


def open_message(
    eml: bytes, *, identity: Identity | None, trust: TrustContext, at: datetime
) -> OpenedMessage:
    """Decrypt and verify ``eml`` and read its text and attachments.

    ``at`` is when the signer's certificate is judged (normally now). A message encrypted
    for someone else, or when ``identity`` is None, raises OpenError or EnvelopeError.

    Raises:
        NotAMailMessage: ``eml`` is no mail message (see ``check_mail_message``).
        AmbiguousSender: the message has two From: fields.
        UserFacingError: the message or one of its layers cannot be read.
    """
    fields = check_mail_message(eml)
    check_single_sender(fields)
    field = {f.name.lower(): f.value for f in reversed(fields)}  # the first of each name
    from_key = _from_key(field.get("from"))
    peeler = _Peeler(identity, trust, at, from_key)
    content = peeler.peel(eml)
    layers = with_coverage(peeler.layers)
    verdict, covers = text_verdict(layers)
    outermost = next((layer.encryption for layer in layers if layer.encryption), None)
    parsed = parse_inner_mime(content)
    outer = {name: decode_encoded_words(value) for name, value in field.items()}
    headers, header_warnings = _shown_headers(parsed, outer)
    return OpenedMessage(
        encryption=outermost,
        signature=verdict,
        message=parsed,
        from_key=from_key,
        layers=layers,
        signature_covers=covers,
        warnings=(*_signing_time_warnings(layers, field.get("date"), at), *header_warnings),
        opened_at=at,
        headers=headers,
    )


def _shown_headers(
    parsed: ParsedMessage, outer: dict[str, str]
) -> tuple[MessageHeaders, tuple[OpenWarning, ...]]:
    """The headers to show (protected ones first), and a warning per outer field that
    differs from its protected value without the sender having said so (HP-Outer)."""
    if not parsed.protected_headers:
        return (
            MessageHeaders(
                from_=outer.get("from"),
                to=outer.get("to"),
                cc=outer.get("cc"),
                subject=outer.get("subject"),
                date=outer.get("date"),
                message_id=outer.get("message-id"),
            ),
            (),
        )
    inner = parsed.headers
    protected = {
        "from": inner.from_,
        "to": inner.to,
        "cc": inner.cc,
        "subject": inner.subject,
        "date": inner.date,
        "message-id": inner.message_id,
    }
    present = {name: value for name, value in protected.items() if value is not None}
    warnings = tuple(
        OpenWarning(
            "outer_header_differs",
            text("warning.outer_header_differs", name=name, outer=seen, inner=value),
        )
        for name, seen, value in outer_differences(outer, present, parsed.hp_outer)
    )
    return inner, warnings
