"""Take a received EnvelopedData or AuthEnvelopedData apart without copying its content.

The BER reader locates the fields (DER or BER with indefinite lengths, as OpenSSL -stream
writes); asn1crypto decodes each small field from its own slice; the encrypted content is
returned as views of its segments, ready to be fed to a decryptor.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import Final

from asn1crypto import algos, cms, core

from desktop_app.core.messages import text
from desktop_app.core.smime.algorithms import (
    OID_AUTH_ENVELOPED_DATA,
    OID_ENVELOPED_DATA,
    OID_SIGNED_DATA,
)
from desktop_app.core.smime.ber import (
    CONTEXT,
    TAG_INTEGER,
    TAG_OCTET_STRING,
    TAG_OID,
    TAG_SEQUENCE,
    TAG_SET,
    UNIVERSAL,
    BerError,
    BerReader,
    FieldCursor,
    Tlv,
    reported_as,
)
from desktop_app.core.smime.errors import (
    EnvelopeError,
)

_PIECE: Final = 1 << 20


@dataclass(frozen=True)
class EncryptedContent:
    """The encrypted content, located in the input without copying it."""

    view: memoryview
    bounds: array[int]  # start, end, start, end, ... of each segment
    length: int

    def pieces(self, size: int = _PIECE) -> Iterator[memoryview]:
        """The content in order, as views of at most ``size`` bytes: decrypting each then
        makes a small temporary rather than a second copy of a big segment."""
        view, bounds = self.view, self.bounds
        for index in range(0, len(bounds), 2):
            start, end = bounds[index], bounds[index + 1]
            for offset in range(start, end, size):
                yield view[offset : min(offset + size, end)]


@dataclass(frozen=True)
class ParsedEnvelope:
    """The parts of an envelope that opening needs."""

    authenticated: bool  # AuthEnvelopedData rather than EnvelopedData
    recipient_infos: cms.RecipientInfos
    content_type: str  # dotted OID of the encrypted content
    algorithm: algos.EncryptionAlgorithm
    content: EncryptedContent
    auth_attrs: bytes | None  # DER of authAttrs as a SET: the GCM additional data
    mac: bytes | None  # the GCM tag


@contextmanager
def malformed_input() -> Iterator[None]:
    """Report bad input as one EnvelopeError.

    asn1crypto signals malformed data with assorted built-in exceptions, raised lazily when
    a field is first read, so every read of received structures runs inside this.
    """
    with reported_as(lambda: EnvelopeError(text("envelope.malformed"))):
        yield


def parse_envelope(data: bytes | bytearray | memoryview) -> ParsedEnvelope:
    """Locate and decode the fields of a ContentInfo holding an (Auth)EnvelopedData.

    Data after the ContentInfo is ignored, as OpenSSL does.

    Raises:
        EnvelopeError: not an encrypted CMS message, or malformed.
    """
    with malformed_input():
        reader = BerReader(data)
        content_info = reader.element(0)
        _expect(content_info, UNIVERSAL, TAG_SEQUENCE, constructed=True)
        fields = _fields(reader, content_info, 2)
        if len(fields) != 2:
            raise BerError("ContentInfo needs a type and a content")
        _expect(fields[0], UNIVERSAL, TAG_OID)
        content_type = core.ObjectIdentifier.load(reader.span(fields[0]))
        _check_content_type(content_type)
        _expect(fields[1], CONTEXT, 0, constructed=True)
        inner = _fields(reader, fields[1], 1)
        if len(inner) != 1:
            raise BerError("[0] content must hold one element")
        _expect(inner[0], UNIVERSAL, TAG_SEQUENCE, constructed=True)
        return _parse_enveloped(reader, inner[0], content_type.dotted == OID_AUTH_ENVELOPED_DATA)


def _check_content_type(content_type: core.ObjectIdentifier) -> None:
    dotted = content_type.dotted
    if dotted in (OID_ENVELOPED_DATA, OID_AUTH_ENVELOPED_DATA):
        return
    if dotted == OID_SIGNED_DATA:
        raise EnvelopeError(text("envelope.signed_not_encrypted"))
    raise EnvelopeError(text("envelope.not_encrypted", kind=content_type.native))


def _parse_enveloped(reader: BerReader, sequence: Tlv, authenticated: bool) -> ParsedEnvelope:
    """EnvelopedData (RFC 5652 6.1) or AuthEnvelopedData (RFC 5083 2.1) fields."""
    fields = _fields(reader, sequence, 7)
    cursor = FieldCursor(fields)
    take = cursor.take

    take(UNIVERSAL, TAG_INTEGER)  # version: nothing depends on it
    take(CONTEXT, 0, optional=True)  # originatorInfo: certificates we do not need
    recipient_infos_tlv = take(UNIVERSAL, TAG_SET)
    content_info_tlv = take(UNIVERSAL, TAG_SEQUENCE)
    assert recipient_infos_tlv is not None and content_info_tlv is not None
    recipient_infos = cms.RecipientInfos.load(reader.span(recipient_infos_tlv))
    auth_attrs = mac = None
    if authenticated:
        attrs_tlv = take(CONTEXT, 1, optional=True)
        if attrs_tlv is not None:
            attributes = cms.CMSAttributes.load(reader.span(attrs_tlv), implicit=1)
            # RFC 5083: the MAC covers the DER of the attributes with the SET OF tag.
            auth_attrs = attributes.untag().dump(force=attrs_tlv.indefinite)
        mac_tlv = take(UNIVERSAL, TAG_OCTET_STRING)
        assert mac_tlv is not None
        mac = b"".join(reader.octet_chunks(mac_tlv))
        take(CONTEXT, 2, optional=True)  # unauthAttrs
    else:
        take(CONTEXT, 1, optional=True)  # unprotectedAttrs
    cursor.finish()
    content_type, algorithm, content = _parse_content_info(reader, content_info_tlv)
    return ParsedEnvelope(
        authenticated, recipient_infos, content_type, algorithm, content, auth_attrs, mac
    )


def _parse_content_info(
    reader: BerReader, sequence: Tlv
) -> tuple[str, algos.EncryptionAlgorithm, EncryptedContent]:
    """EncryptedContentInfo: content type, algorithm and the encrypted content segments."""
    fields = _fields(reader, sequence, 3)
    if len(fields) < 2:
        raise BerError("EncryptedContentInfo has the wrong number of fields")
    _expect(fields[0], UNIVERSAL, TAG_OID)
    _expect(fields[1], UNIVERSAL, TAG_SEQUENCE, constructed=True)
    content_type = core.ObjectIdentifier.load(reader.span(fields[0])).dotted
    algorithm = algos.EncryptionAlgorithm.load(reader.span(fields[1]))
    if len(fields) == 2:
        raise EnvelopeError(
            text("envelope.no_content")
        )  # detached content: nothing to decrypt here
    _expect(fields[2], CONTEXT, 0)
    bounds = array("q")
    for start, end in reader.octet_segments(fields[2]):
        bounds.append(start)
        bounds.append(end)
    length = sum(bounds[1::2]) - sum(bounds[0::2])
    return content_type, algorithm, EncryptedContent(reader.view, bounds, length)


def _fields(reader: BerReader, parent: Tlv, most: int) -> list[Tlv]:
    """The children of a fixed-shape SEQUENCE, refusing more than ``most`` without reading
    the rest (a hostile one may hold millions)."""
    fields = list(islice(reader.children(parent), most + 1))
    if len(fields) > most:
        raise BerError("too many fields")
    return fields


def _expect(tlv: Tlv, tag_class: int, tag: int, *, constructed: bool | None = None) -> None:
    if not tlv.is_(tag_class, tag, constructed=constructed):
        raise BerError(f"expected tag {tag} (class {tag_class})")
