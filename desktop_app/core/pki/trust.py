"""What a certificate is checked against (anchors, intermediates, CRLs), and the checks."""

import itertools
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.verification import (
    Criticality,
    ExtensionPolicy,
    Policy,
    PolicyBuilder,
    Store,
)

from desktop_app.core.messages import text
from desktop_app.core.pki.certificates import shown_issuer, shown_subject
from desktop_app.core.pki.name_constraints import violates_mail_constraints
from desktop_app.core.pki.parsing import PARSE_ERRORS


@dataclass(frozen=True)
class TrustContext:
    """Everything needed to decide if a certificate chains to a trusted root and is revoked.

    ``intermediates`` are untrusted CA certificates that may complete a chain;
    ``crls`` are counted only when their signature checks against the issuing CA.
    """

    anchors: tuple[x509.Certificate, ...] = ()
    intermediates: tuple[x509.Certificate, ...] = ()
    crls: tuple[x509.CertificateRevocationList, ...] = ()


class ChainFailure(StrEnum):
    """Why a certificate does not chain to a trust anchor."""

    NO_ANCHORS = "no_anchors"
    UNKNOWN_ISSUER = "unknown_issuer"
    BAD_SIGNATURE = "bad_signature"
    WEAK_ALGORITHM = "weak_algorithm"
    AUTHORITY_KEY = "authority_key"
    AUTHORITY_VALIDITY = "authority_validity"
    NOT_FOR_EMAIL = "not_for_email"
    NAME_CONSTRAINTS = "name_constraints"
    CRITICAL_EXTENSION = "critical_extension"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class ChainCheck:
    """The outcome of building a certificate's chain.

    When ``failure`` is ``None`` the ``chain`` is the verified path from the certificate
    to its anchor. Otherwise it is a best guess by issuer names, good for diagnosis and
    revocation only, and ``reason`` says in a sentence why the certificate is not trusted.
    """

    chain: tuple[x509.Certificate, ...]
    failure: ChainFailure | None = None
    reason: str = ""

    @property
    def trusted(self) -> bool:
        return self.failure is None


@dataclass(frozen=True, slots=True)
class Revocation:
    """A certificate of a chain listed in a CRL signed by its issuer."""

    certificate: x509.Certificate
    revoked_on: datetime


# Marks our CA validator's refusal inside the verifier's error text.
_NOT_FOR_EMAIL_MARK = "CA may not issue e-mail certificates"
_MAX_DEPTH = 8
_WEAK_HASHES: dict[type[hashes.HashAlgorithm], str] = {hashes.MD5: "MD5", hashes.SHA1: "SHA-1"}
_ISSUER_KEY_TYPES = (
    rsa.RSAPublicKey,
    ec.EllipticCurvePublicKey,
    ed25519.Ed25519PublicKey,
    ed448.Ed448PublicKey,
    dsa.DSAPublicKey,
)
_EMAIL_USAGES = frozenset(
    {ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE}
)


def allows_email(usage: x509.ExtendedKeyUsage) -> bool:
    """True when an extendedKeyUsage permits S/MIME: emailProtection or anyExtendedKeyUsage."""
    return any(oid in _EMAIL_USAGES for oid in usage)


def _ca_may_issue_email(
    policy: Policy, certificate: x509.Certificate, usage: x509.ExtendedKeyUsage | None
) -> None:
    # Replaces the web-PKI CA rule, which demands the client verifier's clientAuth
    # (RFC 5280 does not restrict CAs by EKU; S/MIME CAs often carry emailProtection).
    del policy, certificate
    if usage is not None and not allows_email(usage):
        raise ValueError(_NOT_FOR_EMAIL_MARK)


def _must_be_ca(
    policy: Policy, certificate: x509.Certificate, value: x509.BasicConstraints
) -> None:
    # The web-PKI rule also demands that basicConstraints be critical. RFC 5280 asks that
    # of CAs, not of validators; private and older CAs often mark it non-critical, and NSS
    # and OpenSSL accept them. cA must still be asserted; pathLenConstraint is checked by
    # the verifier itself.
    del policy, certificate
    if not value.ca:
        raise ValueError("basicConstraints.cA must be asserted in a CA certificate")


