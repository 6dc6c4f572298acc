"""Certificates and CRLs that cryptography's builders refuse to write, made with asn1crypto.

Each is a real, correctly signed structure whose content is odd: a Name holding a BIT
STRING under an OID other than x500UniqueIdentifier (cryptography raises TypeError on
reading it), raw subjectAltName entries (addresses with spaces, non-ASCII rfc822Names,
SmtpUTF8Mailbox otherNames), CAs with name constraints or a non-critical basicConstraints.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from asn1crypto import core as asn1_core
from asn1crypto import parser as asn1_parser
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtensionOID

from tests.factories.certs import Issued, PrivateKey, TestCA

# Any OID but x500UniqueIdentifier (2.5.4.45) with a BIT STRING value makes cryptography
# raise TypeError ("oid must be X500_UNIQUE_IDENTIFIER for BitString type").
ODD_ATTRIBUTE_OID = "1.2.3.4"
SMTP_UTF8_MAILBOX_OID = "1.3.6.1.5.5.7.8.9"

_Edit = Callable[[list[bytes], int], None]


def tlv(tag: int, contents: bytes) -> bytes:
    """One DER element (definite length)."""
    size = len(contents)
    if size < 0x80:
        return bytes((tag, size)) + contents
    octets = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes((tag, 0x80 | len(octets))) + octets + contents


def bit_string_attribute(oid: str = ODD_ATTRIBUTE_OID) -> bytes:
    """DER of one RDN: ``oid`` with a BIT STRING value."""
    value = asn1_core.BitString((1, 0, 1, 0, 1, 0, 1, 0)).dump()
    return tlv(0x31, tlv(0x30, asn1_core.ObjectIdentifier(oid).dump() + value))


def _name_with(name_der: bytes, rdn: bytes) -> bytes:
    return tlv(0x30, asn1_x509.Name.load(name_der).chosen.contents + rdn)


def _signature(key: PrivateKey, data: bytes) -> bytes:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(hashes.SHA256()))
    assert isinstance(key, rsa.RSAPrivateKey)
    return key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def _resign(tbs_der: bytes, algorithm_der: bytes, key: PrivateKey) -> bytes:
    signature = _signature(key, tbs_der)
    return tlv(0x30, tbs_der + algorithm_der + tlv(0x03, b"\x00" + signature))


def _children(der: bytes) -> list[bytes]:
    """The DER elements inside the SEQUENCE ``der``."""
    contents = asn1_parser.parse(der)[4]
    found = []
    while contents:
        _, _, _, header, inner, trailer = asn1_parser.parse(contents)
        size = len(header) + len(inner) + len(trailer)
        found.append(contents[:size])
        contents = contents[size:]
    return found


def _split(signed_der: bytes) -> tuple[list[bytes], bytes]:
    """The fields of a signed structure's TBS part, and its signature algorithm (DER)."""
    tbs, algorithm, _signature = _children(signed_der)
    return _children(tbs), algorithm


def _tbs_with_name(cert: x509.Certificate, field: str, rdn: bytes) -> tuple[bytes, bytes]:
    fields, algorithm = _split(cert.public_bytes(serialization.Encoding.DER))
    start = 1 if fields[0][0] == 0xA0 else 0  # [0] version
    index = start + (2 if field == "issuer" else 4)
    fields[index] = _name_with(fields[index], rdn)
    return tlv(0x30, b"".join(fields)), algorithm


def with_odd_name(
    issued: Issued, signer_key: PrivateKey, *, field: str = "subject", rdn: bytes | None = None
) -> Issued:
    """``issued`` with an extra RDN (a BIT STRING attribute by default) in its subject or
    issuer, signed again with ``signer_key`` (its issuer's key)."""
    tbs, algorithm = _tbs_with_name(issued.cert, field, rdn or bit_string_attribute())
    der = _resign(tbs, algorithm, signer_key)
    return Issued(x509.load_der_x509_certificate(der), issued.key)


