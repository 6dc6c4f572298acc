"""Asking CRL distribution points and OCSP responders about the certificates a draft uses.

Returns evidence only (an answer per certificate, or unknown with the reason); the one
rule in core turns it into a verdict under the policy.
"""

import logging
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from cryptography import x509

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.core.pki.certificates import load_crl
from desktop_app.core.pki.chain_revocation import Link, chain_answer, link_at_hand, links_to_check
from desktop_app.core.pki.ocsp_rules import ocsp_answer, ocsp_request
from desktop_app.core.pki.revocation import (
    RevocationAnswer,
    RevocationSources,
    SignatureMemo,
    crl_answer,
    revocation_sources,
    settle,
    unknown,
)
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.recipients.status import Evidence
from desktop_app.services.certstore.store_errors import CertificateNotFound
from desktop_app.services.revocation.crl_cache import CrlCache
from desktop_app.services.revocation.http_fetch import FetchError, HttpLimits, fetch

log = logging.getLogger(__name__)

# A failed fetch is not repeated for this long, so a draft re-checked on every edit does
# not wait for a server that is down each time.
RETRY_AFTER: Final = timedelta(seconds=30)
MAX_PARALLEL_FETCHES: Final = 8
_NONCE_BYTES = 16


@dataclass(frozen=True, slots=True)
class _Job:
    fingerprint: str
    certificate: x509.Certificate
    issuer: x509.Certificate
    sources: RevocationSources


@dataclass(frozen=True, slots=True)
class _Fetched:
    """A CRL fetched from a URL, or why none could be; kept until ``until``."""

    crl: x509.CertificateRevocationList | None
    failure: str
    until: datetime