def _policy_builder(anchors: tuple[x509.Certificate, ...], at: datetime) -> PolicyBuilder:
    ca_policy = (
        ExtensionPolicy.webpki_defaults_ca()
        .may_be_present(x509.ExtendedKeyUsage, Criticality.AGNOSTIC, _ca_may_issue_email)
        .require_present(x509.BasicConstraints, Criticality.AGNOSTIC, _must_be_ca)
    )
    # The end-entity policy is permissive because keyUsage, extendedKeyUsage and the
    # address are judged by the caller with S/MIME rules; the verifier still refuses
    # unknown critical extensions and checks the SAN against name constraints.
    return (
        PolicyBuilder()
        .store(Store(list(anchors)))
        .time(at)
        .extension_policies(ca_policy=ca_policy, ee_policy=ExtensionPolicy.permit_all())
    )


def check_chain(cert: x509.Certificate, trust: TrustContext, at: datetime) -> ChainCheck:
    """Build and verify ``cert``'s chain to one of ``trust.anchors`` as of ``at``.

    A certificate outside its own validity is checked at the nearest moment inside it,
    so "expired" and "expired and untrusted" stay apart; the caller reports the dates.
    Never raises for any certificate.
    """
    if not trust.anchors:
        no_anchors = text("cert.untrusted.no_anchors")
        return ChainCheck(_walk(cert, trust), ChainFailure.NO_ANCHORS, no_anchors)
    moment = min(max(at, cert.not_valid_before_utc), cert.not_valid_after_utc)
    try:
        verifier = _policy_builder(trust.anchors, moment).build_client_verifier()
        verified = verifier.verify(cert, list(trust.intermediates))
    except Exception as error:  # the verifier's errors are not a documented closed set
        walk = _walk(cert, trust)
        failure, reason = _diagnose(str(error), walk, trust, moment)
        return ChainCheck(walk, failure, reason)
    chain = tuple(verified.chain)
    if violates_mail_constraints(chain):
        failure = ChainFailure.NAME_CONSTRAINTS
        return ChainCheck(chain, failure, text(f"cert.untrusted.{failure}"))
    return ChainCheck(chain)


def _walk(cert: x509.Certificate, trust: TrustContext) -> tuple[x509.Certificate, ...]:
    """A best-guess chain upward by issuer names, preferring issuers whose signature checks."""
    chain = [cert]
    pool = trust.anchors + trust.intermediates
    try:
        current = cert
        while current not in trust.anchors and len(chain) < _MAX_DEPTH:
            candidates = [c for c in pool if c.subject == current.issuer and c not in chain]
            if not candidates:
                break
            current = next((c for c in candidates if _issued_by(current, c)), candidates[0])
            chain.append(current)
    except PARSE_ERRORS:  # a name that does not parse ends the guess
        pass
    return tuple(chain)


