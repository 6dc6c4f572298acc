"""Lint the CMS inside an S/MIME part: obsolete ciphers, hashes and RSA key sizes.

The BER reader finds the fields without copying (an opaque signed message may carry a
large content); asn1crypto decodes each small field. Nothing is decrypted or verified: the
algorithm identifiers and certificates are readable by anyone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Final

from asn1crypto import algos, cms

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.core.smime.algorithms import (
    OID_AUTH_ENVELOPED_DATA,
    OID_DATA,
    OID_ENVELOPED_DATA,
    OID_SIGNED_DATA,
)
from desktop_app.core.smime.ber import (
    CONTEXT,
    TAG_SEQUENCE,
    TAG_SET,
    UNIVERSAL,
    BerError,
    BerReader,
    Tlv,
)
from desktop_app.core.smime.envelope_parse import parse_envelope
from desktop_app.core.smime.errors import EnvelopeError
from desktop_app.core.smime.lint_findings import (
    FindingCode,
    LintFinding,
    finding,
)

WEAK_CIPHERS: Final = {
    "1.3.14.3.2.7": "DES",
    "1.2.840.113549.3.7": "3DES (DES-EDE3-CBC)",
    "1.2.840.113549.3.2": "RC2",
    "1.2.840.113549.3.4": "RC4",
}
WEAK_DIGESTS: Final = {
    "1.2.840.113549.2.2": "MD2",
    "1.2.840.113549.2.4": "MD4",
    "1.2.840.113549.2.5": "MD5",
    "1.3.14.3.2.26": "SHA-1",
    # Signature algorithms that name their hash.
    "1.2.840.113549.1.1.2": "MD2",
    "1.2.840.113549.1.1.3": "MD4",
    "1.2.840.113549.1.1.4": "MD5",
    "1.2.840.113549.1.1.5": "SHA-1",
    "1.3.14.3.2.29": "SHA-1",
    "1.2.840.10045.4.1": "SHA-1",
    "1.2.840.10040.4.3": "SHA-1",
}
OID_RSA: Final = "1.2.840.113549.1.1.1"
OID_RSA_PSS: Final = "1.2.840.113549.1.1.10"
MIN_RSA_BITS: Final = 2048


class CmsUnreadable(UserFacingError):
    """The CMS could not be parsed; the lint reports it as a finding rather than failing."""

    def __init__(self) -> None:
        super().__init__(text("lint.cms_unreadable"))


@dataclass
class CmsReport:
    """What the lint learned from one CMS structure."""

    content_type: str  # dotted OID of the ContentInfo
    findings: list[LintFinding] = field(default_factory=list)
    # An opaque signed message's content (id-data), to lint as MIME in its turn.
    content: bytes | None = None

    @property
    def encrypted(self) -> bool:
        return self.content_type in (OID_ENVELOPED_DATA, OID_AUTH_ENVELOPED_DATA)


@contextmanager
def _unreadable() -> Iterator[None]:
    # asn1crypto reports malformed data with assorted built-in exceptions, raised lazily.
    try:
        yield
    except (BerError, EnvelopeError) as exc:
        raise CmsUnreadable from exc
    except (ValueError, TypeError, KeyError, IndexError, OverflowError, RecursionError) as exc:
        raise CmsUnreadable from exc


def inspect_cms(der: bytes) -> CmsReport:
    """Algorithm findings of a ContentInfo.

    Raises:
        CmsUnreadable: not a well-formed ContentInfo (or its SignedData / EnvelopedData).
    """
    with _unreadable():
        reader = BerReader(der)
        content_info = reader.element(0)
        fields = list(reader.children(content_info))
        if len(fields) != 2 or not content_info.is_(UNIVERSAL, TAG_SEQUENCE):
            raise CmsUnreadable
        content_type = cms.ContentType.load(reader.span(fields[0])).dotted
        report = CmsReport(content_type)
        if report.encrypted:
            algorithm = parse_envelope(der).algorithm["algorithm"].dotted
            if algorithm in WEAK_CIPHERS:
                message = text("lint.weak_cipher", algorithm=WEAK_CIPHERS[algorithm])
                report.findings.append(finding(FindingCode.WEAK_CIPHER, message))
        elif content_type == OID_SIGNED_DATA:
            inner = list(reader.children(fields[1]))
            if len(inner) != 1 or not fields[1].is_(CONTEXT, 0):
                raise CmsUnreadable
            _inspect_signed(reader, inner[0], report)
        return report


def _inspect_signed(reader: BerReader, signed_data: Tlv, report: CmsReport) -> None:
    """SignedData (RFC 5652 5.1): version, digestAlgorithms, encapContentInfo,
    [0] certificates, [1] crls, signerInfos."""
    fields = list(reader.children(signed_data))
    if len(fields) < 4 or not fields[-1].is_(UNIVERSAL, TAG_SET):
        raise CmsUnreadable
    digests = [a["algorithm"].dotted for a in cms.DigestAlgorithms.load(reader.span(fields[1]))]
    report.content = _encapsulated_content(reader, fields[2])
    for extra in fields[3:-1]:
        if extra.is_(CONTEXT, 0):
            certificates = cms.CertificateSet.load(reader.span(extra), implicit=0)
            report.findings.extend(_weak_keys(certificates))
    for signer in cms.SignerInfos.load(reader.span(fields[-1])):
        digests.append(signer["digest_algorithm"]["algorithm"].dotted)
        digests.append(_signature_hash(signer["signature_algorithm"]))
    for name in dict.fromkeys(WEAK_DIGESTS[oid] for oid in digests if oid in WEAK_DIGESTS):
        report.findings.append(
            finding(FindingCode.WEAK_DIGEST, text("lint.weak_digest", algorithm=name))
        )


def _signature_hash(algorithm: algos.SignedDigestAlgorithm) -> str:
    """The OID naming the signature's hash: RSASSA-PSS carries it in its parameters, where
    an absent field means SHA-1 (RFC 4055)."""
    dotted: str = algorithm["algorithm"].dotted
    if dotted != OID_RSA_PSS:
        return dotted
    parameters = algorithm["parameters"]
    if not isinstance(parameters, algos.RSASSAPSSParams):
        return "1.3.14.3.2.26"
    return str(parameters["hash_algorithm"]["algorithm"].dotted)


def _encapsulated_content(reader: BerReader, encap: Tlv) -> bytes | None:
    """The eContent of an id-data encapContentInfo, or None (detached, or another type)."""
    parts = list(reader.children(encap))
    if not parts or cms.ContentType.load(reader.span(parts[0])).dotted != OID_DATA:
        return None
    if len(parts) < 2 or not parts[1].is_(CONTEXT, 0):
        return None
    octets = list(reader.children(parts[1]))
    if len(octets) != 1:
        raise CmsUnreadable
    return b"".join(reader.octet_chunks(octets[0]))


def _weak_keys(certificates: cms.CertificateSet) -> Iterator[LintFinding]:
    for choice in certificates:
        if choice.name != "certificate":
            continue  # attribute and other certificate formats carry no key of interest
        certificate = choice.chosen
        key_info = certificate["tbs_certificate"]["subject_public_key_info"]
        if key_info["algorithm"]["algorithm"].dotted not in (OID_RSA, OID_RSA_PSS):
            continue
        bits = key_info["public_key"].parsed["modulus"].native.bit_length()
        if bits < MIN_RSA_BITS:
            subject = certificate.subject.human_friendly or "an unnamed signer"
            message = text("lint.weak_key", subject=subject, bits=bits)
            yield finding(FindingCode.WEAK_KEY, message)
