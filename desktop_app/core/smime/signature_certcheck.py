"""Whether the certificate that made a signature can vouch for it (RFC 8550 4, RFC 8551 3)."""

from __future__ import annotations

from datetime import datetime
from typing import Final, TypeVar

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from desktop_app.core.messages import text
from desktop_app.core.pki.certificates import display_name, email_addresses, is_ca
from desktop_app.core.pki.trust import (
    TrustContext,
    allows_email,
    check_chain,
    find_revocations,
    weak_signatures,
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
        return text(
            "signature.signer_malformed"
        )  # fail closed: usage and addresses cannot be judged
    check = check_chain(cert, trust, at)
    for revocation in find_revocations(check.chain, trust.crls):
        date = f"{revocation.revoked_on:%Y-%m-%d}"
        if revocation.certificate == cert:
            return text("signature.signer_revoked", date=date)
        name = display_name(revocation.certificate.subject)
        return text("signature.signer_authority_revoked", name=name, date=date)
    if at > cert.not_valid_after_utc:
        return text("signature.signer_expired", date=f"{cert.not_valid_after_utc:%Y-%m-%d}")
    if at < cert.not_valid_before_utc:
        return text("signature.signer_not_yet_valid", date=f"{cert.not_valid_before_utc:%Y-%m-%d}")
    for weak, hash_name in weak_signatures(check.chain, trust.anchors):
        return text("signature.signer_weak_chain", name=display_name(weak.subject), hash=hash_name)
    if not check.trusted:
        return text("signature.signer_untrusted", reason=check.reason)
    problem = _usage_problem(extensions)
    if problem is not None:
        return problem
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey) and key.key_size < _MIN_RSA_BITS:
        return text("signature.signer_weak_rsa", bits=key.key_size)
    if from_address_key is not None:
        return _address_problem(cert, from_address_key)
    return None


def _usage_problem(extensions: x509.Extensions) -> str | None:
    # RFC 8550 4.4.2: a signing certificate's keyUsage, when present, must allow
    # digitalSignature or nonRepudiation (contentCommitment).
    key_usage = _extension(extensions, x509.KeyUsage)
    if key_usage is not None and not (key_usage.digital_signature or key_usage.content_commitment):
        return text("signature.signer_key_usage")
    extended = _extension(extensions, x509.ExtendedKeyUsage)
    if extended is not None and not allows_email(extended):
        return text("signature.signer_not_for_email")
    return None


def _address_problem(cert: x509.Certificate, from_address_key: str) -> str | None:
    addresses = signer_addresses(cert)
    if from_address_key in addresses:
        return None
    if not addresses:
        return text("signature.signer_no_address", sender=from_address_key)
    return text(
        "signature.signer_not_sender",
        signer_addresses=", ".join(addresses),
        sender=from_address_key,
    )


def _extension(extensions: x509.Extensions, kind: type[_E]) -> _E | None:
    try:
        return extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None
