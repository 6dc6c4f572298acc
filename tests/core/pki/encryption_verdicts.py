"""The test PKI and the helpers that the encryption verdict tests share."""

import datetime as dt

from cryptography import x509

from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.pki.usability import CertCode, CertVerdict, evaluate_for_encryption
from tests.factories.certs import NOW, Issued, TestCA

ALICE = "alice@example.org"
ROOT = TestCA()
INTER = ROOT.intermediate()
TRUST = TrustContext(anchors=(ROOT.cert,), intermediates=(INTER.cert,))
# RSA CAs: the factory re-signs with SHA-1 / MD5 only for RSA issuers.
RSA_ROOT = TestCA("RSA Root CA", key_kind="rsa2048")
RSA_INTER = RSA_ROOT.intermediate("RSA Intermediate CA", key_kind="rsa2048")
RSA_TRUST = TrustContext(anchors=(RSA_ROOT.cert,), intermediates=(RSA_INTER.cert,))
DAY = dt.timedelta(days=1)


def verdict(
    issued: Issued | x509.Certificate,
    address: str = ALICE,
    *,
    at: dt.datetime = NOW,
    trust: TrustContext = TRUST,
) -> CertVerdict:
    cert = issued.cert if isinstance(issued, Issued) else issued
    return evaluate_for_encryption(cert, address, at, trust)


def assert_only(result: CertVerdict, code: CertCode, fragment: str) -> None:
    assert result.code is code, result
    assert fragment in result.reason, result.reason
    assert result.problems == (result.reason,), result.problems
    assert not result.usable
