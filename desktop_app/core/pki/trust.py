"""What a certificate is checked against: trust anchors, intermediates and CRLs."""

from dataclasses import dataclass

from cryptography import x509


@dataclass(frozen=True)
class TrustContext:
    """Everything needed to decide if a certificate chains to a trusted root and is revoked.

    ``intermediates`` are untrusted CA certificates that may complete a chain;
    ``crls`` are counted only when their signature checks against the issuing CA.
    """

    anchors: tuple[x509.Certificate, ...] = ()
    intermediates: tuple[x509.Certificate, ...] = ()
    crls: tuple[x509.CertificateRevocationList, ...] = ()
