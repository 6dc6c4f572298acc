"""The one rule: which recipients can read an encrypted message, and is the message Encrypted.

Every compose path (new, reply, reply all, forward, later edits), the CLI and the send
gate call :func:`decide`. Nothing else may set "encrypted": a draft is Encrypted only when
it has recipients and every To, Cc and Bcc recipient holds a usable certificate.
A recipient whose status is not known yet (lookup pending, address unresolved) is not
covered.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from desktop_app.core.messages import text
from desktop_app.core.notices import Notice
from desktop_app.core.pki.revocation import RevocationAnswer, RevocationState
from desktop_app.core.pki.usability import CertVerdict
from desktop_app.core.policy.model import RevocationPolicy
from desktop_app.core.recipients.addresses import Mailbox, MailboxKind, domain_notices
from desktop_app.core.recipients.verdict_notices import key_change_notices, revocation_notices


class Field(StrEnum):
    """The header a recipient was written in; order is the order of precedence."""

    TO = "to"
    CC = "cc"
    BCC = "bcc"


class StatusCode(StrEnum):
    """Per-recipient status; only ``OK`` means the recipient can read an encrypted message."""

    OK = "ok"
    NO_CERTIFICATE = "no_certificate"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    REVOKED = "revoked"
    UNTRUSTED = "untrusted"
    WRONG_USAGE = "wrong_usage"
    WEAK_KEY = "weak_key"
    UNRESOLVED = "unresolved"
    REVOCATION_UNKNOWN = "revocation_unknown"  # only when the policy requires revocation


class Overall(StrEnum):
    """The message's verdict."""

    ENCRYPTED = "encrypted"
    NOT_ENCRYPTED = "not_encrypted"


@dataclass(frozen=True, slots=True)
class Draft:
    """The recipients of a message as written, before deduplication."""

    to: tuple[Mailbox, ...] = ()
    cc: tuple[Mailbox, ...] = ()
    bcc: tuple[Mailbox, ...] = ()
    sender: Mailbox | None = None

    @property
    def recipients(self) -> tuple[Mailbox, ...]:
        """To, Cc and Bcc in that order, as written."""
        return (*self.to, *self.cc, *self.bcc)


@dataclass(frozen=True, slots=True)
class CertificateEvidence:
    """One stored certificate for an address, judged for that address at one time.

    ``revocation``: what CRLs or OCSP say about it; None when nobody asked (which the
    rule treats as unknown).
    """

    fingerprint: str
    spki: str
    not_after: datetime
    source: str
    verdict: CertVerdict
    revocation: RevocationAnswer | None = None

    @property
    def revoked(self) -> bool:
        return self.revocation is not None and self.revocation.state is RevocationState.REVOKED

    @property
    def revocation_known(self) -> bool:
        return self.revocation is not None and self.revocation.known

    @property
    def revocation_reason(self) -> str:
        if self.revocation is None:
            return text("revocation.not_checked")
        return self.revocation.reason


@dataclass(frozen=True, slots=True)
class Lookup:
    """What is known about one address's certificates.

    ``pending``: a directory lookup is still running. ``failure``: why a lookup failed.
    ``members``: the address is a distribution list with these members (flattened through
    nested lists); the server delivers to each, so each must be able to read the message.
    """

    candidates: tuple[CertificateEvidence, ...] = ()
    pending: bool = False
    failure: str | None = None
    members: tuple[Mailbox, ...] | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """Everything :func:`decide` needs beyond the draft, keyed by normalised address.

    ``revocation``: the policy's word on a certificate whose revocation is unknown.
    """

    lookups: Mapping[str, Lookup] = field(default_factory=dict)
    last_used_spki: Mapping[str, str] = field(default_factory=dict)
    revocation: RevocationPolicy = RevocationPolicy.PREFER
    # The certificate the user chose for an address (fingerprint), used while it is usable.
    pinned: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RecipientStatus:
    """One recipient's status with the human reason and the certificate chosen, if any.

    ``pending``: the recipient's lookup is still running (the evidence said so), so this
    status may still change.
    """

    field: Field
    mailbox: Mailbox
    code: StatusCode
    reason: str
    certificate: CertificateEvidence | None = None
    members: tuple["RecipientStatus", ...] = ()  # a distribution list's members
    pending: bool = False

    @property
    def covered(self) -> bool:
        return self.code is StatusCode.OK


