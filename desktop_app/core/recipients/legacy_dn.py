"""Exchange-internal (IMCEAEX / X.500 legacyDN) mailboxes, replaced by their SMTP mailboxes.

Mail fetched from Exchange can name people by legacyDN only. The directory resolves a
legacyDN to a primary SMTP address; these functions put that address in place, so that
certificate matching, duplicate removal and leaving the user out of a Reply All all
work on the real address. What the directory did not resolve stays as it was, and the
one rule keeps calling it unresolved.
"""

import dataclasses
from collections.abc import Iterable, Mapping

from desktop_app.core.recipients.addresses import Mailbox, MailboxKind
from desktop_app.core.recipients.replies import OriginalMessage
from desktop_app.core.recipients.status import Draft

Resolved = Mapping[str, Mailbox]


def legacy_dn_key(legacy_dn: str) -> str:
    """Comparison key of a legacyDN: X.500 names compare without regard to case."""
    return legacy_dn.lower()


def legacy_dns(mailboxes: Iterable[Mailbox]) -> tuple[str, ...]:
    """The legacyDNs of ``mailboxes``, once each, in order of appearance."""
    found: dict[str, str] = {}
    for mailbox in mailboxes:
        if mailbox.kind is MailboxKind.EXCHANGE_LEGACY_DN and mailbox.legacy_dn is not None:
            found.setdefault(legacy_dn_key(mailbox.legacy_dn), mailbox.legacy_dn)
    return tuple(found.values())


def resolve_mailbox(mailbox: Mailbox, resolved: Resolved) -> Mailbox:
    """``mailbox`` with its SMTP address if it is a legacyDN ``resolved`` maps (by key)."""
    if mailbox.kind is not MailboxKind.EXCHANGE_LEGACY_DN or mailbox.legacy_dn is None:
        return mailbox
    smtp = resolved.get(legacy_dn_key(mailbox.legacy_dn))
    if smtp is None:
        return mailbox
    return Mailbox(smtp.address, smtp.key, mailbox.display_name or smtp.display_name)


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