class RevocationChecker:
    """Answers for certificates whose revocation the CRLs at hand do not settle, with
    the intermediate CAs above them.

    CRLs first (one fetch per distribution point serves every certificate that names it;
    a list that verifies is kept in ``cache`` until its nextUpdate), then OCSP for what
    is still unknown. Fetches wait on the network on a few threads of their own; parsing,
    judging and the store stay on the caller's thread. Answers are remembered until their
    nextUpdate, failures for ``retry_after``. Use from one thread at a time.
    """

    def __init__(
        self,
        cache: CrlCache | None = None,
        *,
        limits: HttpLimits | None = None,
        offline: bool = False,
        retry_after: timedelta = RETRY_AFTER,
    ) -> None:
        """``cache``: where verified CRLs are kept; ``offline``: fetch nothing (a cached
        list is still used)."""
        self._cache = cache
        self._limits = limits or HttpLimits()
        self._offline = offline
        self._retry_after = retry_after
        self._answers: dict[str, tuple[RevocationAnswer, datetime]] = {}
        self._fetched: dict[str, _Fetched] = {}
        self._stored: set[str] = set()  # URLs whose current list is in the cache

    def for_evidence(
        self,
        evidence: Evidence,
        trust: TrustContext,
        certificate_for: Callable[[str], x509.Certificate],
        now: datetime,
    ) -> dict[str, RevocationAnswer]:
        """Answers, by fingerprint, for usable candidates whose revocation is unknown."""
        wanted: dict[str, x509.Certificate] = {}
        for lookup in evidence.lookups.values():
            for candidate in lookup.candidates:
                fingerprint = candidate.fingerprint
                if not candidate.verdict.usable or candidate.revocation_known:
                    continue
                if fingerprint in wanted:
                    continue
                try:
                    wanted[fingerprint] = certificate_for(fingerprint)
                except (CertificateNotFound, KeyError):
                    continue
        return self.check(wanted, trust, now) if wanted else {}

    def check(
        self, certificates: Mapping[str, x509.Certificate], trust: TrustContext, now: datetime
    ) -> dict[str, RevocationAnswer]:
        """An answer for each certificate (by the caller's key), known or unknown with why.

        Each certificate's answer covers the intermediate CAs above it too (not the trust
        anchor): each is settled by the CRLs at hand or asked about like the certificate,
        once for every certificate it issued, and one revoked or unknown makes the
        certificate's answer so.
        """
        found: dict[str, RevocationAnswer] = {}
        chains: dict[str, tuple[Link, ...]] = {}
        settled: dict[str, RevocationAnswer] = {}  # by the fingerprint of each link
        jobs: dict[str, _Job] = {}
        memo = SignatureMemo()
        for key, certificate in certificates.items():
            links = links_to_check(certificate, trust, memo)
            if links is None:
                found[key] = unknown(text("revocation.no_issuer"))
                continue
            chains[key] = links
            for link in links:
                if link.fingerprint not in settled and link.fingerprint not in jobs:
                    self._plan(link, trust, now, memo, settled, jobs)
        if jobs:
            settled.update(self._ask(list(jobs.values()), now))
        for key, links in chains.items():
            found[key] = chain_answer(links, [settled[link.fingerprint] for link in links])
        return found

    def _plan(
        self,
        link: Link,
        trust: TrustContext,
        now: datetime,
        memo: SignatureMemo,
        settled: dict[str, RevocationAnswer],
        jobs: dict[str, _Job],
    ) -> None:
        """Settle ``link`` from what is remembered or stored, or plan to ask about it."""
        remembered = self._answers.get(link.fingerprint)
        if remembered is not None and now < remembered[1]:
            settled[link.fingerprint] = remembered[0]
            return
        at_hand = link_at_hand(link, trust, now, memo)
        sources = revocation_sources(link.certificate)
        if at_hand.known or not sources:
            settled[link.fingerprint] = at_hand
        else:
            jobs[link.fingerprint] = _Job(link.fingerprint, link.certificate, link.issuer, sources)

    # -- the network ---------------------------------------------------------------------

    def _ask(self, jobs: Sequence[_Job], now: datetime) -> dict[str, RevocationAnswer]:
        self._fetch_crls([url for job in jobs for url in job.sources.crl_urls], now)
        answers: dict[str, RevocationAnswer] = {}
        reasons: dict[str, list[str]] = {}
        left: list[_Job] = []
        memo = SignatureMemo()  # a list named by many certificates is verified once
        for job in jobs:
            tried = [self._from_crl(job, url, now, memo) for url in job.sources.crl_urls]
            settled = settle(tried)
            if settled is not None and settled.known:
                answers[job.fingerprint] = settled
            else:
                reasons[job.fingerprint] = [answer.reason for answer in tried]
                left.append(job)
        for job, answer in self._ask_ocsp(left, now):
            if answer.known:
                answers.setdefault(job.fingerprint, answer)  # the first responder to know
            else:
                reasons[job.fingerprint].append(answer.reason)
        for job in jobs:
            known = answers.get(job.fingerprint)
            if known is None:
                failed = unknown(" ".join(dict.fromkeys(reasons[job.fingerprint])))
                answers[job.fingerprint] = failed
                self._answers[job.fingerprint] = (failed, now + self._retry_after)
            else:
                self._answers[job.fingerprint] = (known, known.valid_until or now)
        return answers

    def _fetch_crls(self, urls: Sequence[str], now: datetime) -> None:
        wanted = []
        for url in dict.fromkeys(urls):
            if url in self._fetched and now < self._fetched[url].until:
                continue
            cached = self._cache.get(url) if self._cache is not None else None
            next_update = cached.next_update_utc if cached is not None else None
            if cached is not None and next_update is not None and now < next_update:
                self._fetched[url] = _Fetched(cached, "", next_update)
                self._stored.add(url)  # it is the cached one
            elif self._offline:
                self._fetched[url] = _Fetched(None, text("revocation.offline"), now)
            else:
                wanted.append(url)
        if not wanted:
            return
        limit, timeout = self._limits.max_crl_bytes, self._limits.timeout

        def get(url: str) -> bytes | str:
            try:
                return fetch(url, limit=limit, timeout=timeout)
            except FetchError as error:
                return error.reason

        with ThreadPoolExecutor(min(MAX_PARALLEL_FETCHES, len(wanted))) as pool:
            results = list(pool.map(get, wanted))
        for url, result in zip(wanted, results, strict=True):
            self._fetched[url] = self._parsed(url, result, now)
            self._stored.discard(url)

    def _parsed(self, url: str, result: bytes | str, now: datetime) -> _Fetched:
        retry = now + self._retry_after
        if isinstance(result, str):
            return _Fetched(None, result, retry)
        try:
            crl = load_crl(result, source_name=url)
            next_update = crl.next_update_utc
        except (UserFacingError, ValueError, TypeError):
            return _Fetched(None, text("revocation.crl_unreadable", where=url), retry)
        # Kept until its nextUpdate even if it turns out unusable: asking again sooner
        # would bring the same list.
        until = next_update if next_update is not None and next_update > now else retry
        return _Fetched(crl, "", until)

    def _from_crl(
        self, job: _Job, url: str, now: datetime, memo: SignatureMemo
    ) -> RevocationAnswer:
        fetched = self._fetched[url]
        if fetched.crl is None:
            return unknown(fetched.failure)
        answer = crl_answer(fetched.crl, job.certificate, job.issuer, now, where=url, memo=memo)
        if answer.known and self._cache is not None and url not in self._stored:
            self._stored.add(url)  # only a list that verified against the issuer is kept
            self._cache.put(url, fetched.crl)
        return answer

    def _ask_ocsp(self, jobs: Sequence[_Job], now: datetime) -> list[tuple[_Job, RevocationAnswer]]:
        if self._offline:
            return []
        asks = [
            (job, url, os.urandom(_NONCE_BYTES)) for job in jobs for url in job.sources.ocsp_urls
        ]
        if not asks:
            return []
        limit, timeout = self._limits.max_ocsp_bytes, self._limits.timeout

        def post(ask: tuple[_Job, str, bytes]) -> bytes | str:
            job, url, nonce = ask
            try:
                request = ocsp_request(job.certificate, job.issuer, nonce)
                return fetch(url, limit=limit, timeout=timeout, body=request)
            except FetchError as error:
                return error.reason
            except (ValueError, TypeError):
                return text("revocation.ocsp_unreadable", where=url)

        with ThreadPoolExecutor(min(MAX_PARALLEL_FETCHES, len(asks))) as pool:
            results = list(pool.map(post, asks))
        answered = []
        for (job, url, nonce), result in zip(asks, results, strict=True):
            if isinstance(result, str):
                answered.append((job, unknown(result)))
                continue
            answer = ocsp_answer(result, job.certificate, job.issuer, now, nonce=nonce, where=url)
            answered.append((job, answer))
        return answered
