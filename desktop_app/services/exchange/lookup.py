"""Directory lookups for recipients: gather in parallel, judge with the core, remember.

Runs off the GUI thread (it blocks on the network and reads the store). The compose
window shows a recipient as pending, never covered, until its result is in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from desktop_app.core.errors import UserFacingError
from desktop_app.core.pki.stored import Source
from desktop_app.core.recipients.addresses import Mailbox
from desktop_app.core.recipients.legacy_dn import legacy_dn_key
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.exchange.account import ExchangeSettings
from desktop_app.services.exchange.cache import CachedAnswer, DirectoryCache, cache_key_of_legacy_dn
from desktop_app.services.exchange.gather import gather, mailbox_of, resolve_one
from desktop_app.services.exchange.judgement import Judgement
from desktop_app.services.exchange.model import DirectorySource, EntryType
from desktop_app.services.exchange.results import DirectoryResult, RecipientKind

log = logging.getLogger(__name__)


class DirectoryLookup:
    """Looks recipients up in a directory and judges what it publishes.

    Certificates found are kept in the store (source ``directory``) and the answers in
    the ``DirectoryCache``, so later checks can use them without the network.
    """

    def __init__(
        self,
        source: DirectorySource,
        store: CertStore,
        settings: ExchangeSettings,
        clock: Callable[[], datetime],
        cache: DirectoryCache | None = None,
    ) -> None:
        self._source = source
        self._store = store
        self._settings = settings
        self._clock = clock
        self._cache = cache

    def lookup(self, mailboxes: Sequence[Mailbox], at: datetime) -> tuple[DirectoryResult, ...]:
        """One result per mailbox, in order; ``at`` is the time certificates are judged for."""
        settings = self._settings
        gathered = gather(self._source, mailboxes, settings.workers, settings.member_cap)
        judgement = Judgement(gathered, self._store, at, settings.member_cap)
        results = judgement.results()
        self._keep(judgement, mailboxes, results)
        return results

    def _keep(
        self,
        judgement: Judgement,
        mailboxes: Sequence[Mailbox],
        results: Sequence[DirectoryResult],
    ) -> None:
        now = self._clock()
        published = judgement.certificates()
        try:
            added = self._store.add_certificates(((c, Source.DIRECTORY) for c in published), now)
        except UserFacingError:
            # One certificate the store cannot take must not cost the others: one by one.
            added = 0
            for certificate in published:
                try:
                    added += self._store.add_certificate(certificate, Source.DIRECTORY, now)
                except UserFacingError:
                    log.warning("a directory certificate could not be stored")
        log.info("directory lookup: %d results, %d new certificates", len(results), added)
        if self._cache is None:
            return
        answers: dict[str, CachedAnswer] = {}
        for mailbox, result in zip(mailboxes, results, strict=True):
            for entry in (result, *result.members):
                if entry.failure is None and entry.address is not None:
                    answers[entry.address.lower()] = _cached(entry, now)
            if mailbox.legacy_dn is not None and result.failure is None:
                answers[cache_key_of_legacy_dn(mailbox.legacy_dn)] = _cached(result, now)
        try:
            self._cache.remember(answers)
        except UserFacingError:
            log.warning("directory cache could not be written")

    def resolve_legacy_dns(self, legacy_dns: Sequence[str]) -> dict[str, Mailbox]:
        """The SMTP mailbox of each legacyDN the directory knows, by ``legacy_dn_key``.

        For replies to mail fetched from Exchange: resolve first, then prefill, so the
        user's own X.500 address is recognised and left out of a Reply All.
        """

        def one(legacy_dn: str) -> Mailbox | None:
            probe = Mailbox(legacy_dn, legacy_dn, legacy_dn=legacy_dn)
            answer = resolve_one(self._source, probe)
            resolution = answer.resolution
            if resolution is None or resolution.entry_type is not EntryType.MAILBOX:
                return None
            return mailbox_of(resolution.address, resolution.name)

        workers = max(1, min(self._settings.workers, len(legacy_dns)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="directory") as pool:
            found = list(pool.map(one, legacy_dns))
        return {
            legacy_dn_key(dn): mailbox
            for dn, mailbox in zip(legacy_dns, found, strict=True)
            if mailbox is not None
        }


def _cached(result: DirectoryResult, now: datetime) -> CachedAnswer:
    fingerprints = tuple(
        finding.sha256 for finding in result.certificates if finding.sha256 is not None
    )
    members = tuple(member.address.lower() for member in result.members if member.address)
    kind = result.kind.value if result.kind is not RecipientKind.UNRESOLVED else "unresolved"
    return CachedAnswer(now, kind, result.address, fingerprints, members)
