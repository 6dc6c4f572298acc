"""Whether a certificate may be used to encrypt mail to an address (RFC 8550/8551).

Every problem found is listed in ``problems``, in this order of priority; the first
gives the verdict's code and reason:

1. WRONG_USAGE when the names, dates or extensions do not parse (fail closed),
2. REVOKED, 3. EXPIRED, 4. NOT_YET_VALID,
5. UNTRUSTED (no chain to an anchor, MD5/SHA-1 signatures or a name constraint broken),
6. WRONG_USAGE (another address, keyUsage, extendedKeyUsage, a key that cannot encrypt),
7. WEAK_KEY (RSA under 2048 bits, curves other than P-256, P-384 and P-521).

Revocation leads because it is final; dates come before trust so that an expired
certificate is called expired even when its chain no longer checks.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum
from typing import TypeVar

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes as PublicKey

from desktop_app.core.messages import text
from desktop_app.core.pki.cert_addresses import (
    MAX_ADDRESSES,
    TooManyAddresses,
    UnreadableNames,
    mail_names,
)
from desktop_app.core.pki.certificates import shown_subject
from desktop_app.core.pki.parsing import PARSE_ERRORS, UnreadableCertificate, touch_certificate
from desktop_app.core.pki.trust import (
    ChainFailure,
    TrustContext,
    allows_email,
    check_chain,
    find_revocations,
    weak_signatures,
)


class CertCode(StrEnum):
    """The primary verdict on a certificate for encryption."""

    OK = "ok"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    REVOKED = "revoked"
    UNTRUSTED = "untrusted"
    WRONG_USAGE = "wrong_usage"
    WEAK_KEY = "weak_key"


@dataclass(frozen=True, slots=True)
class CertVerdict:
    """A code, the sentence for the primary problem, and sentences for all problems."""

    code: CertCode
    reason: str
    problems: tuple[str, ...]

    @property
    def usable(self) -> bool:
        return self.code is CertCode.OK


class _Rank(IntEnum):
    """Priority of a problem; lower wins (see the module docstring)."""

    MALFORMED = 1
    REVOKED = 2
    EXPIRED = 3
    NOT_YET_VALID = 4
    UNTRUSTED = 5
    WRONG_USAGE = 6
    WEAK_KEY = 7


_CODES = {
    _Rank.MALFORMED: CertCode.WRONG_USAGE,
    _Rank.REVOKED: CertCode.REVOKED,
    _Rank.EXPIRED: CertCode.EXPIRED,
    _Rank.NOT_YET_VALID: CertCode.NOT_YET_VALID,
    _Rank.UNTRUSTED: CertCode.UNTRUSTED,
    _Rank.WRONG_USAGE: CertCode.WRONG_USAGE,
    _Rank.WEAK_KEY: CertCode.WEAK_KEY,
}
_STRONG_CURVES = frozenset({"secp256r1", "secp384r1", "secp521r1"})
_CURVE_NAMES = {"secp192r1": "P-192", "secp224r1": "P-224", "secp256k1": "secp256k1"}
_SIGNING_ONLY = {
    ed25519.Ed25519PublicKey: "Ed25519",
    ed448.Ed448PublicKey: "Ed448",
    dsa.DSAPublicKey: "DSA",
}
_MIN_RSA_BITS = 2048

_Finding = tuple[_Rank, str]
_E = TypeVar("_E", bound=x509.ExtensionType)


def evaluate_for_encryption(
    cert: x509.Certificate, address_key: str, at: datetime, trust: TrustContext
) -> CertVerdict:
    """The verdict on encrypting to ``address_key`` (from ``address_key()``) with ``cert``.

    ``at`` is the moment judged, timezone-aware. Pure: same inputs, same verdict.

    Raises:
        ValueError: only when ``at`` is naive (a programming error).
    """
    if at.utcoffset() is None:
        raise ValueError("evaluate_for_encryption needs a timezone-aware time")
    try:
        touch_certificate(cert)
    except UnreadableCertificate:
        # Names and dates are what everything else is judged by: nothing more can be said.
        unreadable = text("cert.names_unreadable")
        return CertVerdict(_CODES[_Rank.MALFORMED], unreadable, (unreadable,))
    findings: list[_Finding] = []
    try:
        extensions: x509.Extensions | None = cert.extensions
    except PARSE_ERRORS:
        extensions = None
        findings.append((_Rank.MALFORMED, text("cert.malformed")))
    try:
        key: PublicKey | None = cert.public_key()
    except PARSE_ERRORS:
        key = None
    if extensions is not None:
        findings += _address_findings(cert, address_key)
        findings += _usage_findings(key, extensions)
    findings += _key_findings(key)
    findings += _validity_findings(cert, at)
    findings += _chain_findings(cert, at, trust, readable=extensions is not None)
    if not findings:
        return CertVerdict(CertCode.OK, text("cert.usable", address=address_key), ())
    findings.sort(key=lambda finding: finding[0])  # stable: equal ranks keep their order
    rank, reason = findings[0]
    return CertVerdict(_CODES[rank], reason, tuple(sentence for _, sentence in findings))


def _address_findings(cert: x509.Certificate, address_key: str) -> list[_Finding]:
    try:
        addresses = mail_names(cert).keys
    except TooManyAddresses as error:
        sentence = text("cert.too_many_addresses", count=error.count, limit=MAX_ADDRESSES)
        return [(_Rank.WRONG_USAGE, sentence)]
    except UnreadableNames:
        return [(_Rank.MALFORMED, text("cert.malformed"))]
    if address_key in addresses:
        return []
    if not addresses:
        return [(_Rank.WRONG_USAGE, text("cert.no_address", address=address_key))]
    issued_for = ", ".join(addresses)
    sentence = text("cert.wrong_address", issued_for=issued_for, address=address_key)
    return [(_Rank.WRONG_USAGE, sentence)]


def _usage_findings(key: PublicKey | None, extensions: x509.Extensions) -> list[_Finding]:
    findings: list[_Finding] = []
    key_usage = _extension(extensions, x509.KeyUsage)
    # RFC 8550 section 4.4.2: the key must be allowed for the way CMS encrypts to it.
    if key_usage is not None:
        if isinstance(key, rsa.RSAPublicKey) and not key_usage.key_encipherment:
            findings.append((_Rank.WRONG_USAGE, text("cert.key_usage_rsa")))
        elif isinstance(key, ec.EllipticCurvePublicKey) and not key_usage.key_agreement:
            findings.append((_Rank.WRONG_USAGE, text("cert.key_usage_ec")))
    extended = _extension(extensions, x509.ExtendedKeyUsage)
    if extended is not None and not allows_email(extended):
        findings.append((_Rank.WRONG_USAGE, text("cert.not_for_email")))
    return findings


def _extension(extensions: x509.Extensions, kind: type[_E]) -> _E | None:
    try:
        return extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None


def _key_findings(key: PublicKey | None) -> list[_Finding]:
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size < _MIN_RSA_BITS:
            return [(_Rank.WEAK_KEY, text("cert.weak_rsa", bits=key.key_size))]
        return []
    if isinstance(key, ec.EllipticCurvePublicKey):
        curve = key.curve.name
        if curve not in _STRONG_CURVES:
            shown = _CURVE_NAMES.get(curve, curve)
            return [(_Rank.WEAK_KEY, text("cert.weak_curve", curve=shown))]
        return []
    for kind, name in _SIGNING_ONLY.items():
        if isinstance(key, kind):
            return [(_Rank.WRONG_USAGE, text("cert.key_signing_only", kind=name))]
    return [(_Rank.WRONG_USAGE, text("cert.key_unsupported"))]


def _validity_findings(cert: x509.Certificate, at: datetime) -> list[_Finding]:
    if at < cert.not_valid_before_utc:
        date = f"{cert.not_valid_before_utc:%Y-%m-%d}"
        return [(_Rank.NOT_YET_VALID, text("cert.not_yet_valid", date=date))]
    if at > cert.not_valid_after_utc:
        return [(_Rank.EXPIRED, text("cert.expired", date=f"{cert.not_valid_after_utc:%Y-%m-%d}"))]
    return []


def _chain_findings(
    cert: x509.Certificate, at: datetime, trust: TrustContext, *, readable: bool
) -> list[_Finding]:
    findings: list[_Finding] = []
    check = check_chain(cert, trust, at)
    for revocation in find_revocations(check.chain, trust.crls):
        date = f"{revocation.revoked_on:%Y-%m-%d}"
        if revocation.certificate == cert:
            findings.append((_Rank.REVOKED, text("cert.revoked", date=date)))
        else:
            name = shown_subject(revocation.certificate)
            findings.append((_Rank.REVOKED, text("cert.authority_revoked", name=name, date=date)))
    weak = weak_signatures(check.chain, trust.anchors)
    for certificate, hash_name in weak:
        if certificate == cert:
            sentence = text("cert.weak_signature", hash=hash_name)
        else:
            name = shown_subject(certificate)
            sentence = text("cert.authority_weak_signature", name=name, hash=hash_name)
        findings.append((_Rank.UNTRUSTED, sentence))
    failure = check.failure
    if failure is None or (weak and failure is ChainFailure.WEAK_ALGORITHM):
        return findings  # the weak signatures above already say why
    # Extensions the verifier cannot read fail the chain too; that is the one problem
    # already reported, unless no anchor is configured at all.
    # A certificate outside its own dates is chained at the edge of them, where its CA's
    # dates may not reach; that says nothing more than "expired" already does.
    outside_own_dates = not cert.not_valid_before_utc <= at <= cert.not_valid_after_utc
    if failure is ChainFailure.AUTHORITY_VALIDITY and outside_own_dates:
        return findings
    if readable or failure is ChainFailure.NO_ANCHORS:
        findings.append((_Rank.UNTRUSTED, check.reason))
    return findings
