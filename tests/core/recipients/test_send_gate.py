"""The send gate: never half-encrypted, exactly the allowed choices, envelopes per Bcc."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.messages import text
from desktop_app.core.pki.usability import CertCode, CertVerdict
from desktop_app.core.policy.model import Policy, RequireEncryption
from desktop_app.core.recipients.addresses import Mailbox, parse_mailbox
from desktop_app.core.recipients.replies import ComposeAction
from desktop_app.core.recipients.send_gate import (
    Choice,
    GateDecision,
    GateKind,
    StaleStatusError,
    envelopes,
    gate,
    remove_uncovered,
    resolve,
)
from desktop_app.core.recipients.status import (
    CertificateEvidence,
    Draft,
    Evidence,
    Lookup,
    Overall,
    decide,
)

AT = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)
ME = parse_mailbox("Alex Morgan <you@clinic.example>")
POOL = [
    f"{name}@{domain}"
    for name in ("ann", "bob", "cy", "dana", "eve")
    for domain in ("clinic.example", "partner.example")
]
CLINIC = Policy(frozenset({"clinic.example"}), RequireEncryption.EXTERNAL)


def evidence_for(**codes: CertCode | None) -> Evidence:
    """Evidence where each local part (``ann`` = ann@clinic.example) has one certificate."""
    lookups = {}
    for local, code in codes.items():
        key = f"{local}@clinic.example"
        candidates = (
            ()
            if code is None
            else (
                CertificateEvidence(
                    fingerprint=f"fp-{key}",
                    spki=f"spki-{key}",
                    not_after=AT + dt.timedelta(days=300),
                    source="imported",
                    verdict=CertVerdict(code, code.value, ()),
                ),
            )
        )
        lookups[key] = Lookup(candidates=candidates)
    return Evidence(lookups=lookups)


def mailboxes(*addresses: str) -> tuple[Mailbox, ...]:
    return tuple(parse_mailbox(address) for address in addresses)


def test_everyone_covered_sends_encrypted_without_a_dialog() -> None:
    draft = Draft(to=mailboxes("ann@clinic.example"), sender=ME)
    status = decide(draft, evidence_for(ann=CertCode.OK))
    decision = gate(
        status,
        encrypt_on=True,
        action=ComposeAction.NEW,
        policy=CLINIC,
        quoting_encrypted_original=False,
    )
    assert decision.kind is GateKind.SEND_ENCRYPTED
    assert decision.choices == ()
    plan = resolve(draft, status, decision, None)
    assert plan is not None and plan.encrypted
    assert [m.address for m in plan.envelopes[0].recipients] == ["ann@clinic.example", ME.address]


def test_someone_uncovered_opens_the_dialog_with_exactly_three_choices() -> None:
    draft = Draft(to=mailboxes("ann@clinic.example", "bob@clinic.example"), sender=ME)
    status = decide(draft, evidence_for(ann=CertCode.OK, bob=CertCode.EXPIRED))
    decision = gate(
        status,
        encrypt_on=True,
        action=ComposeAction.NEW,
        policy=CLINIC,
        quoting_encrypted_original=False,
    )
    assert decision.kind is GateKind.OPEN_DIALOG
    assert decision.choices == (
        Choice.REMOVE_AND_ENCRYPT,
        Choice.SEND_UNENCRYPTED,
        Choice.KEEP_EDITING,
    )
    assert [r.mailbox.address for r in decision.uncovered] == ["bob@clinic.example"]
    assert decision.uncovered[0].reason == "expired"
    assert decision.title == text("gate.title")


def test_no_removal_when_nobody_would_remain_and_no_override_when_policy_forbids() -> None:
    draft = Draft(to=mailboxes("bob@clinic.example"))
    status = decide(draft, evidence_for(bob=None))
    strict = Policy(require_encryption=RequireEncryption.ALWAYS, allow_unencrypted_override=False)
    decision = gate(
        status,
        encrypt_on=False,
        action=ComposeAction.NEW,
        policy=strict,
        quoting_encrypted_original=False,
    )
    assert decision.kind is GateKind.OPEN_DIALOG
    assert decision.choices == (Choice.KEEP_EDITING,)
    assert text("gate.required_no_override") in decision.message
    assert decision.encryption_required


def test_reply_all_to_a_mixed_group_names_the_reply_all() -> None:
    draft = Draft(
        to=mailboxes("dana@partner.example"), cc=mailboxes("ann@clinic.example"), sender=ME
    )
    status = decide(
        draft,
        Evidence(
            lookups={
                **evidence_for(ann=CertCode.OK).lookups,
                "dana@partner.example": Lookup(),
            }
        ),
    )
    for action, title in (
        (ComposeAction.REPLY_ALL, text("gate.title_reply_all")),
        (ComposeAction.NEW, text("gate.title")),
    ):
        decision = gate(
            status,
            encrypt_on=True,
            action=action,
            policy=CLINIC,
            quoting_encrypted_original=False,
        )
        assert decision.title == title
    assert (
        "Reply All"
        in gate(
            status,
            encrypt_on=True,
            action=ComposeAction.REPLY_ALL,
            policy=CLINIC,
            quoting_encrypted_original=False,
        ).message
    )


def test_external_recipients_and_large_audiences_are_flagged() -> None:
    many = mailboxes(*[f"p{n}@clinic.example" for n in range(26)])
    draft = Draft(to=(*many, parse_mailbox("dana@partner.example")))
    status = decide(draft, Evidence())
    decision = gate(
        status,
        encrypt_on=True,
        action=ComposeAction.NEW,
        policy=CLINIC,
        quoting_encrypted_original=False,
    )
    assert [m.address for m in decision.external] == ["dana@partner.example"]
    assert decision.large_audience and decision.audience == 27
    quiet = gate(
        status,
        encrypt_on=True,
        action=ComposeAction.NEW,
        policy=Policy(large_audience=30),
        quoting_encrypted_original=False,
    )
    assert quiet.external == () and not quiet.large_audience


def test_encrypt_off_sends_unencrypted_unless_the_policy_requires_encryption() -> None:
    draft = Draft(to=mailboxes("ann@clinic.example"))
    status = decide(draft, evidence_for(ann=None))
    off = gate(
        status,
        encrypt_on=False,
        action=ComposeAction.REPLY,
        policy=CLINIC,
        quoting_encrypted_original=True,
    )
    assert off.kind is GateKind.SEND_UNENCRYPTED and off.quoted_original
    outside = Draft(to=mailboxes("dana@partner.example"))
    required = gate(
        decide(outside, Evidence()),
        encrypt_on=False,
        action=ComposeAction.NEW,
        policy=CLINIC,
        quoting_encrypted_original=False,
    )
    assert required.kind is GateKind.OPEN_DIALOG


def test_a_pending_lookup_is_never_sent_encrypted() -> None:
    draft = Draft(to=mailboxes("ann@clinic.example"))
    status = decide(draft, Evidence(lookups={"ann@clinic.example": Lookup(pending=True)}))
    decision = gate(
        status,
        encrypt_on=True,
        action=ComposeAction.NEW,
        policy=Policy(),
        quoting_encrypted_original=False,
    )
    assert decision.kind is GateKind.OPEN_DIALOG


def test_no_recipients_sends_nothing() -> None:
    status = decide(Draft(sender=ME), Evidence())
    decision = gate(
        status,
        encrypt_on=True,
        action=ComposeAction.NEW,
        policy=Policy(),
        quoting_encrypted_original=False,
    )
    assert decision.kind is GateKind.NO_RECIPIENTS
    assert resolve(Draft(sender=ME), status, decision, None) is None


def test_bcc_recipients_each_get_their_own_envelope() -> None:
    draft = Draft(
        to=mailboxes("ann@clinic.example"),
        cc=mailboxes("bob@clinic.example"),
        bcc=mailboxes("cy@clinic.example", "eve@clinic.example", "ann@clinic.example"),
        sender=ME,
    )
    sealed = envelopes(draft)
    assert [[m.address for m in e.recipients] for e in sealed] == [
        ["ann@clinic.example", "bob@clinic.example", ME.address],
        ["cy@clinic.example", ME.address],
        ["eve@clinic.example", ME.address],
    ]
    assert [e.blind for e in sealed] == [False, True, True]


def test_a_status_for_other_recipients_is_refused() -> None:
    draft = Draft(to=mailboxes("ann@clinic.example"))
    other = decide(Draft(to=mailboxes("bob@clinic.example")), Evidence())
    decision = GateDecision(GateKind.SEND_ENCRYPTED, "", "")
    with pytest.raises(StaleStatusError):
        resolve(draft, other, decision, None)
    with pytest.raises(StaleStatusError):
        remove_uncovered(draft, other)


def test_a_choice_that_was_not_offered_is_refused() -> None:
    draft = Draft(to=mailboxes("bob@clinic.example"))
    status = decide(draft, Evidence())
    decision = gate(
        status,
        encrypt_on=True,
        action=ComposeAction.NEW,
        policy=Policy(allow_unencrypted_override=False),
        quoting_encrypted_original=False,
    )
    with pytest.raises(ValueError, match="not offered"):
        resolve(draft, status, decision, Choice.REMOVE_AND_ENCRYPT)
    with pytest.raises(ValueError, match="not offered"):
        resolve(draft, status, decision, Choice.SEND_UNENCRYPTED)
    assert resolve(draft, status, decision, Choice.KEEP_EDITING) is None


# -- properties ----------------------------------------------------------------------------


@st.composite
def stores(draw: st.DrawFn) -> Evidence:
    """Any store: none, one or several certificates of any verdict; some lookups pending."""
    lookups = {}
    for address in POOL:
        codes = draw(st.lists(st.sampled_from(list(CertCode)), max_size=2))
        candidates = tuple(
            CertificateEvidence(
                fingerprint=f"{address}-{n}",
                spki=f"spki-{address}-{n}",
                not_after=AT + dt.timedelta(days=draw(st.integers(-100, 900))),
                source="imported",
                verdict=CertVerdict(code, code.value, ()),
            )
            for n, code in enumerate(codes)
        )
        lookups[address] = Lookup(candidates=candidates, pending=draw(st.booleans()))
    return Evidence(lookups=lookups)


address_lists = st.lists(st.sampled_from(POOL), max_size=4).map(lambda a: mailboxes(*a))
policies = st.builds(
    Policy,
    internal_domains=st.sampled_from([frozenset(), frozenset({"clinic.example"})]),
    require_encryption=st.sampled_from(list(RequireEncryption)),
    allow_unencrypted_override=st.booleans(),
    always_sign=st.booleans(),
    large_audience=st.integers(1, 10),
)


@settings(max_examples=400, deadline=None)
@given(
    to=address_lists,
    cc=address_lists,
    bcc=address_lists,
    store=stores(),
    encrypt_on=st.booleans(),
    action=st.sampled_from(list(ComposeAction)),
    policy=policies,
    quoting=st.booleans(),
)
def test_no_decision_ever_encrypts_for_only_part_of_the_recipients(
    to: tuple[Mailbox, ...],
    cc: tuple[Mailbox, ...],
    bcc: tuple[Mailbox, ...],
    store: Evidence,
    encrypt_on: bool,
    action: ComposeAction,
    policy: Policy,
    quoting: bool,
) -> None:
    draft = Draft(to=to, cc=cc, bcc=bcc, sender=ME)
    status = decide(draft, store)
    decision = gate(
        status,
        encrypt_on=encrypt_on,
        action=action,
        policy=policy,
        quoting_encrypted_original=quoting,
    )
    required = bool(status.recipients) and policy.requires_encryption(
        r.mailbox.key for r in status.recipients
    )
    if decision.kind is GateKind.SEND_ENCRYPTED:
        assert status.overall is Overall.ENCRYPTED
    if decision.kind is GateKind.SEND_UNENCRYPTED:
        assert not encrypt_on and not required
    if decision.kind is GateKind.OPEN_DIALOG:
        assert decision.choices[-1] is Choice.KEEP_EDITING
        # Sending unencrypted is offered when the policy allows an override, or when
        # Encrypt is off and the policy does not require it (a mixed Reply All).
        assert (Choice.SEND_UNENCRYPTED in decision.choices) == (
            policy.allow_unencrypted_override or decision.encrypt_off
        )
        assert not (decision.encrypt_off and (encrypt_on or required))
        # Never "policy requires encryption" beside a button that sends without it.
        if Choice.SEND_UNENCRYPTED in decision.choices:
            assert text("gate.required_no_override") not in decision.message
            assert text("gate.override_not_allowed") not in decision.message
    mixed = 0 < len(status.uncovered) < len(status.recipients)
    if action is ComposeAction.REPLY_ALL and mixed:
        # Every Reply All to a mixed group passes the gate, Encrypt on or off.
        assert decision.kind is GateKind.OPEN_DIALOG
        assert Choice.REMOVE_AND_ENCRYPT in decision.choices
        some_covered = any(r.covered for r in status.recipients)
        assert (Choice.REMOVE_AND_ENCRYPT in decision.choices) == some_covered
        assert decision.uncovered and all(not r.covered for r in decision.uncovered)
    for choice in decision.choices or (None,):
        plan = resolve(draft, status, decision, choice)
        if plan is None or not plan.encrypted:
            continue
        # Encrypted means: the one rule, on the same evidence, says Encrypted for the draft
        # that is sent, and every envelope goes only to covered recipients (or the sender).
        assert decide(plan.draft, store).overall is Overall.ENCRYPTED
        covered = {r.mailbox.key for r in status.recipients if r.covered}
        for envelope in plan.envelopes:
            assert {m.key for m in envelope.recipients} - {ME.key} <= covered
        sealed_to = {m.key for e in plan.envelopes for m in e.recipients}
        assert sealed_to - {ME.key} == {r.mailbox.key for r in decide(plan.draft, store).recipients}


@settings(max_examples=300, deadline=None)
@given(to=address_lists, cc=address_lists, bcc=address_lists, store=stores())
def test_removing_the_uncovered_leaves_a_draft_the_rule_calls_encrypted(
    to: tuple[Mailbox, ...], cc: tuple[Mailbox, ...], bcc: tuple[Mailbox, ...], store: Evidence
) -> None:
    draft = Draft(to=to, cc=cc, bcc=bcc, sender=ME)
    status = decide(draft, store)
    remaining = remove_uncovered(draft, status)
    after = decide(remaining, store)
    if any(r.covered for r in status.recipients):
        assert after.overall is Overall.ENCRYPTED
    else:
        assert not after.recipients
    assert {r.mailbox.key for r in after.recipients} == {
        r.mailbox.key for r in status.recipients if r.covered
    }