@dataclass(frozen=True, slots=True)
class MessageStatus:
    """The verdict for a whole draft: overall status, per-recipient statuses and warnings."""

    overall: Overall
    recipients: tuple[RecipientStatus, ...]
    notices: tuple[Notice, ...]
    summary: str

    @property
    def uncovered(self) -> tuple[RecipientStatus, ...]:
        return tuple(status for status in self.recipients if not status.covered)

    @property
    def checking(self) -> bool:
        """True while a recipient's lookup is still running: the verdict may still change."""
        return any(status.pending for status in self.recipients)


def choose_certificate(
    candidates: Sequence[CertificateEvidence], pinned: str | None = None
) -> CertificateEvidence | None:
    """Deterministic pick: the pinned one while it is usable and not revoked; else usable
    (and not revoked) first, then the latest notAfter, then the fingerprint."""
    if not candidates:
        return None
    for candidate in candidates:
        if candidate.fingerprint == pinned and candidate.verdict.usable and not candidate.revoked:
            return candidate
    return min(
        candidates,
        key=lambda c: (
            not c.verdict.usable or c.revoked,
            -c.not_after.timestamp(),
            c.fingerprint,
        ),
    )


def _list_status(
    recipient_field: Field, mailbox: Mailbox, members: tuple[Mailbox, ...], evidence: Evidence
) -> RecipientStatus:
    statuses = tuple(
        _status_for(
            recipient_field,
            member,
            evidence.lookups.get(member.key, Lookup()),
            evidence.revocation,
            evidence.pinned.get(member.key),
        )
        for member in members
    )
    uncovered = [status for status in statuses if not status.covered]
    if not statuses:
        reason = text("status.list_empty", address=mailbox.address)
        return RecipientStatus(recipient_field, mailbox, StatusCode.UNRESOLVED, reason)
    if not uncovered:
        reason = text("status.list_ok", address=mailbox.address, count=len(statuses))
        return RecipientStatus(recipient_field, mailbox, StatusCode.OK, reason, members=statuses)
    names = "; ".join(f"{status.mailbox.address} ({status.code.value})" for status in uncovered)
    reason = text(
        "status.list_uncovered",
        address=mailbox.address,
        uncovered=len(uncovered),
        count=len(statuses),
        names=names,
    )
    # The list takes the code of its first uncovered member: what must change first.
    return RecipientStatus(recipient_field, mailbox, uncovered[0].code, reason, members=statuses)


def _recipient_status(
    recipient_field: Field, mailbox: Mailbox, evidence: Evidence
) -> RecipientStatus:
    lookup = evidence.lookups.get(mailbox.key, Lookup())
    status = _judged_recipient(recipient_field, mailbox, lookup, evidence)
    return replace(status, pending=True) if lookup.pending else status


def _judged_recipient(
    recipient_field: Field, mailbox: Mailbox, lookup: Lookup, evidence: Evidence
) -> RecipientStatus:
    if lookup.members is not None and lookup.failure is not None:
        reason = text("status.lookup_failed", address=mailbox.address, failure=lookup.failure)
        return RecipientStatus(recipient_field, mailbox, StatusCode.UNRESOLVED, reason)
    if lookup.members is not None and not lookup.pending:
        return _list_status(recipient_field, mailbox, lookup.members, evidence)
    return _status_for(
        recipient_field, mailbox, lookup, evidence.revocation, evidence.pinned.get(mailbox.key)
    )


def _status_for(
    recipient_field: Field,
    mailbox: Mailbox,
    lookup: Lookup,
    revocation: RevocationPolicy,
    pinned: str | None = None,
) -> RecipientStatus:
    if mailbox.kind is MailboxKind.EXCHANGE_LEGACY_DN:
        reason = text("status.unresolved_legacy_dn", address=mailbox.address)
        return RecipientStatus(recipient_field, mailbox, StatusCode.UNRESOLVED, reason)
    chosen = choose_certificate(lookup.candidates, pinned)
    if chosen is not None and (chosen.verdict.usable or not lookup.pending):
        code = StatusCode(chosen.verdict.code.value)
        if code is StatusCode.OK:
            return _revocation_status(recipient_field, mailbox, chosen, revocation)
        return RecipientStatus(recipient_field, mailbox, code, chosen.verdict.reason, chosen)
    if lookup.pending:
        reason = text("status.pending", address=mailbox.address)
        return RecipientStatus(recipient_field, mailbox, StatusCode.UNRESOLVED, reason)
    if lookup.failure is not None:
        reason = text("status.lookup_failed", address=mailbox.address, failure=lookup.failure)
        return RecipientStatus(recipient_field, mailbox, StatusCode.UNRESOLVED, reason)
    reason = text("status.no_certificate", address=mailbox.address)
    return RecipientStatus(recipient_field, mailbox, StatusCode.NO_CERTIFICATE, reason)


