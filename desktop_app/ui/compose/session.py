"""The state of one draft behind the compose window: recipients, verdict, toggles, sending.

Every verdict shown comes from ``decide`` (the one rule), fed with the evidence the
background helper has gathered so far; an address whose evidence has not arrived is a
pending lookup, which the rule never counts as covered.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from desktop_app.core.notices import Notice
from desktop_app.core.phi.message_scan import PhiReport
from desktop_app.core.phi.override import OverrideReason
from desktop_app.core.policy.model import Policy, RequireEncryption
from desktop_app.core.recipients.addresses import Mailbox
from desktop_app.core.recipients.legacy_dn import legacy_dn_key, legacy_dns
from desktop_app.core.recipients.lifecycle import expiry_notices
from desktop_app.core.recipients.replies import ComposeAction
from desktop_app.core.recipients.send_gate import (
    Choice,
    GateDecision,
    SendPlan,
    encrypt_after_change,
    gate,
    resolve,
)
from desktop_app.core.recipients.status import (
    Draft,
    Evidence,
    Field,
    Lookup,
    MessageStatus,
    Overall,
    decide,
)
from desktop_app.services.audit import AuditEntry, AuditLog
from desktop_app.services.certificates.facts import CertificateFacts
from desktop_app.services.certificates.pin_choices import CertificateChoiceKeeper
from desktop_app.services.drafts import DraftStore
from desktop_app.services.mailbox.outbox import Outbox, OutgoingMessage, Submitted
from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.compose.attachment_model import AttachmentListModel
from desktop_app.ui.compose.presentation import StatusLine, status_line
from desktop_app.ui.compose.recipient_model import RecipientListModel
from desktop_app.ui.errors import error_text
from desktop_app.ui.theme import Theme

_AUDITED = frozenset({Choice.REMOVE_AND_ENCRYPT, Choice.SEND_UNENCRYPTED})


class LookupService(Protocol):
    """What the compose window asks the background helper for (``CertificateLookup``)."""

    def collect(self, address_keys: Sequence[str]) -> Evidence: ...

    def facts(self, fingerprint: str) -> CertificateFacts: ...

    def resolve_legacy_dns(self, legacy_dns: Sequence[str]) -> Mapping[str, Mailbox]:
        """SMTP mailboxes for X.500 addresses, by ``legacy_dn_key``; those it knows."""
        ...

    def stored_addresses(self) -> tuple[tuple[str, str], ...]:
        """(address, name) of the store's recipient certificates, for completion."""
        ...

    def stored_evidence(self, address_keys: Sequence[str]) -> Evidence:
        """Evidence from the store alone, never the directory."""
        ...


@dataclass(frozen=True)
class ComposeContext:
    """What every compose window shares; ``app.py`` builds it.

    ``lookup`` is called on the background thread only (it opens the store the first time).
    ``drafts`` is None when drafts cannot be sealed to the user's own certificate: then
    they are not saved at all. ``send_warnings`` (background thread) gives the mail
    server's warnings about a draft's recipients (Exchange MailTips) for the send gate.
    ``address_book`` (background thread) gives addresses to complete besides the store's:
    recent correspondents and the directory's.
    ``certificate_choices`` (background thread) keeps the user's pins and accepted keys;
    without it the certificate details offer no choice.
    """

    runner: BackgroundRunner
    lookup: Callable[[], LookupService]
    policy: Policy
    identities: tuple[Mailbox, ...]
    outbox: Outbox
    audit: AuditLog
    clock: Callable[[], datetime]
    theme: Theme
    drafts: DraftStore | None = None
    send_warnings: Callable[[Draft], tuple[Notice, ...]] | None = None
    address_book: Callable[[], tuple[str, ...]] | None = None
    certificate_choices: CertificateChoiceKeeper | None = None