def _issued_by(child: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        child.verify_directly_issued_by(issuer)
    except (*PARSE_ERRORS, InvalidSignature):
        return False
    return True


def _diagnose(
    error: str, walk: tuple[x509.Certificate, ...], trust: TrustContext, moment: datetime
) -> tuple[ChainFailure, str]:
    # The verifier reports only an English string; these fragments are matched so the
    # user gets a specific reason. Unmatched text (a future wording) gets the generic one.
    simple = (
        (_NOT_FOR_EMAIL_MARK, ChainFailure.NOT_FOR_EMAIL),
        ("name constraint", ChainFailure.NAME_CONSTRAINTS),
        ("unaccounted-for critical extension", ChainFailure.CRITICAL_EXTENSION),
        ("Forbidden signature algorithm", ChainFailure.WEAK_ALGORITHM),
        ("Forbidden public key algorithm", ChainFailure.AUTHORITY_KEY),
        ("key is too weak", ChainFailure.AUTHORITY_KEY),
        ("signature does not match", ChainFailure.BAD_SIGNATURE),
    )
    for fragment, failure in simple:
        if fragment in error:
            return failure, text(f"cert.untrusted.{failure}")
    if "not valid at validation time" in error:
        for authority in walk[1:]:
            if not authority.not_valid_before_utc <= moment <= authority.not_valid_after_utc:
                return ChainFailure.AUTHORITY_VALIDITY, text(
                    "cert.untrusted.authority_validity",
                    name=shown_subject(authority),
                    start=f"{authority.not_valid_before_utc:%Y-%m-%d}",
                    end=f"{authority.not_valid_after_utc:%Y-%m-%d}",
                )
    top = walk[-1]
    if "no interior errors" in error and top not in trust.anchors:
        if len(walk) == 1:
            reason = text("cert.untrusted.unknown_issuer", issuer=shown_issuer(top))
        else:
            reason = text(
                "cert.untrusted.unknown_root",
                name=shown_subject(top),
                issuer=shown_issuer(top),
            )
        return ChainFailure.UNKNOWN_ISSUER, reason
    return ChainFailure.OTHER, text("cert.untrusted.other")


def weak_signatures(
    chain: tuple[x509.Certificate, ...], anchors: tuple[x509.Certificate, ...]
) -> tuple[tuple[x509.Certificate, str], ...]:
    """Certificates of ``chain`` signed with MD5 or SHA-1, with the hash's display name.

    Anchors are skipped: they are trusted as configured, their own signature is never
    relied on.
    """
    found: list[tuple[x509.Certificate, str]] = []
    for certificate in chain:
        if certificate in anchors:
            continue
        try:
            algorithm = certificate.signature_hash_algorithm
        except PARSE_ERRORS:
            continue  # unknown algorithms fail the chain check instead
        name = _WEAK_HASHES.get(type(algorithm)) if algorithm is not None else None
        if name is not None:
            found.append((certificate, name))
    return tuple(found)


def find_revocations(
    chain: tuple[x509.Certificate, ...], crls: tuple[x509.CertificateRevocationList, ...]
) -> tuple[Revocation, ...]:
    """Certificates of ``chain`` (each but the last) revoked by a CRL of their issuer.

    A CRL counts only when it names the certificate's issuer and its signature checks
    with the key of the next certificate up the chain; a forged list revokes nothing.
    """
    found: list[Revocation] = []
    for certificate, issuer in itertools.pairwise(chain):
        for crl in crls:
            entry = _listed(crl, certificate)
            if entry is not None and crl_signed_by(crl, issuer):
                found.append(Revocation(certificate, entry.revocation_date_utc))
                break
    return tuple(found)


def _listed(
    crl: x509.CertificateRevocationList, certificate: x509.Certificate
) -> x509.RevokedCertificate | None:
    # Cheap look-up first: the signature is checked only for lists that name the serial.
    try:
        if crl.issuer != certificate.issuer:
            return None
        return crl.get_revoked_certificate_by_serial_number(certificate.serial_number)
    except PARSE_ERRORS:
        return None


def crl_signed_by(crl: x509.CertificateRevocationList, issuer: x509.Certificate) -> bool:
    """Whether ``issuer``'s key signed ``crl``; an unreadable key or list is not."""
    try:
        key = issuer.public_key()
        return isinstance(key, _ISSUER_KEY_TYPES) and crl.is_signature_valid(key)
    except PARSE_ERRORS:
        return False


def crl_signer(crl: x509.CertificateRevocationList, trust: TrustContext) -> x509.Certificate | None:
    """The trusted or intermediate CA whose key signed ``crl``, or None.

    The store keeps one list per issuer, newest first; a list nobody known signed must
    not be stored, or a forged newer list would push out the real one.
    """
    for authority in (*trust.anchors, *trust.intermediates):
        try:
            named = authority.subject == crl.issuer
        except PARSE_ERRORS:
            continue
        if named and crl_signed_by(crl, authority):
            return authority
    return None
