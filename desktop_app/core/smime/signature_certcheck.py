"""Whether the certificate that made a signature can vouch for it (RFC 8550 4, RFC 8551 3)."""

from __future__ import annotations

from datetime import datetime
from typing import Final, TypeVar

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from desktop_app.core.pki.certificates import display_name, email_addresses, is_ca
from desktop_app.core.pki.trust import (
    TrustContext,
    allows_email,
    check_chain,
    find_revocations,
    weak_signatures,
)
from desktop_app.core.smime.signature_errors import (
    MSG_SIGNER_AUTHORITY_REVOKED,
    MSG_SIGNER_EXPIRED,
    MSG_SIGNER_KEY_USAGE,
    MSG_SIGNER_MALFORMED,
    MSG_SIGNER_NO_ADDRESS,
    MSG_SIGNER_NOT_FOR_EMAIL,
    MSG_SIGNER_NOT_SENDER,
    MSG_SIGNER_NOT_YET_VALID,
    MSG_SIGNER_REVOKED,
    MSG_SIGNER_UNTRUSTED,
    MSG_SIGNER_WEAK_CHAIN,
    MSG_SIGNER_WEAK_RSA,
)

_MIN_RSA_BITS: Final = 2048
_E = TypeVar("_E", bound=x509.ExtensionType)


def with_carried_authorities(
    trust: TrustContext, carried: tuple[x509.Certificate, ...]
) -> TrustContext:
    """``trust`` with the CA certificates a message carries added as untrusted intermediates.

    Senders include their chain so that receivers can build it; the anchors still decide.
    """
    extra = tuple(c for c in carried if _readable_ca(c) and c not in trust.intermediates)
    if not extra:
        return trust
    return TrustContext(trust.anchors, trust.intermediates + extra, trust.crls)


def _extensions(cert: x509.Certificate) -> x509.Extensions | None:
    """The certificate's extensions, or None when they do not parse.

    cryptography parses them lazily on first access and raises an open set of types
    (ValueError, DuplicateExtension, UnsupportedGeneralNameType...), so a received
    certificate's are read here first, and the helpers that only expect ValueError
    (is_ca, email_addresses) are called only once this succeeded.
    """
    try:
        return cert.extensions
    except Exception:  # see the docstring: not a closed set
        return None


def _readable_ca(cert: x509.Certificate) -> bool:
    # A certificate that cannot be judged completes no chain.
    return _extensions(cert) is not None and is_ca(cert)


def signer_addresses(cert: x509.Certificate) -> tuple[str, ...]:
    """The certificate's address keys; none when its extensions cannot be read."""
    return email_addresses(cert) if _extensions(cert) is not None else ()


def signer_problem(
    cert: x509.Certificate,
    trust: TrustContext,
    at: datetime,
    from_address_key: str | None,
) -> str | None:
    """Why ``cert`` cannot vouch for a signature checked at ``at``, or None when it can.

    In order: unreadable extensions, revocation, validity dates, the chain to an anchor,
    keyUsage and extendedKeyUsage, RSA key size, and last the sender's address, so the
    sentence names the most basic problem.
    """
    extensions = _extensions(cert)
    if extensions is None:
        return MSG_SIGNER_MALFORMED  # fail closed: usage and addresses cannot be judged
    check = check_chain(cert, trust, at)
    for revocation in find_revocations(check.chain, trust.crls):
        date = f"{revocation.revoked_on:%Y-%m-%d}"
        if revocation.certificate == cert:
            return MSG_SIGNER_REVOKED.format(date=date)
        name = display_name(revocation.certificate.subject)
        return MSG_SIGNER_AUTHORITY_REVOKED.format(name=name, date=date)
    if at > cert.not_valid_after_utc:
        return MSG_SIGNER_EXPIRED.format(date=f"{cert.not_valid_after_utc:%Y-%m-%d}")
    if at < cert.not_valid_before_utc:
        return MSG_SIGNER_NOT_YET_VALID.format(date=f"{cert.not_valid_before_utc:%Y-%m-%d}")
    for weak, hash_name in weak_signatures(check.chain, trust.anchors):
        return MSG_SIGNER_WEAK_CHAIN.format(name=display_name(weak.subject), hash=hash_name)
    if not check.trusted:
        return MSG_SIGNER_UNTRUSTED.format(reason=check.reason)
    problem = _usage_problem(extensions)
    if problem is not None:
        return problem
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey) and key.key_size < _MIN_RSA_BITS:
        return MSG_SIGNER_WEAK_RSA.format(bits=key.key_size)
    if from_address_key is not None:
        return _address_problem(cert, from_address_key)
    return None


def _usage_problem(extensions: x509.Extensions) -> str | None:
    # RFC 8550 4.4.2: a signing certificate's keyUsage, when present, must allow
    # digitalSignature or nonRepudiation (contentCommitment).
    key_usage = _extension(extensions, x509.KeyUsage)
    if key_usage is not None and not (key_usage.digital_signature or key_usage.content_commitment):
        return MSG_SIGNER_KEY_USAGE
    extended = _extension(extensions, x509.ExtendedKeyUsage)
    if extended is not None and not allows_email(extended):
        return MSG_SIGNER_NOT_FOR_EMAIL
    return None


def _address_problem(cert: x509.Certificate, from_address_key: str) -> str | None:
    addresses = signer_addresses(cert)
    if from_address_key in addresses:
        return None
    if not addresses:
        return MSG_SIGNER_NO_ADDRESS.format(sender=from_address_key)
    return MSG_SIGNER_NOT_SENDER.format(
        signer_addresses=", ".join(addresses), sender=from_address_key
    )


def _extension(extensions: x509.Extensions, kind: type[_E]) -> _E | None:
    try:
        return extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None
