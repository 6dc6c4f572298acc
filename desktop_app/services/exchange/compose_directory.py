"""The Exchange directory as the compose window's directory (a ``CertificateSource``).

Per address it says, in the port's words, what the address list holds: the certificate
values published on an entry, a list's flattened members, or why the lookup failed.
Answers come from memory, then from the ``DirectoryCache`` while fresh, and only then
from the server, so re-checking a draft on every edit costs no network round trip.
Runs on the background helper's thread only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.serialization import Encoding

from desktop_app.core.errors import UserFacingError
from desktop_app.core.notices import Notice
from desktop_app.core.recipients.addresses import Mailbox, MailboxKind, parse_mailbox
from desktop_app.core.recipients.legacy_dn import legacy_dn_key, legacy_dn_mailbox
from desktop_app.core.recipients.normalise import address_key
from desktop_app.core.recipients.status import Draft
from desktop_app.services.certificates.source import FindingKind, PublishedValue, SourceFinding
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.certstore.store_errors import CertificateNotFound
from desktop_app.services.exchange.account import ExchangeSettings
from desktop_app.services.exchange.cache import CachedAnswer, DirectoryCache
from desktop_app.services.exchange.gal_findings import EXCHANGE, GAL, GalEntry
from desktop_app.services.mailtips import (
    MailTip,
    MailTipMemory,
    external_recipient,
    send_warnings,
    tip_recipients,
)

if TYPE_CHECKING:
    from desktop_app.services.exchange.connection import ExchangeConnection
    from desktop_app.services.mail_access import MailAccess

log = logging.getLogger(__name__)

# A failed answer is kept this long, so a draft re-checked on every keystroke does not
# wait for a server that is down each time; then the server is asked again.
RETRY_AFTER = timedelta(seconds=30)

# Lookups share the one background worker with sending and autosave: a server that does
# not answer must not hold them up for exchangelib's two minutes, nor the adapter's 20 s.
COMPOSE_TIMEOUT = 8.0
_NEVER = datetime.min.replace(tzinfo=UTC)


def _mailbox_for(key: str) -> Mailbox | None:
    try:
        mailbox = parse_mailbox(key)
    except UserFacingError:
        return None
    # An X.500 address is resolved first (``resolve_legacy_dns``); until then it keeps
    # the one rule's "unresolved".
    return None if mailbox.kind is MailboxKind.EXCHANGE_LEGACY_DN else mailbox


def _smtp_mailbox(entry: GalEntry) -> Mailbox | None:
    """The mailbox an X.500 address resolved to: a person or a list of the directory."""
    known = (FindingKind.PERSON, FindingKind.LIST)
    if entry.finding.kind not in known or entry.address is None:
        return None
    try:
        mailbox = parse_mailbox(entry.address)
    except UserFacingError:
        return None
    return Mailbox(mailbox.address, mailbox.key, entry.finding.name)


def _failed(finding: SourceFinding) -> bool:
    """Whether an answer says the server could not tell (asked again sooner)."""
    return finding.kind is FindingKind.UNREACHABLE or finding.incomplete is not None


def _key_of(address: str) -> str | None:
    try:
        return address_key(address)
    except UserFacingError:
        return None


class ExchangeDirectory:
    """Answers for addresses from the Exchange directory, over one lazily opened connection.

    ``open_connection`` is called on first need; when it fails (no password in the
    keyring, no account), every address asked gets that failure as its answer.
    """

    def __init__(
        self,
        store: CertStore,
        cache: DirectoryCache,
        open_connection: Callable[[], ExchangeConnection],
        settings: ExchangeSettings,
        clock: Callable[[], datetime],
        *,
        retry_after: timedelta = RETRY_AFTER,
    ) -> None:
        self._store = store
        self._cache = cache
        self._open_connection = open_connection
        self._settings = settings
        self._clock = clock
        self._retry_after = retry_after
        self._connection: ExchangeConnection | None = None
        self._memory: dict[str, tuple[datetime, SourceFinding, bool]] = {}
        self._tips = MailTipMemory(clock, retry_after)
        self._legacy: dict[str, tuple[datetime, Mailbox | None]] = {}  # by legacy_dn_key

    # -- the port and the directory protocols --------------------------------------------

    @property
    def label(self) -> str:
        return EXCHANGE

    @property
    def warning(self) -> str | None:
        return None

    def lookup(self, address_keys: Sequence[str]) -> dict[str, SourceFinding]:
        """A finding per key: from memory, the cache file, then the server in one batch.
        An X.500 address (resolved first, ``resolve_legacy_dns``) is unknown here."""
        found: dict[str, SourceFinding] = {}
        missing: list[tuple[str, Mailbox]] = []
        unknown: list[str] = []
        for key in dict.fromkeys(address_keys):
            known = self._remembered(key) or self._cached(key)
            if known is not None:
                found[key] = known
                continue
            mailbox = _mailbox_for(key)
            if mailbox is not None:
                missing.append((key, mailbox))
            else:
                unknown.append(key)
        if missing:
            found.update(self._ask(missing))
        found.update((key, SourceFinding(FindingKind.UNKNOWN, GAL)) for key in unknown)
        return found

    def test(self) -> None:
        """Open the connection (raises a UserFacingError saying why it cannot be)."""
        if self._connection is None:
            self._connection = self._open_connection()

    def send_warnings(self, draft: Draft) -> tuple[Notice, ...]:
        """MailTips for the draft's recipients (invalid, external members, large lists) and
        the recipients the directory calls external; advisory, so a failure gives none."""
        mailboxes = tip_recipients(draft)

        def ask(addresses: list[str]) -> tuple[MailTip | None, ...]:
            from desktop_app.services.exchange.ews_services import EwsDirectory

            if self._connection is None:
                self._connection = self._open_connection()
            sender = draft.sender.address if draft.sender else self._connection.config.email
            return EwsDirectory(self._connection).mail_tips(sender, addresses)

        known = self._tips.known(mailboxes, ask)
        # An address in the organisation's own domain that the directory does not know
        # is an invalid recipient (a typo), which says more than "outside".
        invalid = {_key_of(tip.address) for tip in known if tip.invalid}
        external = []
        for key, mailbox in mailboxes.items():
            if key in invalid:
                continue
            cached = self._cache.fresh(key)
            if cached is not None and cached.kind == FindingKind.UNKNOWN.value:
                message = external_recipient(mailbox.address)
                external.append(Notice("external_recipient", message, key))
        return (*send_warnings(known), *external)

    def resolve_legacy_dns(self, legacy_dns: Sequence[str]) -> dict[str, Mailbox]:
        """SMTP mailboxes (people and lists) for X.500 addresses, by ``legacy_dn_key``.

        Typed, pasted or in a reply's headers. Each is looked up with its certificates in
        one go, and the answer kept for its SMTP address, so the check that follows asks
        the server nothing more. Answers are kept for the cache's time to live; when the
        server cannot be reached none is resolved, and nothing is kept.
        """
        from desktop_app.services.exchange.ews_services import EwsDirectory
        from desktop_app.services.exchange.gal_search import GalSearch

        now = self._clock()
        found: dict[str, Mailbox] = {}
        missing: list[str] = []
        for legacy_dn in dict.fromkeys(legacy_dns):
            key = legacy_dn_key(legacy_dn)
            when, mailbox = self._legacy.get(key, (_NEVER, None))
            if now - when > self._settings.cache_ttl:
                missing.append(legacy_dn)
            elif mailbox is not None:
                found[key] = mailbox
        if not missing:
            return found
        try:
            if self._connection is None:
                self._connection = self._open_connection()
            search = GalSearch(
                EwsDirectory(self._connection),
                self._store,
                self._settings,
                self._clock,
                self._cache,
            )
            entries = search.search([legacy_dn_mailbox(dn) for dn in missing])
        except UserFacingError as error:
            log.info("X.500 addresses not resolved: %s", type(error).__name__)
            return found
        for legacy_dn, entry in zip(missing, entries, strict=True):
            mailbox = _smtp_mailbox(entry)
            if entry.failure is None:
                self._legacy[legacy_dn_key(legacy_dn)] = (now, mailbox)
            if mailbox is not None:
                found[legacy_dn_key(legacy_dn)] = mailbox
                self._remember(mailbox.key, entry.finding)
        return found

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    # -- memory and cache ----------------------------------------------------------------

    def _remembered(self, key: str) -> SourceFinding | None:
        entry = self._memory.get(key)
        if entry is None:
            return None
        when, answer, failed = entry
        lifetime = self._retry_after if failed else self._settings.cache_ttl
        if self._clock() - when > lifetime:
            del self._memory[key]
            return None
        return answer

    def _remember(self, key: str, answer: SourceFinding) -> None:
        self._memory[key] = (self._clock(), answer, _failed(answer))

    def _stored(self, fingerprints: Sequence[str]) -> tuple[PublishedValue, ...]:
        values = []
        for fingerprint in fingerprints:
            try:
                certificate = self._store.certificate(fingerprint)
            except CertificateNotFound:
                continue  # removed from the store since: the store wins
            values.append(PublishedValue("cached", certificate.public_bytes(Encoding.DER)))
        return tuple(values)

    def _cached_mailbox(self, answer: CachedAnswer) -> SourceFinding | None:
        if answer.kind == FindingKind.PERSON.value:
            return SourceFinding(
                FindingKind.PERSON, GAL, self._stored(answer.fingerprints), primary=answer.address
            )
        if answer.kind == FindingKind.UNKNOWN.value:
            return SourceFinding(FindingKind.UNKNOWN, GAL)
        return None  # unresolved: the cache keeps no reason, so ask again

    def _cached(self, key: str) -> SourceFinding | None:
        """The cache file's answer for ``key``, if fresh and complete enough to use."""
        answer = self._cache.fresh(key)
        if answer is None:
            return None
        if answer.kind != FindingKind.LIST.value:
            return self._cached_mailbox(answer)
        # A list cut at the member cap is stored like a complete one: ask the server again.
        if not answer.members or len(answer.members) >= self._settings.member_cap:
            return None
        members: dict[str, SourceFinding] = {}
        for address in answer.members:
            member_key = _key_of(address)
            cached = self._cache.fresh(address)
            known = self._cached_mailbox(cached) if cached is not None else None
            if member_key is None or known is None:
                return None
            members[member_key] = known
        return SourceFinding(
            FindingKind.LIST,
            GAL,
            members=answer.members,
            member_findings=members,
            primary=answer.address,
        )

    # -- the server ------------------------------------------------------------------------

    def _ask(self, missing: Sequence[tuple[str, Mailbox]]) -> dict[str, SourceFinding]:
        """The server's answers, in one batch; never raises (``UNREACHABLE`` and why)."""
        from desktop_app.services.exchange.ews_services import EwsDirectory
        from desktop_app.services.exchange.gal_search import GalSearch

        try:
            if self._connection is None:
                self._connection = self._open_connection()
            source = EwsDirectory(self._connection)
            search = GalSearch(source, self._store, self._settings, self._clock, self._cache)
            entries = search.search([mailbox for _, mailbox in missing])
        except UserFacingError as error:
            log.info("directory lookup failed: %s", type(error).__name__)
            failed = SourceFinding(FindingKind.UNREACHABLE, GAL, failure=error.message)
            for key, _ in missing:
                self._remember(key, failed)
            return {key: failed for key, _ in missing}
        found: dict[str, SourceFinding] = {}
        for (key, _), entry in zip(missing, entries, strict=True):
            self._remember(key, entry.finding)
            found[key] = entry.finding
        return found


def exchange_directory(
    access: MailAccess, store: CertStore, settings: ExchangeSettings | None = None
) -> ExchangeDirectory:
    """The directory of the account set up in the home, for ``EvidenceGatherer``; with
    ``access``'s settings and a compose window's timeout unless ``settings`` are given."""
    from desktop_app.services.exchange.session import open_connection

    chosen = settings or access.exchange_settings(COMPOSE_TIMEOUT)
    return ExchangeDirectory(
        store,
        DirectoryCache(access.home, chosen.cache_ttl, access.clock),
        lambda: open_connection(access, chosen),
        chosen,
        access.clock,
    )