@dataclass(frozen=True, slots=True)
class ComposeStart:
    """How a draft starts: the action and what the reply or forward prefilled.

    ``quote`` is the original's text as quoted in ``body``; ``original_encrypted`` says
    the original arrived encrypted.
    """

    action: ComposeAction = ComposeAction.NEW
    to: tuple[Mailbox, ...] = ()
    cc: tuple[Mailbox, ...] = ()
    subject: str = ""
    body: str = ""
    quote: str | None = None
    original_encrypted: bool = False
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()


class ComposeSession(QObject):
    """One draft's recipients, verdict and toggles.

    Signals:
        changed(): the verdict, a pending lookup or a toggle changed.
    """

    changed = Signal()

    def __init__(
        self, context: ComposeContext, start: ComposeStart, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.start = start
        icon = context.theme.icon
        self.models = {field: RecipientListModel(field, icon, self) for field in Field}
        self.attachments = AttachmentListModel(icon, self)
        # Not ``sender``: that name is QObject's.
        self.from_mailbox: Mailbox | None = context.identities[0] if context.identities else None
        self._known: dict[str, Lookup] = {}
        self._send_warnings: tuple[Notice, ...] = ()
        self._last_used: dict[str, str] = {}
        self._pinned: dict[str, str] = {}  # the user's pins, as the last lookup read them
        self._pending: frozenset[str] = frozenset()
        self._x500_asked: set[str] = set()  # legacyDN keys asked of the directory
        self._x500_waiting: set[str] = set()  # ... whose answer has not come yet
        self._channel = f"compose-{id(self)}"
        self._revision = 0
        self._encrypt = (
            start.original_encrypted
            or context.policy.require_encryption is RequireEncryption.ALWAYS
        )
        self._encrypt_chosen = False
        self._settled_overall: Overall | None = None  # the last verdict with nothing pending
        self._sign = context.policy.always_sign or self.from_mailbox is not None
        self.evidence = Evidence()  # what the rule last decided on (for the details dialog)
        self.status: MessageStatus = decide(Draft(), self.evidence)
        self._loading = True
        self.models[Field.TO].add_mailboxes(start.to)
        self.models[Field.CC].add_mailboxes(start.cc)
        for model in self.models.values():
            model.rowsInserted.connect(self.refresh)
            model.rowsRemoved.connect(self.refresh)
        self._loading = False
        self.refresh()

    # -- the verdict ---------------------------------------------------------------------

    def draft(self) -> Draft:
        return Draft(
            to=self.models[Field.TO].mailboxes(),
            cc=self.models[Field.CC].mailboxes(),
            bcc=self.models[Field.BCC].mailboxes(),
            sender=self.from_mailbox,
        )

    def _keys(self, draft: Draft) -> list[str]:
        sender = (draft.sender,) if draft.sender is not None else ()
        mailboxes = (*draft.to, *draft.cc, *draft.bcc, *sender)
        return list(dict.fromkeys(mailbox.key for mailbox in mailboxes))

    def _recipient_keys(self) -> list[str]:
        return [recipient.mailbox.key for recipient in self.status.recipients]

    def refresh(self) -> None:
        """Apply the rule to the current recipients now, and ask for fresh evidence."""
        if self._loading:
            return
        self._revision += 1
        self._resolve_legacy_dns()
        keys = self._recompute()
        if not keys:
            return
        revision = self._revision
        lookup = self.context.lookup
        self.context.runner.run(
            lambda: lookup().collect(keys),
            lambda evidence: self._on_evidence(revision, evidence),
            channel=self._channel,
            failure=lambda error: self._on_lookup_failed(revision, keys, error),
            owner=self,
        )
        warnings = self.context.send_warnings
        if warnings is not None:
            draft = self.draft()
            self.context.runner.run(
                lambda: warnings(draft),
                self._on_send_warnings,
                channel=self._channel + "-warnings",
                failure=lambda _error: None,  # advisory: the gate works without them
                owner=self,
            )

    def _resolve_legacy_dns(self) -> None:
        """Ask the directory for the SMTP address of X.500 recipients not asked yet.

        Until it answers they are pending (never covered); then each token shows the
        SMTP address and its certificates are looked up. One not resolved stays X.500,
        which the rule calls unresolved; removed and typed again, it is asked again.
        Not on a channel: a later ask must not make an earlier answer stale, or its
        tokens would wait for ever.
        """
        draft = self.draft()
        written = legacy_dns((*draft.to, *draft.cc, *draft.bcc))
        self._x500_asked &= {legacy_dn_key(dn) for dn in written} | self._x500_waiting
        wanted = [dn for dn in written if legacy_dn_key(dn) not in self._x500_asked]
        if not wanted:
            return
        asked = {legacy_dn_key(dn) for dn in wanted}
        self._x500_asked |= asked
        self._x500_waiting |= asked
        lookup = self.context.lookup
        self.context.runner.run(
            lambda: lookup().resolve_legacy_dns(wanted),
            lambda resolved: self._on_legacy_dns(asked, resolved),
            failure=lambda _error: self._on_legacy_dns(asked, {}),
            owner=self,
        )

    def _on_legacy_dns(self, asked: set[str], resolved: Mapping[str, Mailbox]) -> None:
        self._x500_waiting -= asked
        changed = [model.resolve_legacy_dns(resolved) for model in self.models.values()]
        if any(changed):
            self.refresh()  # new addresses: their certificates are looked up
        else:
            self._recompute()

    def _on_send_warnings(self, notices: tuple[Notice, ...]) -> None:
        self._send_warnings = notices

    def _recompute(self) -> list[str]:
        draft = self.draft()
        keys = self._keys(draft)
        waiting = {
            m.key
            for m in (*draft.to, *draft.cc, *draft.bcc)
            if m.legacy_dn is not None and legacy_dn_key(m.legacy_dn) in self._x500_waiting
        }
        self._pending = frozenset(key for key in keys if key not in self._known or key in waiting)
        # A list's members come with the list's own answer; the rule judges each of them.
        members = [m.key for key in keys for m in self._known.get(key, Lookup()).members or ()]
        evidence = Evidence(
            lookups={
                key: self._known.get(key, Lookup(pending=True))
                for key in dict.fromkeys([*keys, *members])
            },
            last_used_spki={key: self._last_used[key] for key in keys if key in self._last_used},
            revocation=self.context.policy.revocation,
            pinned=dict(self._pinned),  # list members' pins too
        )
        self.evidence = evidence
        self.status = decide(draft, evidence)
        settled = not self.checking
        self._encrypt = encrypt_after_change(
            self._encrypt,
            self._settled_overall,
            self.status,
            settled=settled,
            required=self.encryption_required,
        )
        if settled:
            self._settled_overall = self.status.overall
        by_key = {recipient.mailbox.key: recipient for recipient in self.status.recipients}
        warnings: dict[str, tuple[Notice, ...]] = {}
        for notice in (*self.status.notices, *expiry_notices(self.status, self.context.clock())):
            if notice.address is not None:
                warnings[notice.address] = (*warnings.get(notice.address, ()), notice)
        for model in self.models.values():
            model.set_verdicts(by_key, self._pending, warnings)
        self.changed.emit()
        return keys

    def _on_evidence(self, revision: int, evidence: Evidence) -> None:
        if revision != self._revision:
            return  # computed for recipients the draft no longer has
        self._known.update(evidence.lookups)
        self._last_used.update(evidence.last_used_spki)
        for key in evidence.lookups:
            self._pinned.pop(key, None)  # the lookup read the pins of these afresh
        self._pinned.update(evidence.pinned)
        self._recompute()

    def look_up_again(self, address_key: str) -> None:
        """Forget what is known of ``address_key`` and look it up again through the usual
        path (after the user pinned a certificate or accepted a new key): until the answer
        comes its token is checking, and then the one rule decides as for any lookup."""
        self._known.pop(address_key, None)
        self._last_used.pop(address_key, None)
        self.refresh()

    def _on_lookup_failed(self, revision: int, keys: list[str], error: BaseException) -> None:
        if revision != self._revision:
            return
        failure = error_text(error)  # plain words, never a class name
        for key in keys:
            self._known.setdefault(key, Lookup(failure=failure))
        self._recompute()

    @property
    def checking(self) -> bool:
        """True while a recipient's evidence is still being looked up."""
        return any(key in self._pending for key in self._recipient_keys())

    @property
    def pending(self) -> frozenset[str]:
        return self._pending

    @property
    def encryption_required(self) -> bool:
        return self.context.policy.requires_encryption(self._recipient_keys())

    def line(self) -> StatusLine:
        return status_line(
            self.status,
            encrypt_on=self._encrypt,
            checking=self.checking,
            required=self.encryption_required,
            invalid=sum(len(model.invalid()) for model in self.models.values()),
        )

    # -- toggles ---------------------------------------------------------------------------

    @property
    def encrypt_on(self) -> bool:
        return self._encrypt

    @property
    def encrypt_chosen(self) -> bool:
        """True once the user set the Encrypt toggle themselves."""
        return self._encrypt_chosen

    @property
    def sign_on(self) -> bool:
        return self._sign

    @property
    def sign_locked(self) -> bool:
        return self.context.policy.always_sign

    def set_encrypt(self, on: bool) -> None:
        """The user's choice; refused (stays on) while the policy requires encryption."""
        self._encrypt_chosen = True
        self._encrypt = on or self.encryption_required
        self.changed.emit()

    def set_sign(self, on: bool) -> None:
        self._sign = on or self.sign_locked
        self.changed.emit()

    # -- sending ---------------------------------------------------------------------------

    def quoting_encrypted_original(self, body: str) -> bool:
        quote = self.start.quote
        return self.start.original_encrypted and quote is not None and quote in body

    @property
    def send_warnings(self) -> tuple[Notice, ...]:
        """The mail server's warnings about the current recipients (MailTips)."""
        keys = set(self._recipient_keys())
        return tuple(notice for notice in self._send_warnings if notice.address in keys)

    def decision(self, body: str, phi: PhiReport | None = None) -> GateDecision:
        """The gate's decision; ``phi``: what the PHI guard found in the message."""
        decided = gate(
            self.status,
            encrypt_on=self._encrypt,
            action=self.start.action,
            policy=self.context.policy,
            quoting_encrypted_original=self.quoting_encrypted_original(body),
            phi=phi or PhiReport(),
        )
        return replace(decided, warnings=self.send_warnings)

    def plan(
        self,
        decision: GateDecision,
        choice: Choice | None,
        phi_reason: OverrideReason | None = None,
    ) -> SendPlan | None:
        return resolve(self.draft(), self.status, decision, choice, phi_reason=phi_reason)

    def without_quote(self, body: str) -> str:
        quote = self.start.quote
        return body.replace(quote, "").rstrip() + "\n" if quote else body

    def deliver(
        self,
        plan: SendPlan,
        subject: str,
        body: str,
        done: Callable[[Submitted], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        """Audit an override, then hand the message to the outbox, off the GUI thread.

        The audit entry is written first: if it cannot be, nothing is sent.
        """
        message = OutgoingMessage(
            subject=subject,
            body=body,
            attachments=self.attachments.paths(),
            sign=self._sign,
            in_reply_to=self.start.in_reply_to,
            references=self.start.references,
        )
        audit, outbox, clock = self.context.audit, self.context.outbox, self.context.clock

        def send() -> Submitted:
            if plan.choice in _AUDITED:
                draft = plan.draft
                recipients = (*draft.to, *draft.cc, *draft.bcc)
                audit.record(
                    AuditEntry(
                        time=clock(),
                        sender=draft.sender.address if draft.sender is not None else None,
                        recipients=tuple(mailbox.address for mailbox in recipients),
                        choice=plan.choice.value if plan.choice is not None else "",
                        encrypted=plan.encrypted,
                        removed=tuple(mailbox.address for mailbox in plan.removed),
                        reason=plan.phi_reason.value if plan.phi_reason else None,
                        phi=plan.phi,
                    )
                )
            return outbox.submit(message, plan)

        self.context.runner.run(send, done, failure=failed, owner=self)
