"""Asking the directory about a draft's recipients before the one rule decides.

``check`` and ``seal`` call this when an Exchange account is set up (and not ``--offline``):
certificates the directory publishes land in the store (source ``directory``), X.500
recipients are replaced by their SMTP address, and lists become ``Lookup(members=...)``
so that a list is covered only when every member is.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.recipients.addresses import Mailbox, MailboxKind, parse_mailbox
from desktop_app.core.recipients.status import Draft, Lookup, StatusCode
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.exchange.account import ExchangeSettings, account_configured
from desktop_app.services.exchange.cache import DirectoryCache
from desktop_app.services.exchange.results import DirectoryResult, RecipientKind
from desktop_app.services.secrets import SecretStore

if TYPE_CHECKING:
    from desktop_app.services.exchange.oauth import OAuthContext


@dataclasses.dataclass(frozen=True)
class DirectoryFindings:
    """The draft with X.500 recipients resolved, and what the directory adds to evidence
    (see ``core.recipients.evidence.with_directory``)."""

    draft: Draft
    lookups: dict[str, Lookup]


def directory_findings(
    home: Path,
    draft: Draft,
    store: CertStore,
    at: datetime,
    *,
    offline: bool,
    open_secrets: Callable[[], SecretStore],
    clock: Callable[[], datetime],
) -> DirectoryFindings:
    """What the directory says about ``draft``: nothing offline or without an account."""
    if offline or not account_configured(home):
        return DirectoryFindings(draft, {})
    return consult_directory(home, draft, store, at, open_secrets=open_secrets, clock=clock)


def _resolved(mailbox: Mailbox, result: DirectoryResult) -> Mailbox:
    if mailbox.kind is MailboxKind.EXCHANGE_LEGACY_DN and result.address is not None:
        smtp = parse_mailbox(result.address)
        return Mailbox(smtp.address, smtp.key, mailbox.display_name or smtp.display_name)
    return mailbox


def _member(result: DirectoryResult) -> Mailbox | None:
    return parse_mailbox(result.address) if result.address else None


def _extra(result: DirectoryResult) -> Lookup | None:
    if result.kind is RecipientKind.LIST:
        members = tuple(m for m in map(_member, result.members) if m is not None)
        # A list cut at the member cap, or whose members could not be read, stays uncovered.
        failure = result.reason if result.status is StatusCode.UNRESOLVED else None
        return Lookup(members=members, failure=failure)
    if result.failure is not None:
        return Lookup(failure=result.failure)
    return None


def look_up(
    home: Path,
    mailboxes: Sequence[Mailbox],
    store: CertStore,
    at: datetime,
    *,
    open_secrets: Callable[[], SecretStore],
    clock: Callable[[], datetime],
    settings: ExchangeSettings,
    oauth: OAuthContext | None = None,
) -> tuple[DirectoryResult, ...]:
    """What the directory of ``home``'s account says of each of ``mailboxes``, in order,
    through the cache, over one connection; raises a UserFacingError when unreachable."""
    from desktop_app.services.exchange.ews_services import EwsDirectory
    from desktop_app.services.exchange.lookup import DirectoryLookup
    from desktop_app.services.exchange.session import open_connection

    if not mailboxes:
        return ()
    connection = open_connection(home, open_secrets, settings, oauth=oauth)
    try:
        cache = DirectoryCache(home, settings.cache_ttl, clock)
        directory = DirectoryLookup(EwsDirectory(connection), store, settings, clock, cache)
        return directory.lookup(mailboxes, at)
    finally:
        connection.close()


def resolve_legacy_dns(
    home: Path,
    legacy_dns: Sequence[str],
    store: CertStore,
    *,
    open_secrets: Callable[[], SecretStore],
    clock: Callable[[], datetime],
    settings: ExchangeSettings | None = None,
    oauth: OAuthContext | None = None,
) -> dict[str, Mailbox]:
    """The SMTP mailbox of each X.500 address the directory of ``home``'s account knows, by
    ``legacy_dn_key``: for a reply, resolved before it is prefilled, so that the user's own
    X.500 address is recognised and left out. Raises a UserFacingError when unreachable."""
    from desktop_app.services.exchange.ews_services import EwsDirectory
    from desktop_app.services.exchange.lookup import DirectoryLookup
    from desktop_app.services.exchange.session import open_connection

    if not legacy_dns:
        return {}
    settings = settings or ExchangeSettings()
    connection = open_connection(home, open_secrets, settings, oauth=oauth)
    try:
        directory = DirectoryLookup(EwsDirectory(connection), store, settings, clock)
        return directory.resolve_legacy_dns(legacy_dns)
    finally:
        connection.close()


def consult_directory(
    home: Path,
    draft: Draft,
    store: CertStore,
    at: datetime,
    *,
    open_secrets: Callable[[], SecretStore],
    clock: Callable[[], datetime],
    settings: ExchangeSettings | None = None,
    oauth: OAuthContext | None = None,
) -> DirectoryFindings:
    """Look every recipient up in the directory; raises a UserFacingError when unreachable."""
    fields: Sequence[tuple[Mailbox, ...]] = (draft.to, draft.cc, draft.bcc)
    mailboxes = [m for field in fields for m in field]
    results = look_up(
        home,
        mailboxes,
        store,
        at,
        open_secrets=open_secrets,
        clock=clock,
        settings=settings or ExchangeSettings(),
        oauth=oauth,
    )
    by_mailbox = dict(zip(map(id, mailboxes), results, strict=True))
    lookups: dict[str, Lookup] = {}
    for mailbox, result in zip(mailboxes, results, strict=True):
        extra = _extra(result)
        if extra is not None:
            lookups[_resolved(mailbox, result).key] = extra

    def resolve(field: tuple[Mailbox, ...]) -> tuple[Mailbox, ...]:
        return tuple(_resolved(m, by_mailbox[id(m)]) for m in field)

    resolved = Draft(resolve(draft.to), resolve(draft.cc), resolve(draft.bcc), draft.sender)
    return DirectoryFindings(resolved, lookups)