def _revocation_status(
    recipient_field: Field,
    mailbox: Mailbox,
    chosen: CertificateEvidence,
    revocation: RevocationPolicy,
) -> RecipientStatus:
    """A usable certificate's status once its revocation is weighed (revoked is final)."""
    answer = chosen.revocation
    if answer is not None and answer.state is RevocationState.REVOKED:
        date = f"{answer.revoked_on:%Y-%m-%d}" if answer.revoked_on else "?"
        reason = (
            text(
                "status.authority_revoked_online",
                name=answer.authority,
                date=date,
                source=answer.reason,
            )
            if answer.authority
            else text("status.revoked_online", date=date, source=answer.reason)
        )
        return RecipientStatus(recipient_field, mailbox, StatusCode.REVOKED, reason, chosen)
    if revocation is RevocationPolicy.REQUIRE and not chosen.revocation_known:
        reason = text(
            "status.revocation_unknown",
            address=mailbox.address,
            reason=chosen.revocation_reason,
        )
        code = StatusCode.REVOCATION_UNKNOWN
        return RecipientStatus(recipient_field, mailbox, code, reason, chosen)
    return RecipientStatus(recipient_field, mailbox, StatusCode.OK, text("status.ok"), chosen)


def unique_recipients(draft: Draft) -> tuple[tuple[tuple[Field, Mailbox], ...], tuple[Notice, ...]]:
    """Recipients with duplicates across To/Cc/Bcc collapsed (first field wins)."""
    seen: dict[str, Field] = {}
    unique: list[tuple[Field, Mailbox]] = []
    notices: list[Notice] = []
    for recipient_field, mailboxes in (
        (Field.TO, draft.to),
        (Field.CC, draft.cc),
        (Field.BCC, draft.bcc),
    ):
        for mailbox in mailboxes:
            first = seen.get(mailbox.key)
            if first is None:
                seen[mailbox.key] = recipient_field
                unique.append((recipient_field, mailbox))
                continue
            if first is recipient_field:  # "kept in To, removed from To" says nothing
                message = text(
                    "notice.duplicate_in_field",
                    address=mailbox.address,
                    field=recipient_field.value.title(),
                )
            else:
                message = text(
                    "notice.duplicate_recipient",
                    address=mailbox.address,
                    kept=first.value.title(),
                    dropped=recipient_field.value.title(),
                )
            notices.append(Notice("duplicate_recipient", message, mailbox.key))
    return tuple(unique), tuple(notices)


def _sender_notices(draft: Draft, evidence: Evidence) -> tuple[Notice, ...]:
    if draft.sender is None:
        return ()
    chosen = choose_certificate(evidence.lookups.get(draft.sender.key, Lookup()).candidates)
    if chosen is not None and chosen.verdict.usable:
        return ()
    return (
        Notice(
            "sender_certificate_missing",
            text("notice.sender_certificate_missing", address=draft.sender.address),
            draft.sender.key,
        ),
    )


def _summary(statuses: Sequence[RecipientStatus]) -> str:
    if not statuses:
        return text("summary.no_recipients")
    uncovered = [status for status in statuses if not status.covered]
    if not uncovered:
        return text("summary.all_covered", count=len(statuses))
    if len(uncovered) == 1 and len(statuses) == 1:
        return uncovered[0].reason
    return text("summary.some_uncovered", uncovered=len(uncovered), count=len(statuses))


def decide(draft: Draft, evidence: Evidence) -> MessageStatus:
    """The single decision of each recipient's status and of the message's overall status."""
    unique, duplicate_notices = unique_recipients(draft)
    statuses = tuple(
        _recipient_status(recipient_field, mailbox, evidence) for recipient_field, mailbox in unique
    )
    covered = bool(statuses) and all(status.covered for status in statuses)
    notices: list[Notice] = list(duplicate_notices)
    if not statuses:
        notices.append(Notice("no_recipients", text("notice.no_recipients")))
    for _, mailbox in unique:
        notices.extend(domain_notices(mailbox))
    notices.extend(key_change_notices(statuses, evidence))
    notices.extend(revocation_notices(statuses, evidence.revocation))
    notices.extend(_sender_notices(draft, evidence))
    return MessageStatus(
        overall=Overall.ENCRYPTED if covered else Overall.NOT_ENCRYPTED,
        recipients=statuses,
        notices=tuple(notices),
        summary=_summary(statuses),
    )