def _edited_der(issued: Issued, signer_key: PrivateKey, edit: _Edit) -> bytes:
    """DER of ``issued`` with ``edit(fields, start)`` applied to its TBS fields, signed again."""
    fields, algorithm = _split(issued.der)
    start = 1 if fields[0][0] == 0xA0 else 0
    edit(fields, start)
    return _resign(tlv(0x30, b"".join(fields)), algorithm, signer_key)


def _edited(issued: Issued, signer_key: PrivateKey, edit: _Edit) -> Issued:
    der = _edited_der(issued, signer_key, edit)
    return Issued(x509.load_der_x509_certificate(der), issued.key)


def with_version(issued: Issued, signer_key: PrivateKey, version: int) -> bytes:
    """DER of ``issued`` claiming X.509 ``version`` (0-based: 2 is v3); cryptography's loader
    refuses anything but 0 and 2 with InvalidVersion, so this returns bytes."""

    def edit(fields: list[bytes], start: int) -> None:
        tagged = tlv(0xA0, asn1_core.Integer(version).dump())
        if start:
            fields[0] = tagged
        else:
            fields.insert(0, tagged)

    return _edited_der(issued, signer_key, edit)


def with_duplicate_extension(issued: Issued, signer_key: PrivateKey) -> Issued:
    """``issued`` with its first extension written twice."""

    def edit(fields: list[bytes], start: int) -> None:
        extensions = _children(_children(fields[-1])[0] if fields[-1][0] == 0xA3 else b"")
        doubled = tlv(0x30, b"".join([extensions[0], *extensions]))
        fields[-1] = tlv(0xA3, doubled)

    return _edited(issued, signer_key, edit)


def with_unknown_key_algorithm(issued: Issued, signer_key: PrivateKey) -> Issued:
    """``issued`` whose SubjectPublicKeyInfo names an algorithm nobody knows (1.2.3.4.5)."""

    def edit(fields: list[bytes], start: int) -> None:
        algorithm = tlv(0x30, asn1_core.ObjectIdentifier("1.2.3.4.5").dump())
        fields[start + 5] = tlv(0x30, algorithm + tlv(0x03, b"\x00" + bytes(32)))

    return _edited(issued, signer_key, edit)


def with_raw_names(
    issued: Issued, signer_key: PrivateKey, *, subject: bytes | None, san: bytes | None
) -> bytes:
    """DER of ``issued`` with its subject Name replaced by the DER ``subject`` and its
    subjectAltName's value by the DER ``san`` (None: drop the extension), signed again.
    Nothing is checked: this writes what no builder would."""
    san_oid = asn1_core.ObjectIdentifier(ExtensionOID.SUBJECT_ALTERNATIVE_NAME.dotted_string)

    def edit(fields: list[bytes], start: int) -> None:
        if subject is not None:
            fields[start + 4] = subject
        extensions = _children(_children(fields[-1])[0])
        kept = [e for e in extensions if _children(e)[0] != san_oid.dump()]
        if san is not None:
            kept.append(tlv(0x30, san_oid.dump() + tlv(0x04, san)))
        fields[-1] = tlv(0xA3, tlv(0x30, b"".join(kept)))

    return _edited_der(issued, signer_key, edit)


def odd_name_certificate(ca: TestCA, address: str = "odd@example.org") -> Issued:
    """An otherwise good S/MIME certificate by ``ca`` whose subject holds a BIT STRING
    attribute under an unexpected OID."""
    return with_odd_name(ca.issue([address]), ca.key)


def odd_name_crl(ca: TestCA) -> bytes:
    """DER of a CRL signed by ``ca`` whose issuer Name holds the BIT STRING attribute."""
    crl = ca.crl([1001])
    fields, algorithm = _split(crl.public_bytes(serialization.Encoding.DER))
    index = 2 if fields[0][0] == 0x02 else 1  # after the optional version and the algorithm
    fields[index] = _name_with(fields[index], bit_string_attribute())
    return _resign(tlv(0x30, b"".join(fields)), algorithm, ca.key)


def rfc822_entry(address: bytes) -> bytes:
    """A GeneralName rfc822Name with exactly these bytes (no check that they are IA5)."""
    return tlv(0x81, address)


