"""The state of one draft behind the compose window: recipients, verdict, toggles, sending.

Every verdict shown comes from ``decide`` (the one rule), fed with the evidence the
background helper has gathered so far; an address whose evidence has not arrived is a
pending lookup, which the rule never counts as covered.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from desktop_app.core.notices import Notice
from desktop_app.core.phi.message_scan import PhiReport
from desktop_app.core.phi.override import OverrideReason
from desktop_app.core.policy.model import Policy, RequireEncryption
from desktop_app.core.recipients.addresses import Mailbox
from desktop_app.core.recipients.compose_gate import send_decision
from desktop_app.core.recipients.lifecycle import expiry_notices
from desktop_app.core.recipients.replies import ComposeAction
from desktop_app.core.recipients.send_gate import (
    Choice,
    GateDecision,
    SendPlan,
    encrypt_after_change,
    encryption_required,
    resolve,
)
from desktop_app.core.recipients.status import (
    Draft,
    Evidence,
    Field,
    MessageStatus,
    Overall,
    decide,
)
from desktop_app.core.recipients.status_wording import StatusWording, status_wording
from desktop_app.services.audit import AuditLog
from desktop_app.services.certificates.facts import CertificateFacts
from desktop_app.services.certificates.pin_choices import CertificateChoiceKeeper
from desktop_app.services.drafts import DraftStore
from desktop_app.services.outbox.audited import AuditedOutbox
from desktop_app.services.outbox.submission import MessageContent, Outbox, Submitted
from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.compose.attachment_model import AttachmentListModel
from desktop_app.ui.compose.gathered_evidence import GatheredEvidence
from desktop_app.ui.compose.recipient_model import RecipientListModel
from desktop_app.ui.compose.x500_resolution import LegacyDnResolution
from desktop_app.ui.errors import error_text
from desktop_app.ui.theme import Theme


class LookupService(Protocol):
    """What the compose window asks the background helper for (``EvidenceGatherer``)."""

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
    """What every compose window shares; ``desktop_app.app`` builds it.

    A message leaves through ``outbox`` only by way of an ``AuditedOutbox`` with ``audit``:
    an override is on record before it is queued.

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
        self._gathered = GatheredEvidence()
        self._send_warnings: tuple[Notice, ...] = ()
        self._x500 = LegacyDnResolution(context.runner, context.lookup, self._on_legacy_dns, self)
        self._channel = f"compose-{id(self)}"
        self._outbox = AuditedOutbox(context.outbox, context.audit, context.clock)
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
        mailboxes = (*draft.recipients, *sender)
        return list(dict.fromkeys(mailbox.key for mailbox in mailboxes))

    def _recipient_keys(self) -> list[str]:
        return [recipient.mailbox.key for recipient in self.status.recipients]

    def refresh(self) -> None:
        """Apply the rule to the current recipients now, and ask for fresh evidence."""
        if self._loading:
            return
        self._revision += 1
        self._x500.ask(self.draft())
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

    def _on_legacy_dns(self, resolved: Mapping[str, Mailbox]) -> None:
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
        waiting = self._x500.waiting(draft)
        evidence = self._gathered.evidence(keys, self.context.policy.revocation, waiting=waiting)
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
            model.set_verdicts(by_key, self.pending, warnings)
        self.changed.emit()
        return keys

    def _on_evidence(self, revision: int, evidence: Evidence) -> None:
        if revision != self._revision:
            return  # computed for recipients the draft no longer has
        self._gathered.add(evidence)
        self._recompute()

    def look_up_again(self, address_key: str) -> None:
        """Forget what is known of ``address_key`` and look it up again through the usual
        path (after the user pinned a certificate or accepted a new key): until the answer
        comes its token is checking, and then the one rule decides as for any lookup."""
        self._gathered.forget(address_key)
        self.refresh()

    def _on_lookup_failed(self, revision: int, keys: list[str], error: BaseException) -> None:
        if revision != self._revision:
            return
        self._gathered.add_failure(keys, error_text(error))  # plain words, never a class name
        self._recompute()

    @property
    def checking(self) -> bool:
        """True while a recipient's evidence is still being looked up (the verdict says so)."""
        return self.status.checking

    @property
    def pending(self) -> frozenset[str]:
        """The recipients (by key) whose lookup is still running."""
        return frozenset(r.mailbox.key for r in self.status.recipients if r.pending)

    @property
    def encryption_required(self) -> bool:
        return encryption_required(self.status, self.context.policy)

    def wording(self) -> StatusWording:
        """What the status line says (``core.recipients.status_wording``)."""
        return status_wording(
            self.status,
            encrypt_on=self._encrypt,
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

    @property
    def send_warnings(self) -> tuple[Notice, ...]:
        """The mail server's warnings about the current recipients (MailTips)."""
        keys = set(self._recipient_keys())
        return tuple(notice for notice in self._send_warnings if notice.address in keys)

    def decision(self, body: str, phi: PhiReport | None = None) -> GateDecision:
        """The gate's decision, assembled as training assembles it (``compose_gate``);
        ``phi``: what the PHI guard found in the message."""
        return send_decision(
            self.status,
            self.start,
            body,
            encrypt_on=self._encrypt,
            policy=self.context.policy,
            phi=phi or PhiReport(),
            warnings=self.send_warnings,
        )

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
        """Hand the message to the audited outbox, off the GUI thread: it records an
        override first, and sends nothing if it cannot (``failed`` is told why)."""
        message = MessageContent(
            subject=subject,
            body=body,
            attachments=self.attachments.paths(),
            sign=self._sign,
            in_reply_to=self.start.in_reply_to,
            references=self.start.references,
        )
        outbox = self._outbox
        self.context.runner.run(
            lambda: outbox.submit(message, plan), done, failure=failed, owner=self
        )
