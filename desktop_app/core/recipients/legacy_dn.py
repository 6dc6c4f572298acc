"""Exchange-internal (IMCEAEX / X.500 legacyDN) mailboxes, replaced by their SMTP mailboxes.

Mail fetched from Exchange can name people by legacyDN only. The directory resolves a
legacyDN to a primary SMTP address; these functions put that address in place, so that
certificate matching, duplicate removal and leaving the user out of a Reply All all
work on the real address. What the directory did not resolve stays as it was, and the
one rule keeps calling it unresolved.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from desktop_app.core.recipients.addresses import Mailbox, MailboxKind
from desktop_app.core.recipients.status import Draft

if TYPE_CHECKING:
    # replies reads legacyDNs written in headers with the functions here.
    from desktop_app.core.recipients.replies import OriginalMessage

Resolved = Mapping[str, Mailbox]
LEGACY_DN_KEY_PREFIX = "x500:"  # a mailbox key that no internet address can have

# "/o=Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=jsmith":
# relative names of attribute=value, values of printable ASCII without "/" or "@".
_BARE_LEGACY_DN = re.compile(r"/o=[ -.0-?A-~]+(?:/[A-Za-z]+=[ -.0-?A-~]+)+", re.IGNORECASE)


def legacy_dn_key(legacy_dn: str) -> str:
    """Comparison key of a legacyDN: X.500 names compare without regard to case."""
    return legacy_dn.lower()


def legacy_dn_mailbox(legacy_dn: str, display_name: str = "") -> Mailbox:
    """A mailbox known only by its legacyDN, as the one rule sees it: unresolved."""
    return Mailbox(
        legacy_dn,
        LEGACY_DN_KEY_PREFIX + legacy_dn_key(legacy_dn),
        display_name,
        MailboxKind.EXCHANGE_LEGACY_DN,
        legacy_dn,
    )


def legacy_dn_short_name(legacy_dn: str) -> str:
    """The last ``cn=`` value of a legacyDN (the mailbox's own name), or the whole DN."""
    names = [part[3:] for part in legacy_dn.split("/") if part[:3].lower() == "cn=" and part[3:]]
    return names[-1] if names else legacy_dn


def bare_legacy_dn(written: str) -> Mailbox | None:
    """The mailbox for a legacyDN typed or pasted as it is (``/o=Org/.../cn=jsmith``).

    Exchange users copy these from Outlook's properties and old mail; the directory
    resolves them like the IMCEAEX form. None if ``written`` is not one.
    """
    value = written.strip()
    if not _BARE_LEGACY_DN.fullmatch(value):
        return None
    return legacy_dn_mailbox(value)


def legacy_dns(mailboxes: Iterable[Mailbox]) -> tuple[str, ...]:
    """The legacyDNs of ``mailboxes``, once each, in order of appearance."""
    found: dict[str, str] = {}
    for mailbox in mailboxes:
        if mailbox.kind is MailboxKind.EXCHANGE_LEGACY_DN and mailbox.legacy_dn is not None:
            found.setdefault(legacy_dn_key(mailbox.legacy_dn), mailbox.legacy_dn)
    return tuple(found.values())


def resolve_mailbox(
    mailbox: Mailbox, resolved: Resolved, *, directory_name: bool = True
) -> Mailbox:
    """``mailbox`` with its SMTP address if it is a legacyDN ``resolved`` maps (by key).

    The name written with it stays; without one, the directory's name is taken when
    ``directory_name`` (a reply's prefill), else none, so that a recipient typed as an
    X.500 address shows the SMTP address it stands for.
    """
    if mailbox.kind is not MailboxKind.EXCHANGE_LEGACY_DN or mailbox.legacy_dn is None:
        return mailbox
    smtp = resolved.get(legacy_dn_key(mailbox.legacy_dn))
    if smtp is None:
        return mailbox
    name = mailbox.display_name or (smtp.display_name if directory_name else "")
    return Mailbox(smtp.address, smtp.key, name)


def _resolved(mailboxes: tuple[Mailbox, ...], resolved: Resolved) -> tuple[Mailbox, ...]:
    return tuple(resolve_mailbox(mailbox, resolved) for mailbox in mailboxes)


def resolve_original(original: OriginalMessage, resolved: Resolved) -> OriginalMessage:
    """``original`` with every resolved legacyDN sender and recipient replaced."""
    return dataclasses.replace(
        original,
        sender=_resolved(original.sender, resolved),
        reply_to=_resolved(original.reply_to, resolved),
        to=_resolved(original.to, resolved),
        cc=_resolved(original.cc, resolved),
    )


def resolve_draft(draft: Draft, resolved: Resolved) -> Draft:
    """``draft`` with every resolved legacyDN replaced (the one rule dedupes by key)."""
    return Draft(
        to=_resolved(draft.to, resolved),
        cc=_resolved(draft.cc, resolved),
        bcc=_resolved(draft.bcc, resolved),
        sender=None if draft.sender is None else resolve_mailbox(draft.sender, resolved),
    )
