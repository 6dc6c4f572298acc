"""The status line's words: what the verdict says, and "Checking" while a lookup runs."""

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.messages import text
from desktop_app.core.policy.model import DEFAULT_POLICY, RequireEncryption
from desktop_app.core.recipients.addresses import parse_address_list
from desktop_app.core.recipients.send_gate import encryption_required
from desktop_app.core.recipients.status import Draft, Evidence, Lookup, Overall, decide
from desktop_app.core.recipients.status_wording import LineState, status_wording
from tests.core.recipients.test_status import OK_LOOKUP
from tests.core.recipients.test_status_properties import address_lists, mailboxes, stores


def draft(*values: str) -> Draft:
    return Draft(to=tuple(m for value in values for m in parse_address_list(value)))


def test_a_lookup_still_running_is_checking_even_where_the_verdict_says_encrypted() -> None:
    evidence = Evidence(lookups={"a@x.org": Lookup(OK_LOOKUP.candidates, pending=True)})
    status = decide(draft("a@x.org"), evidence)
    assert status.overall is Overall.ENCRYPTED and status.checking
    wording = status_wording(status, encrypt_on=True, required=False)
    assert wording.state is LineState.CHECKING
    assert wording.headline == text("status_line.not_encrypted")
    assert wording.summary == text("status_line.checking")
    assert wording.notices == ()


def test_the_answer_in_turns_checking_into_encrypted() -> None:
    status = decide(draft("a@x.org"), Evidence(lookups={"a@x.org": OK_LOOKUP}))
    assert not status.checking
    wording = status_wording(status, encrypt_on=True, required=False)
    assert wording.state is LineState.ENCRYPTED
    assert wording.headline == text("status_line.encrypted")
    assert status_wording(status, encrypt_on=False, required=False).state is LineState.OFF


def test_required_but_impossible_says_so_and_counts_what_is_not_an_address() -> None:
    status = decide(draft("a@x.org"), Evidence(lookups={"a@x.org": Lookup()}))
    wording = status_wording(status, encrypt_on=False, required=True, invalid=1)
    assert wording.state is LineState.BLOCKED
    assert wording.summary == text("status_line.invalid", count=1) + text(
        "status_line.required_impossible", summary=status.summary
    )
    assert wording.notices == status.notices


def test_no_recipients_is_empty() -> None:
    wording = status_wording(decide(Draft(), Evidence()), encrypt_on=True, required=True)
    assert wording.state is LineState.EMPTY


@settings(max_examples=200)
@given(to=address_lists, store=stores(), encrypt_on=st.booleans(), always=st.booleans())
def test_encrypted_only_when_the_rule_says_so_and_nothing_is_still_checking(
    to: list[str], store: Evidence, encrypt_on: bool, always: bool
) -> None:
    policy = (
        replace(DEFAULT_POLICY, require_encryption=RequireEncryption.ALWAYS)
        if always
        else DEFAULT_POLICY
    )
    status = decide(Draft(to=mailboxes(to)), store)
    required = encryption_required(status, policy)
    wording = status_wording(status, encrypt_on=encrypt_on, required=required)
    encrypted = wording.state is LineState.ENCRYPTED
    assert encrypted == (
        status.overall is Overall.ENCRYPTED and not status.checking and (encrypt_on or required)
    )
    assert status.checking == any(store.lookups[r.mailbox.key].pending for r in status.recipients)
