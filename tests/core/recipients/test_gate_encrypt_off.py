"""The gate with Encrypt off, the Encrypt toggle's own moves, and the gate's wording."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.messages import text
from desktop_app.core.pki.usability import CertCode
from desktop_app.core.policy.model import Policy, RequireEncryption
from desktop_app.core.recipients.replies import ComposeAction
from desktop_app.core.recipients.send_gate import (
    Choice,
    GateKind,
    encrypt_after_change,
    gate,
    resolve,
)
from desktop_app.core.recipients.status import (
    Draft,
    Evidence,
    Lookup,
    MessageStatus,
    Overall,
    decide,
)
from tests.core.recipients.test_send_gate import CLINIC, ME, evidence_for, mailboxes, stores

AT = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)
OPEN = Policy(
    frozenset({"clinic.example"}), RequireEncryption.NEVER, allow_unencrypted_override=False
)


def mixed_reply_all() -> tuple[Draft, MessageStatus]:
    draft = Draft(
        to=mailboxes("Dana <dana@partner.example>"),
        cc=mailboxes("Lee <ann@clinic.example>"),
        sender=ME,
    )
    lookups = {**evidence_for(ann=CertCode.OK).lookups, "dana@partner.example": Lookup()}
    return draft, decide(draft, Evidence(lookups=lookups))


def test_a_mixed_reply_all_with_encrypt_off_opens_the_gate_naming_both_sides() -> None:
    draft, status = mixed_reply_all()
    decision = gate(
        status,
        encrypt_on=False,
        action=ComposeAction.REPLY_ALL,
        policy=OPEN,
        quoting_encrypted_original=False,
    )
    assert decision.kind is GateKind.OPEN_DIALOG and decision.encrypt_off
    assert decision.title == text("gate.title_reply_all")
    assert "Lee could read it encrypted; Dana could not" in decision.message
    assert [r.mailbox.address for r in decision.covered] == ["ann@clinic.example"]
    assert [r.mailbox.address for r in decision.uncovered] == ["dana@partner.example"]
    # The policy requires nothing here, so sending unencrypted is allowed (and audited).
    assert decision.choices == (
        Choice.REMOVE_AND_ENCRYPT,
        Choice.SEND_UNENCRYPTED,
        Choice.KEEP_EDITING,
    )
    removed = resolve(draft, status, decision, Choice.REMOVE_AND_ENCRYPT)
    assert removed is not None and removed.encrypted
    assert [m.address for m in removed.removed] == ["dana@partner.example"]
    plain = resolve(draft, status, decision, Choice.SEND_UNENCRYPTED)
    assert plain is not None and not plain.encrypted and plain.choice is Choice.SEND_UNENCRYPTED
    assert resolve(draft, status, decision, Choice.KEEP_EDITING) is None


def test_a_new_message_or_a_reply_to_the_same_people_with_encrypt_off_just_sends() -> None:
    _, status = mixed_reply_all()
    for action in (ComposeAction.NEW, ComposeAction.REPLY, ComposeAction.FORWARD):
        decision = gate(
            status, encrypt_on=False, action=action, policy=OPEN, quoting_encrypted_original=False
        )
        assert decision.kind is GateKind.SEND_UNENCRYPTED


def test_a_reply_all_nobody_could_read_encrypted_is_not_mixed() -> None:
    draft = Draft(to=mailboxes("dana@partner.example", "bob@clinic.example"), sender=ME)
    status = decide(draft, Evidence())
    decision = gate(
        status,
        encrypt_on=False,
        action=ComposeAction.REPLY_ALL,
        policy=OPEN,
        quoting_encrypted_original=False,
    )
    assert decision.kind is GateKind.SEND_UNENCRYPTED


def test_the_gate_never_says_policy_requires_while_offering_to_send_without() -> None:
    _, status = mixed_reply_all()
    allowed = gate(
        status,
        encrypt_on=True,
        action=ComposeAction.NEW,
        policy=CLINIC,  # requires encryption for outside addresses, allows an override
        quoting_encrypted_original=False,
    )
    assert Choice.SEND_UNENCRYPTED in allowed.choices
    assert "requires" not in allowed.message
    assert text("gate.required_override") in allowed.message


def test_plurals_read_for_one_recipient() -> None:
    draft = Draft(to=mailboxes("ann@clinic.example"))
    one_ok = decide(draft, evidence_for(ann=CertCode.OK))
    assert one_ok.summary == "The recipient can read encrypted mail."
    one_bad = decide(draft, evidence_for(ann=None))
    decision = gate(
        one_bad,
        encrypt_on=True,
        action=ComposeAction.NEW,
        policy=OPEN,
        quoting_encrypted_original=False,
    )
    assert decision.message.startswith("Your recipient cannot read encrypted mail.")
    assert "1 of 1" not in decision.message
    two = decide(Draft(to=mailboxes("ann@clinic.example", "bob@clinic.example")), Evidence())
    assert two.summary == "2 of 2 recipients cannot read encrypted mail."


def test_a_duplicate_within_one_field_is_not_kept_and_removed_from_the_same_field() -> None:
    status = decide(Draft(to=mailboxes("ann@clinic.example", "ann@clinic.example")), Evidence())
    [notice] = [n for n in status.notices if n.code == "duplicate_recipient"]
    assert notice.message == "ann@clinic.example is in To more than once; it is sent once."
    across = decide(
        Draft(to=mailboxes("ann@clinic.example"), cc=mailboxes("ann@clinic.example")), Evidence()
    )
    [notice] = [n for n in across.notices if n.code == "duplicate_recipient"]
    assert "kept in To, removed from Cc" in notice.message


# -- the Encrypt toggle --------------------------------------------------------------------

overalls = st.sampled_from([None, Overall.ENCRYPTED, Overall.NOT_ENCRYPTED])


@settings(max_examples=200, deadline=None)
@given(
    steps=st.lists(
        st.tuples(
            st.lists(st.sampled_from(["ann", "bob", "cy", "dana", "eve"]), max_size=3),
            st.booleans(),  # settled
            st.booleans(),  # required
            st.booleans(),  # the user sets the toggle before this change
            st.booleans(),  # ... to this value
        ),
        max_size=8,
    ),
    store=stores(),
)
def test_encrypt_never_turns_itself_off_and_turns_on_when_everyone_becomes_covered(
    steps: list[tuple[list[str], bool, bool, bool, bool]], store: Evidence
) -> None:
    on, before = False, None
    for locals_, settled, required, user_sets, user_value in steps:
        if user_sets:
            on = user_value or required
        status = decide(Draft(to=mailboxes(*(f"{n}@clinic.example" for n in locals_))), store)
        after = encrypt_after_change(on, before, status, settled=settled, required=required)
        if on:
            assert after  # never off by itself
        if required:
            assert after
        became_covered = (
            settled and status.overall is Overall.ENCRYPTED and before is not Overall.ENCRYPTED
        )
        if became_covered:
            assert after
        if not on and not required and not became_covered:
            assert not after  # nothing turns it on behind the user's back
        on = after
        if settled:
            before = status.overall
