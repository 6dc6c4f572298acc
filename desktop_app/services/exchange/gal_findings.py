"""What Exchange's address list (GAL) says of each address asked, in the port's words.

Evidence only: each address becomes a ``SourceFinding`` (a person with the certificate
values published on its entry, a list with its members flattened, an address the
directory does not know, one it cannot resolve, or why it could not be asked), beside the
mailbox the one rule judges it as. ``consult.evidence_for`` turns findings into evidence
and ``decide`` runs at the callers.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.core.messages import text
from desktop_app.core.pki.stored import Source
from desktop_app.core.recipients.addresses import Mailbox, MailboxKind
from desktop_app.services.certificates.source import FindingKind, PublishedValue, SourceFinding
from desktop_app.services.exchange.gather import Answer, Expansion, Gathered, mailbox_of
from desktop_app.services.exchange.model import EntryType

GAL = Source.DIRECTORY.value  # the label of what the account's directory published
EXCHANGE = "exchange"  # the directory's label as a certificate source

# The key of a stand-in for an entry that has no address to judge by: it cannot
# collide with a normalised address (those have no spaces).
_STAND_IN_PREFIX = "no address "
_STAND_IN_KEY = _STAND_IN_PREFIX + "{index} {query}"


@dataclass(frozen=True, slots=True)
class GalEntry:
    """The address list's answer for one address asked (or one member of a list).

    ``mailbox`` is what the one rule judges: the primary SMTP address when resolved, the
    X.500 address as asked (the rule calls it unresolved), else a stand-in carrying the
    reason. ``address`` is the primary SMTP address (None when unresolved); ``members``
    a list's members, flattened; ``failure`` why the server could not answer.
    """

    query: str
    mailbox: Mailbox
    finding: SourceFinding
    address: str | None = None
    members: tuple[GalEntry, ...] = ()
    failure: str | None = None


def _has_address(entry: GalEntry) -> bool:
    """Whether the rule can judge ``entry`` by an internet address (not a stand-in)."""
    mailbox = entry.mailbox
    return mailbox.kind is MailboxKind.SMTP and not mailbox.key.startswith(_STAND_IN_PREFIX)


def _values(answer: Answer) -> tuple[PublishedValue, ...]:
    if answer.resolution is None:
        return ()
    return tuple(
        PublishedValue(blob.attribute.value, blob.data) for blob in answer.resolution.certificates
    )


def _judged_mailbox(answer: Answer) -> Mailbox | None:
    """The mailbox the one rule judges: the primary SMTP address when resolved."""
    resolution = answer.resolution
    if resolution is not None and resolution.entry_type is EntryType.MAILBOX:
        return mailbox_of(resolution.address, resolution.name)
    if answer.mailbox is None or answer.mailbox.kind is MailboxKind.EXCHANGE_LEGACY_DN:
        return None
    return answer.mailbox


def gal_entries(gathered: Gathered, cap: int) -> tuple[GalEntry, ...]:
    """One entry per address asked, in order; ``cap``: the member cap lists were cut at."""
    return tuple(_entry(gathered, answer, 0, cap, top_level=True) for answer in gathered.answers)


def _entry(
    gathered: Gathered, answer: Answer, index: int, cap: int, *, top_level: bool
) -> GalEntry:
    """``index``: the answer's place among its siblings, for a stand-in's key."""
    query = answer.query
    asked = answer.mailbox or Mailbox(query, _STAND_IN_KEY.format(index=index, query=query))
    if answer.failure is not None:
        # As an internet address, so the rule gives the failure, not "X.500".
        failed = Mailbox(asked.address, asked.key, asked.display_name)
        finding = SourceFinding(FindingKind.UNREACHABLE, GAL, failure=answer.failure)
        return GalEntry(query, failed, finding, failure=answer.failure)
    resolution = answer.resolution
    if resolution is not None and resolution.entry_type is EntryType.LIST and top_level:
        expansion = gathered.lists[resolution.address.lower()]
        return _list(gathered, answer, asked, expansion, cap)
    mailbox = _judged_mailbox(answer)
    if mailbox is None:
        if asked.kind is MailboxKind.EXCHANGE_LEGACY_DN:
            why = None  # the rule itself says why an X.500 address is not covered
        else:
            shown = resolution.address if resolution is not None else query
            why = text("exchange_mail.not_an_address", address=shown)
        return GalEntry(query, asked, SourceFinding(FindingKind.UNRESOLVED, GAL, failure=why))
    if resolution is not None and resolution.entry_type is EntryType.MAILBOX:
        finding = SourceFinding(
            FindingKind.PERSON,
            GAL,
            _values(answer),
            primary=resolution.address,
            name=resolution.name,
        )
        return GalEntry(query, mailbox, finding, mailbox.address)
    if resolution is None and answer.ambiguous:
        why = text("exchange_mail.ambiguous", address=query)
        return GalEntry(query, asked, SourceFinding(FindingKind.UNRESOLVED, GAL, failure=why))
    # Unknown to the directory (or a one-off entry): only the local store can say.
    return GalEntry(query, mailbox, SourceFinding(FindingKind.UNKNOWN, GAL), mailbox.address)


def _list(
    gathered: Gathered, answer: Answer, asked: Mailbox, expansion: Expansion, cap: int
) -> GalEntry:
    """The list with its members: the rule covers it only when it covers every member."""
    assert answer.resolution is not None
    address = answer.resolution.address
    members = tuple(
        _entry(gathered, member, index, cap, top_level=False)
        for index, member in enumerate(expansion.members)
    )
    incomplete = None
    if expansion.failure is not None:
        incomplete = text("exchange_mail.list_failed", address=address, failure=expansion.failure)
    elif not expansion.complete:
        incomplete = text("exchange_mail.list_too_large", address=address, cap=cap)
    else:
        for member in members:
            if not _has_address(member):
                # A member with no address to judge by: the list stays uncovered.
                shown = member.address or member.query
                incomplete = text("exchange_mail.not_an_address", address=shown)
                break
    readable = [m for m in members if _has_address(m)]
    finding = SourceFinding(
        FindingKind.LIST,
        GAL,
        members=tuple(member.mailbox.address for member in readable),
        member_findings={member.mailbox.key: member.finding for member in readable},
        primary=address,
        incomplete=incomplete,
        name=answer.resolution.name,
    )
    listed = mailbox_of(address, answer.resolution.name) or asked
    return GalEntry(answer.query, listed, finding, address, members, failure=expansion.failure)
