"""Searching Exchange's address list (GAL) for recipients: gather in parallel, remember.

Runs off the GUI thread (it blocks on the network and reads the store). What it finds is
evidence only (``GalEntry``: the port's ``SourceFinding`` per address); certificates found
are kept in the store (source ``directory``) and the answers in the ``DirectoryCache``,
so later checks can use them without the network.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import TYPE_CHECKING

from desktop_app.core.errors import UserFacingError
from desktop_app.core.pki.certificates import fingerprint_sha256
from desktop_app.core.recipients.addresses import Mailbox, MailboxKind, parse_mailbox
from desktop_app.core.recipients.legacy_dn import legacy_dn_key
from desktop_app.core.recipients.status import Draft
from desktop_app.services.certificates.consult import (
    Consulted,
    consult,
    keep_in_store,
)
from desktop_app.services.certificates.draft_evidence import DraftConsulted, recipient_keys
from desktop_app.services.certificates.source import FindingKind, SourceFinding
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.exchange.account import ExchangeSettings
from desktop_app.services.exchange.cache import CachedAnswer, DirectoryCache, cache_key_of_legacy_dn
from desktop_app.services.exchange.gal_findings import EXCHANGE, GAL, GalEntry, gal_entries
from desktop_app.services.exchange.gather import gather, mailbox_of, resolve_one
from desktop_app.services.exchange.model import DirectorySource, EntryType

if TYPE_CHECKING:
    from desktop_app.services.mail_access import MailAccess

log = logging.getLogger(__name__)


class GalSearch:
    """Looks recipients up in the address list over one connection, and keeps what it
    found: certificates in the store, answers in the cache (when given)."""

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

    def search(self, mailboxes: Sequence[Mailbox]) -> tuple[GalEntry, ...]:
        """One entry per mailbox, in order."""
        settings = self._settings
        gathered = gather(self._source, mailboxes, settings.workers, settings.member_cap)
        entries = gal_entries(gathered, settings.member_cap)
        self._keep(mailboxes, entries)
        return entries

    def _keep(self, mailboxes: Sequence[Mailbox], entries: Sequence[GalEntry]) -> None:
        now = self._clock()
        consulted = Consulted()
        for entry in entries:
            consulted.add(entry.mailbox.key, entry.finding)
        added = keep_in_store(self._store, consulted, now)
        log.info("directory lookup: %d results, %d new certificates", len(entries), added)
        if self._cache is None:
            return
        answers: dict[str, CachedAnswer] = {}
        for mailbox, entry in zip(mailboxes, entries, strict=True):
            for one in (entry, *entry.members):
                if one.failure is None and one.address is not None:
                    answers[one.address.lower()] = _cached(one, consulted, now)
            if mailbox.legacy_dn is not None and entry.failure is None:
                answers[cache_key_of_legacy_dn(mailbox.legacy_dn)] = _cached(entry, consulted, now)
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


def _cached(entry: GalEntry, consulted: Consulted, now: datetime) -> CachedAnswer:
    fingerprints = tuple(
        dict.fromkeys(
            fingerprint_sha256(p.certificate)
            for p in consulted.certificates.get(entry.mailbox.key, ())
        )
    )
    members = tuple(member.address.lower() for member in entry.members if member.address)
    kind = entry.finding.kind
    shown = kind.value if kind is not FindingKind.UNREACHABLE else FindingKind.UNRESOLVED.value
    return CachedAnswer(now, shown, entry.address, fingerprints, members)


def search_gal(
    access: MailAccess, mailboxes: Sequence[Mailbox], store: CertStore
) -> tuple[GalEntry, ...]:
    """What the address list of the home's account says of each of ``mailboxes``, in
    order, over one connection; raises a UserFacingError when unreachable."""
    from desktop_app.services.exchange.ews_services import EwsDirectory
    from desktop_app.services.exchange.session import open_connection

    if not mailboxes:
        return ()
    settings, clock = access.exchange_settings(), access.clock
    connection = open_connection(access, settings)
    try:
        cache = DirectoryCache(access.home, settings.cache_ttl, clock)
        return GalSearch(EwsDirectory(connection), store, settings, clock, cache).search(mailboxes)
    finally:
        connection.close()


def resolve_legacy_dns(
    access: MailAccess, legacy_dns: Sequence[str], store: CertStore
) -> dict[str, Mailbox]:
    """The SMTP mailbox of each X.500 address the directory of the home's account knows, by
    ``legacy_dn_key``: for a reply, resolved before it is prefilled, so that the user's own
    X.500 address is recognised and left out. Raises a UserFacingError when unreachable."""
    from desktop_app.services.exchange.ews_services import EwsDirectory
    from desktop_app.services.exchange.session import open_connection

    if not legacy_dns:
        return {}
    settings = access.exchange_settings()
    connection = open_connection(access, settings)
    try:
        return GalSearch(
            EwsDirectory(connection), store, settings, access.clock
        ).resolve_legacy_dns(legacy_dns)
    finally:
        connection.close()


def _resolved(mailbox: Mailbox, entry: GalEntry) -> Mailbox:
    """An X.500 recipient as the SMTP address the directory resolved it to."""
    if mailbox.kind is MailboxKind.EXCHANGE_LEGACY_DN and entry.address is not None:
        smtp = parse_mailbox(entry.address)
        return Mailbox(smtp.address, smtp.key, mailbox.display_name or smtp.display_name)
    return mailbox


class DraftAnswers:
    """What the address list said of one draft's recipients, searched in one go (X.500
    addresses resolved on the way), as a ``CertificateSource`` for ``consult``; an address
    it was not asked about is unknown to it."""

    def __init__(self, found: Mapping[str, SourceFinding]) -> None:
        self._found = dict(found)

    @property
    def label(self) -> str:
        return EXCHANGE

    @property
    def warning(self) -> str | None:
        return None

    def lookup(self, address_keys: Sequence[str]) -> dict[str, SourceFinding]:
        unknown = SourceFinding(FindingKind.UNKNOWN, GAL)
        return {key: self._found.get(key, unknown) for key in address_keys}

    def test(self) -> None:
        pass

    def close(self) -> None:
        pass


def consult_gal(access: MailAccess, draft: Draft, store: CertStore) -> tuple[Draft, DraftAnswers]:
    """Look every recipient of ``draft`` up: the draft with X.500 recipients replaced by
    their SMTP address, and what the directory found for each. Raises a UserFacingError
    when unreachable."""
    mailboxes = list(draft.recipients)
    entries = search_gal(access, mailboxes, store)
    by_mailbox = dict(zip(map(id, mailboxes), entries, strict=True))
    found: dict[str, SourceFinding] = {}
    for mailbox, entry in zip(mailboxes, entries, strict=True):
        found.setdefault(_resolved(mailbox, entry).key, entry.finding)

    def resolve(field: tuple[Mailbox, ...]) -> tuple[Mailbox, ...]:
        return tuple(_resolved(m, by_mailbox[id(m)]) for m in field)

    resolved = Draft(resolve(draft.to), resolve(draft.cc), resolve(draft.bcc), draft.sender)
    return resolved, DraftAnswers(found)


def consult_directory(access: MailAccess, draft: Draft, store: CertStore) -> DraftConsulted:
    """What the address list says of ``draft``'s recipients, X.500 ones resolved (an
    ``AccountDirectoryAsk`` for ``check``, ``seal`` and the window's sealer); raises a
    UserFacingError when unreachable."""
    resolved, answers = consult_gal(access, draft, store)
    return DraftConsulted(resolved, consult([(answers, None)], recipient_keys(resolved)))
