"""Revocation of a whole chain: the certificate and every intermediate CA above it.

A revoked intermediate revokes everything it issued, so a recipient's answer is the
answer for each link from the certificate up to (not including) the trust anchor, which
is trusted as configured and never asked about. Pure: the time is a parameter.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final

from cryptography import x509

from desktop_app.core.messages import text
from desktop_app.core.pki.certificates import fingerprint_sha256, shown_subject
from desktop_app.core.pki.parsing import PARSE_ERRORS
from desktop_app.core.pki.revocation import (
    RevocationAnswer,
    RevocationState,
    SignatureMemo,
    crl_answer,
    issuer_of,
    revocation_sources,
    settle,
    unknown,
)
from desktop_app.core.pki.trust import TrustContext

# Deeper chains than this are not built by the verifier either.
MAX_LINKS: Final = 8


@dataclass(frozen=True, slots=True)
class Link:
    """One certificate of a chain whose revocation matters, with the CA that issued it.

    ``authority``: the certificate is an intermediate CA above the recipient's.
    """

    certificate: x509.Certificate
    issuer: x509.Certificate
    fingerprint: str
    authority: bool


def links_to_check(
    certificate: x509.Certificate, trust: TrustContext, memo: SignatureMemo | None = None
) -> tuple[Link, ...] | None:
    """``certificate`` and each intermediate CA above it, each with its issuer, up to a
    trust anchor; None when an issuer is not among ``trust``'s certificates."""
    memo = memo or SignatureMemo()
    links: list[Link] = []
    current = certificate
    while len(links) < MAX_LINKS:
        authority = bool(links)
        # The intermediates are the same objects for every recipient: found once each.
        issuer = memo.issuer_of(current, trust) if authority else issuer_of(current, trust)
        if issuer is None:
            return None
        fingerprint = memo.fingerprint(current) if authority else fingerprint_sha256(current)
        links.append(Link(current, issuer, fingerprint, authority))
        if issuer in trust.anchors or any(link.certificate == issuer for link in links):
            break
        current = issuer
    return tuple(links)


def link_at_hand(
    link: Link, trust: TrustContext, now: datetime, memo: SignatureMemo | None = None
) -> RevocationAnswer:
    """What the CRLs already held say about one link; UNKNOWN says whether fetching could
    help ("not checked") or not (no source named, or what the stored lists lacked)."""
    memo = memo or SignatureMemo()
    if link.authority:
        return memo.answer(link.certificate, now, lambda: _at_hand(link, trust, now, memo))
    return _at_hand(link, trust, now, memo)


def _at_hand(
    link: Link, trust: TrustContext, now: datetime, memo: SignatureMemo
) -> RevocationAnswer:
    certificate = link.certificate
    named = []
    for crl in trust.crls:
        try:
            if crl.issuer == certificate.issuer:
                named.append(crl)
        except PARSE_ERRORS:
            continue
    where = text("revocation.source_stored")
    answers = [
        crl_answer(crl, certificate, link.issuer, now, where=where, memo=memo) for crl in named
    ]
    settled = settle(answers)
    if settled is not None and settled.known:
        return settled
    if not revocation_sources(certificate):
        return unknown(text("revocation.no_sources")) if settled is None else settled
    return unknown(text("revocation.not_checked"))


def chain_answer(links: Sequence[Link], answers: Sequence[RevocationAnswer]) -> RevocationAnswer:
    """One answer for a recipient from the answers for each link (in the same order).

    Revoked anywhere is revoked; else unknown anywhere is unknown; else good until the
    earliest nextUpdate. An answer about an intermediate names it in ``authority``.
    """
    named = [_about(link, answer) for link, answer in zip(links, answers, strict=True)]
    for state in (RevocationState.REVOKED, RevocationState.UNKNOWN):
        found = next((answer for answer in named if answer.state is state), None)
        if found is not None:
            return found
    until = [answer.valid_until for answer in named]
    earliest = None if None in until else min(u for u in until if u is not None)
    return replace(named[0], valid_until=earliest)


def _about(link: Link, answer: RevocationAnswer) -> RevocationAnswer:
    if not link.authority:
        return answer
    name = shown_subject(link.certificate)
    if answer.known:
        return replace(answer, authority=name)
    reason = text("revocation.authority_unknown", name=name, reason=answer.reason)
    return replace(answer, authority=name, reason=reason)


def revocation_at_hand(
    certificate: x509.Certificate,
    trust: TrustContext,
    now: datetime,
    memo: SignatureMemo | None = None,
) -> RevocationAnswer:
    """What the CRLs already held (``trust.crls``) say about ``certificate`` and the
    intermediate CAs above it at ``now``; UNKNOWN when any link is not settled."""
    memo = memo or SignatureMemo()
    links = links_to_check(certificate, trust, memo)
    if links is None:
        return unknown(text("revocation.no_issuer"))
    return chain_answer(links, [link_at_hand(link, trust, now, memo) for link in links])
