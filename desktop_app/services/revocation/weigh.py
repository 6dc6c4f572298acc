"""Revocation for ``check`` and ``seal``: fetched as the policy asks, synchronously."""

from dataclasses import replace

from desktop_app.core.policy.model import RevocationPolicy
from desktop_app.core.recipients.evidence import CertificateJudge, with_revocation
from desktop_app.core.recipients.status import Evidence
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.revocation.checker import RevocationChecker
from desktop_app.services.revocation.crl_cache import CrlCache


def revocation_weighed(
    evidence: Evidence,
    judge: CertificateJudge,
    store: CertStore,
    policy: RevocationPolicy,
    *,
    offline: bool,
    cache: CrlCache | None = None,
) -> Evidence:
    """``evidence`` with the revocation answers the stored CRLs lacked, fetched with the
    usual limits (nothing under "off"; ``offline``: nothing, and unknown says so), and
    the policy set for the one rule. ``cache``: fetched CRLs, kept until nextUpdate."""
    if policy is not RevocationPolicy.OFF:
        checker = RevocationChecker(cache, offline=offline)
        answers = checker.for_evidence(evidence, judge.trust, store.certificate, judge.at)
        evidence = with_revocation(evidence, answers)
    return replace(evidence, revocation=policy)
