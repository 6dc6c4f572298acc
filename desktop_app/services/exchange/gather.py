"""Asking the directory about many addresses at once: resolve, expand lists, resolve members.

Requests run in parallel on a bounded pool (one name per ResolveNames request, one list
per ExpandDL). Nested lists are followed level by level; a list met again (a cycle, or
a list reached two ways) is expanded once and counted once; expansion stops at the
member cap, and a list cut short is never reported as complete.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass

from desktop_app.core.errors import UserFacingError
from desktop_app.core.recipients.addresses import Mailbox, MailboxKind, parse_mailbox
from desktop_app.services.exchange.model import DirectorySource, EntryType, Resolution
from desktop_app.services.mail_server_errors import MailServerError

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Answer:
    """What the directory said about one address.

    ``mailbox`` is the address as asked (None if it could not be read);
    ``resolution`` the entry it resolved to, None when the directory does not know it.
    """

    query: str
    mailbox: Mailbox | None
    resolution: Resolution | None = None
    failure: str | None = None
    ambiguous: bool = False


@dataclass(frozen=True, slots=True)
class Expansion:
    """A list's members, flattened; ``complete`` is False when cut at the cap."""

    members: tuple[Answer, ...]
    complete: bool
    failure: str | None = None


@dataclass(frozen=True, slots=True)
class Gathered:
    answers: tuple[Answer, ...]
    lists: dict[str, Expansion]  # by the list's address, lower case


def mailbox_of(address: str, name: str = "") -> Mailbox | None:
    """The Mailbox for an address the directory gave, or None if it is not a valid one."""
    try:
        mailbox = parse_mailbox(address)
    except UserFacingError:
        return None
    if mailbox.kind is MailboxKind.EXCHANGE_LEGACY_DN:
        return None
    return Mailbox(mailbox.address, mailbox.key, name)


def _choose(mailbox: Mailbox, found: tuple[Resolution, ...]) -> tuple[Resolution | None, bool]:
    if mailbox.kind is not MailboxKind.EXCHANGE_LEGACY_DN:
        exact = [entry for entry in found if entry.address.lower() == mailbox.address.lower()]
        if exact:
            return exact[0], False
    if len(found) == 1:
        return found[0], False  # a legacyDN, or a secondary address of one mailbox
    return None, len(found) > 1


def resolve_one(source: DirectorySource, mailbox: Mailbox) -> Answer:
    name = mailbox.legacy_dn if mailbox.legacy_dn is not None else mailbox.address
    try:
        found = source.resolve(name)
    except MailServerError as error:
        return Answer(mailbox.address, mailbox, failure=error.message)
    resolution, ambiguous = _choose(mailbox, found)
    return Answer(mailbox.address, mailbox, resolution, ambiguous=ambiguous)


def _expand(source: DirectorySource, address: str) -> tuple[Resolution, ...] | str:
    try:
        return source.expand(address)
    except MailServerError as error:
        return error.message


def _expand_all(
    pool: Executor, source: DirectorySource, addresses: Sequence[str], cap: int
) -> dict[str, tuple[Resolution, ...] | str]:
    """Every list reachable from ``addresses``, expanded once each (at most ``cap`` lists)."""
    expanded: dict[str, tuple[Resolution, ...] | str] = {}
    pending = {address.lower(): address for address in addresses}
    while pending and len(expanded) < cap:
        batch = list(pending.items())[: cap - len(expanded)]
        outcomes = list(pool.map(lambda item: _expand(source, item[1]), batch))
        pending = {}
        for (key, _), outcome in zip(batch, outcomes, strict=True):
            expanded[key] = outcome
            if isinstance(outcome, str):
                continue
            for member in outcome:
                nested = member.address.lower()
                if member.entry_type is EntryType.LIST and nested not in expanded:
                    pending.setdefault(nested, member.address)
    return expanded


def _flatten(
    root: str, expanded: dict[str, tuple[Resolution, ...] | str], cap: int
) -> tuple[list[Resolution], bool, str | None]:
    """Leaf members of ``root`` in list order, whether complete, and any expansion failure."""
    leaves: dict[str, Resolution] = {}
    visited: set[str] = set()
    stack: list[Iterator[Resolution]] = []
    pending: str | None = root
    while pending is not None or stack:
        if pending is not None:
            visited.add(pending)
            outcome = expanded.get(pending)
            if outcome is None:
                return list(leaves.values()), False, None  # not expanded: the cap was reached
            if isinstance(outcome, str):
                return list(leaves.values()), False, outcome
            stack.append(iter(outcome))
            pending = None
        member = next(stack[-1], None)
        if member is None:
            stack.pop()
        elif member.entry_type is EntryType.LIST:
            if member.address.lower() in visited:
                log.info("a distribution list was reached again; counted once")
            else:
                pending = member.address.lower()
        else:
            leaves.setdefault(member.address.lower() or member.name, member)
            if len(leaves) > cap:
                return list(leaves.values())[:cap], False, None
    return list(leaves.values()), True, None


def _member_answer(
    member: Resolution, known: dict[str, Answer], resolved: dict[str, Answer]
) -> Answer:
    key = member.address.lower()
    found = known.get(key) or resolved.get(key)
    if found is not None:
        return dataclasses.replace(found, query=member.address)  # asked as a member
    return Answer(member.address or member.name, mailbox_of(member.address, member.name))


def gather(
    source: DirectorySource, mailboxes: Sequence[Mailbox], workers: int, cap: int
) -> Gathered:
    """Resolve ``mailboxes``, expand the lists among them and resolve their members."""
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="directory") as pool:
        answers = tuple(pool.map(lambda mailbox: resolve_one(source, mailbox), mailboxes))
        lists = [
            answer.resolution.address
            for answer in answers
            if answer.resolution is not None and answer.resolution.entry_type is EntryType.LIST
        ]
        expanded = _expand_all(pool, source, lists, cap)
        flattened = {address.lower(): _flatten(address.lower(), expanded, cap) for address in lists}
        known = {
            answer.resolution.address.lower(): answer
            for answer in answers
            if answer.resolution is not None and answer.resolution.entry_type is EntryType.MAILBOX
        }
        wanted: dict[str, Mailbox] = {}
        for leaves, _, _ in flattened.values():
            for member in leaves:
                key = member.address.lower()
                mailbox = mailbox_of(member.address, member.name)
                # One-off members are outside the directory: nothing to look up.
                if (
                    member.entry_type is EntryType.MAILBOX
                    and mailbox is not None
                    and key not in known
                ):
                    wanted.setdefault(key, mailbox)
        found = pool.map(lambda mailbox: resolve_one(source, mailbox), wanted.values())
        resolved = dict(zip(wanted, found, strict=True))
    expansions = {
        key: Expansion(
            tuple(_member_answer(member, known, resolved) for member in leaves), complete, failure
        )
        for key, (leaves, complete, failure) in flattened.items()
    }
    return Gathered(answers, expansions)
