"""Microsoft Graph as the compose window's directory (a ``CertificateSource``).

Graph publishes no certificates, so a mailbox's certificates come from the store alone
(imported, harvested, LDAP, an admin bundle); what Graph adds is whether an address is a
list, the list's members (``transitiveMembers``), and MailTips for the send gate. A list
Graph cannot expand (a dynamic distribution group) is never covered: its members are
unknown. It says what it finds in the port's words. Answers are kept in memory for
``ttl`` (a failure for ``retry_after``), so a draft re-checked on every edit asks Graph
nothing new. Background thread only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.core.notices import Notice
from desktop_app.core.recipients.addresses import Mailbox, MailboxKind, parse_mailbox
from desktop_app.core.recipients.status import Draft
from desktop_app.services.certificates.draft_evidence import DraftConsulted, recipient_keys
from desktop_app.services.certificates.source import FindingKind, SourceFinding
from desktop_app.services.graph.directory import DirectoryEntry, EntryKind, GraphDirectory
from desktop_app.services.mailtips import (
    MailTipMemory,
    external_recipient,
    send_warnings,
    tip_recipients,
)

if TYPE_CHECKING:
    from desktop_app.services.certstore.store import CertStore

log = logging.getLogger(__name__)

TTL = timedelta(hours=8)
RETRY_AFTER = timedelta(seconds=30)
GRAPH = "graph"  # the label of Graph and its findings (it publishes no certificates)


def _mailbox(key: str) -> Mailbox | None:
    try:
        mailbox = parse_mailbox(key)
    except UserFacingError:
        return None
    return None if mailbox.kind is MailboxKind.EXCHANGE_LEGACY_DN else mailbox


def _finding(entry: DirectoryEntry) -> SourceFinding:
    """What Graph says of one address; it publishes no certificates (``complete`` False:
    the store's certificates decide)."""
    if entry.kind is EntryKind.LIST_MEMBERS_UNKNOWN:
        reason = text("graph.members_unknown", address=entry.address)
        return SourceFinding(FindingKind.LIST, GRAPH, incomplete=reason, complete=False)
    if entry.kind is EntryKind.EXTERNAL:
        return SourceFinding(FindingKind.UNKNOWN, GRAPH, complete=False)
    if entry.kind is not EntryKind.LIST:
        return SourceFinding(FindingKind.PERSON, GRAPH, primary=entry.address, complete=False)
    members = [_mailbox(member.address) for member in entry.members]
    incomplete = None
    if entry.truncated or None in members:
        incomplete = text("graph.members_unknown", address=entry.address)
    return SourceFinding(
        FindingKind.LIST,
        GRAPH,
        members=tuple(m.address for m in members if m is not None),
        primary=entry.address,
        incomplete=incomplete,
        complete=False,
    )


class GraphComposeDirectory:
    """Answers from Graph over one lazily made client; safe on the background thread."""

    def __init__(
        self,
        open_directory: Callable[[], GraphDirectory],
        clock: Callable[[], datetime],
        *,
        ttl: timedelta = TTL,
        retry_after: timedelta = RETRY_AFTER,
    ) -> None:
        self._open_directory = open_directory
        self._clock = clock
        self._ttl = ttl
        self._retry_after = retry_after
        self._directory: GraphDirectory | None = None
        self._memory: dict[str, tuple[datetime, SourceFinding, bool]] = {}
        self._tips = MailTipMemory(clock, retry_after)
        self._external: set[str] = set()

    def _graph(self) -> GraphDirectory:
        if self._directory is None:
            self._directory = self._open_directory()
        return self._directory

    @property
    def label(self) -> str:
        return GRAPH

    @property
    def warning(self) -> str | None:
        return None

    def lookup(self, address_keys: Sequence[str]) -> dict[str, SourceFinding]:
        """A finding per key, from memory or Graph; an X.500 address is unknown here."""
        found: dict[str, SourceFinding] = {}
        now = self._clock()
        for key in dict.fromkeys(address_keys):
            remembered = self._memory.get(key)
            if remembered is not None:
                when, answer, failed = remembered
                if now - when <= (self._retry_after if failed else self._ttl):
                    found[key] = answer
                    continue
            mailbox = _mailbox(key)
            if mailbox is None:
                found[key] = SourceFinding(FindingKind.UNKNOWN, GRAPH)  # not asked: no say
                continue
            try:
                entry = self._graph().find(mailbox.address)
            except UserFacingError as error:
                log.info("graph lookup failed: %s", type(error).__name__)
                answer = SourceFinding(FindingKind.UNREACHABLE, GRAPH, failure=error.message)
                failed = True
            else:
                answer, failed = _finding(entry), False
                if entry.kind is EntryKind.EXTERNAL:
                    self._external.add(key)
            self._memory[key] = (now, answer, failed)
            found[key] = answer
        return found

    def test(self) -> None:
        """Make the client (raises a UserFacingError saying why it cannot be made)."""
        self._graph()

    def resolve_legacy_dns(self, legacy_dns: Sequence[str]) -> dict[str, Mailbox]:
        return {}  # X.500 addresses stay unresolved (and so not covered) here

    def send_warnings(self, draft: Draft) -> tuple[Notice, ...]:
        """MailTips (invalid recipients, external members, large lists) and the recipients
        Graph calls external; advisory, so a failure gives none."""
        mailboxes = tip_recipients(draft)
        known = self._tips.known(mailboxes, lambda addresses: self._graph().mail_tips(addresses))
        invalid = {tip.address.lower() for tip in known if tip.invalid}
        external = [
            Notice("external_recipient", external_recipient(mailbox.address), key)
            for key, mailbox in mailboxes.items()
            if key in self._external and mailbox.address.lower() not in invalid
        ]
        return (*send_warnings(known), *external)

    def consult(self, draft: Draft, store: CertStore) -> DraftConsulted:
        """What Graph says of ``draft``'s recipients (an ``AccountDirectoryAsk`` for the
        sealer): each list's members, and lookups that failed."""
        from desktop_app.services.certificates.consult import consult

        return DraftConsulted(draft, consult([(self, None)], recipient_keys(draft)))

    def close(self) -> None:
        if self._directory is not None:
            self._directory.close()
            self._directory = None