def smtp_utf8_entry(address: str) -> bytes:
    """A GeneralName otherName SmtpUTF8Mailbox (RFC 9598) holding ``address`` as UTF8String."""
    value = tlv(0xA0, asn1_core.UTF8String(address).dump())
    return tlv(0xA0, asn1_core.ObjectIdentifier(SMTP_UTF8_MAILBOX_OID).dump() + value)


def issue_with_san(
    ca: TestCA,
    entries: Sequence[bytes],
    *,
    common_name: str = "Raw SAN",
    subject_email: str | None = None,
    key_kind: str = "rsa2048",
) -> Issued:
    """An S/MIME certificate by ``ca`` whose subjectAltName holds the raw GeneralName
    ``entries`` (see ``rfc822_entry``, ``smtp_utf8_entry``)."""
    plain = ca.issue([], common_name=common_name, subject_email=subject_email, key_kind=key_kind)
    builder = (
        x509.CertificateBuilder()
        .subject_name(plain.cert.subject)
        .issuer_name(plain.cert.issuer)
        .public_key(plain.cert.public_key())  # type: ignore[arg-type]
        .serial_number(plain.cert.serial_number)
        .not_valid_before(plain.cert.not_valid_before_utc)
        .not_valid_after(plain.cert.not_valid_after_utc)
    )
    for extension in plain.cert.extensions:
        builder = builder.add_extension(extension.value, extension.critical)
    san = x509.UnrecognizedExtension(
        ExtensionOID.SUBJECT_ALTERNATIVE_NAME, tlv(0x30, b"".join(entries))
    )
    builder = builder.add_extension(san, critical=False)
    return Issued(builder.sign(ca.key, hashes.SHA256()), plain.key)  # type: ignore[arg-type]


def reissued_ca(
    ca: TestCA,
    parent: TestCA | None,
    *,
    extra: Sequence[x509.ExtensionType] = (),
    basic_constraints_critical: bool = True,
    basic_constraints: x509.BasicConstraints | None = None,
) -> TestCA:
    """``ca`` with its certificate made again (same name and key) by ``parent`` (None:
    self-signed), adding the ``extra`` extensions (critical), marking basicConstraints
    critical or not and, given ``basic_constraints``, replacing its value. Certificates
    ``ca`` issues afterwards chain to the new one."""
    old = ca.cert
    builder = (
        x509.CertificateBuilder()
        .subject_name(old.subject)
        .issuer_name(parent.name if parent is not None else old.subject)
        .public_key(ca.key.public_key())  # type: ignore[arg-type]
        .serial_number(old.serial_number)
        .not_valid_before(old.not_valid_before_utc)
        .not_valid_after(old.not_valid_after_utc)
    )
    for extension in old.extensions:
        value, critical = extension.value, extension.critical
        if isinstance(value, x509.BasicConstraints):
            value, critical = basic_constraints or value, basic_constraints_critical
        builder = builder.add_extension(value, critical)
    for value in extra:
        builder = builder.add_extension(value, critical=True)
    signer = parent.key if parent is not None else ca.key
    ca.cert = builder.sign(signer, hashes.SHA256())  # type: ignore[arg-type]
    return ca


def constrained_intermediate(
    root: TestCA,
    name: str,
    *,
    permitted: Sequence[str] = (),
    excluded: Sequence[str] = (),
) -> TestCA:
    """An intermediate of ``root`` with rfc822Name permitted/excluded subtrees."""
    constraints = x509.NameConstraints(
        permitted_subtrees=[x509.RFC822Name(value) for value in permitted] or None,
        excluded_subtrees=[x509.RFC822Name(value) for value in excluded] or None,
    )
    return reissued_ca(root.intermediate(name), root, extra=[constraints])


def lenient_root(name: str = "Lenient Root CA") -> TestCA:
    """A self-signed root whose basicConstraints (cA true) is present but not critical."""
    return reissued_ca(TestCA(name), None, basic_constraints_critical=False)
