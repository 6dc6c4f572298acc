"""Take a received CMS SignedData apart (RFC 5652 5.1) without copying its content.

The BER reader walks the outer structure (DER, or BER with indefinite lengths as OpenSSL's
-stream writes), so a large opaque signed message costs no copies and no quadratic
`.native`; each small field is decoded by asn1crypto from its own slice.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Final

from asn1crypto import cms, core

from desktop_app.core.messages import text
from desktop_app.core.smime.algorithms import OID_SIGNED_DATA
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
from desktop_app.core.smime.signature_errors import (
    SignatureError,
)

# Real messages carry the signer's certificate and its chain, rarely more than ten. The bounds
# keep a hostile bag (CMS-NOTES 1; the 1,000-certificate case) from costing a chain build each.
MAX_CERTIFICATES: Final = 100
MAX_SIGNERS: Final = 8


@dataclass(frozen=True)
class ParsedSignedData:
    """The parts of a SignedData that verification needs."""

    content_type: str  # dotted eContentType
    content: tuple[memoryview, ...] | None  # eContent segments in order; None when detached
    certificates: tuple[bytes, ...]  # DER of each X.509 certificate in the bag, in order
    signer_infos: tuple[cms.SignerInfo, ...]


@contextmanager
def malformed_signature() -> Iterator[None]:
    """Report bad input as one SignatureError.

    asn1crypto signals malformed data with assorted built-in exceptions, raised lazily when a
    field is first read, so every read of received structures runs inside this.
    """
    with reported_as(lambda: SignatureError(text("signature.malformed"))):
        yield


def parse_signed_data(data: bytes | bytearray | memoryview) -> ParsedSignedData:
    """Locate and decode the fields of a ContentInfo holding a SignedData.

    Data after the ContentInfo is ignored, as OpenSSL does.

    Raises:
        SignatureError: not a SignedData, malformed, or over the certificate/signer bounds.
    """
    with malformed_signature():
        reader = BerReader(data)
        content_info = reader.element(0)
        _expect(content_info, UNIVERSAL, TAG_SEQUENCE, constructed=True)
        fields = list(reader.children(content_info))
        # The CVE-2023-49083 bytes stop here: a signedData type without any content.
        if len(fields) != 2:
            raise BerError("ContentInfo needs a type and a content")
        _expect(fields[0], UNIVERSAL, TAG_OID)
        content_type = core.ObjectIdentifier.load(reader.span(fields[0]))
        if content_type.dotted != OID_SIGNED_DATA:
            raise SignatureError(text("signature.not_signed", kind=content_type.native))
        _expect(fields[1], CONTEXT, 0, constructed=True)
        inner = list(reader.children(fields[1]))
        if len(inner) != 1:
            raise BerError("[0] content must hold one element")
        _expect(inner[0], UNIVERSAL, TAG_SEQUENCE, constructed=True)
        return _parse_signed_data(reader, inner[0])


def _parse_signed_data(reader: BerReader, sequence: Tlv) -> ParsedSignedData:
    fields = list(reader.children(sequence))
    cursor = FieldCursor(fields)
    take = cursor.take

    take(UNIVERSAL, TAG_INTEGER)  # version: nothing depends on it
    take(UNIVERSAL, TAG_SET)  # digestAlgorithms: a hint for one-pass readers; each signer says
    encap = take(UNIVERSAL, TAG_SEQUENCE)
    certificates = take(CONTEXT, 0, optional=True)
    take(CONTEXT, 1, optional=True)  # crls: revocation comes from the trust context only
    signer_infos = take(UNIVERSAL, TAG_SET)
    cursor.finish()
    assert encap is not None and signer_infos is not None
    content_type, content = _parse_encapsulated(reader, encap)
    return ParsedSignedData(
        content_type,
        content,
        _certificates(reader, certificates) if certificates is not None else (),
        _signer_infos(reader, signer_infos),
    )


def _parse_encapsulated(
    reader: BerReader, sequence: Tlv
) -> tuple[str, tuple[memoryview, ...] | None]:
    _expect(sequence, UNIVERSAL, TAG_SEQUENCE, constructed=True)
    fields = list(reader.children(sequence))
    if not 1 <= len(fields) <= 2:
        raise BerError("EncapsulatedContentInfo has the wrong number of fields")
    _expect(fields[0], UNIVERSAL, TAG_OID)
    content_type = core.ObjectIdentifier.load(reader.span(fields[0])).dotted
    if len(fields) == 1:
        return content_type, None
    _expect(fields[1], CONTEXT, 0, constructed=True)
    inner = list(reader.children(fields[1]))
    if len(inner) != 1 or not inner[0].is_(UNIVERSAL, TAG_OCTET_STRING):
        raise BerError("eContent must be one OCTET STRING")
    return content_type, tuple(reader.octet_chunks(inner[0]))


def _certificates(reader: BerReader, bag: Tlv) -> tuple[bytes, ...]:
    found: list[bytes] = []
    for count, choice in enumerate(reader.children(bag), 1):
        if count > MAX_CERTIFICATES:
            total = sum(1 for _ in reader.children(bag))
            raise SignatureError(
                text("signature.too_many_certificates", count=total, limit=MAX_CERTIFICATES)
            )
        # Attribute certificates and other CertificateChoices are tagged; only plain X.509
        # certificates (a SEQUENCE) can be a signer's.
        if choice.is_(UNIVERSAL, TAG_SEQUENCE, constructed=True):
            found.append(reader.span(choice))
    return tuple(found)


def _signer_infos(reader: BerReader, signer_set: Tlv) -> tuple[cms.SignerInfo, ...]:
    children = list(reader.children(signer_set))
    if not children:
        raise SignatureError(text("signature.no_signers"))
    if len(children) > MAX_SIGNERS:
        raise SignatureError(
            text("signature.too_many_signers", count=len(children), limit=MAX_SIGNERS)
        )
    infos = []
    for child in children:
        _expect(child, UNIVERSAL, TAG_SEQUENCE, constructed=True)
        infos.append(cms.SignerInfo.load(reader.span(child), strict=True))
    return tuple(infos)


def _expect(tlv: Tlv, tag_class: int, tag: int, *, constructed: bool | None = None) -> None:
    if not tlv.is_(tag_class, tag, constructed=constructed):
        raise BerError(f"expected tag {tag} (class {tag_class})")
