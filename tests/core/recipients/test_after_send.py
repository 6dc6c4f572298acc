"""The line after Send, and how people are named in it."""

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.messages import text
from desktop_app.core.recipients.addresses import parse_mailbox
from desktop_app.core.recipients.after_send import (
    Delivery,
    SendOutcome,
    after_send_line,
    outcome_of,
)
from desktop_app.core.recipients.naming import name_list, shown_name
from desktop_app.core.recipients.send_gate import Choice, SendPlan
from desktop_app.core.recipients.status import Draft
from tests.core.recipients.test_send_gate import mailboxes

LEE = parse_mailbox("Lee <lee@clinic.example>")
DANA = parse_mailbox("Dana <dana@partner.example>")
STAFF = mailboxes(*(f"staff{n}@clinic.example" for n in range(4)))


def test_each_line_the_issue_names() -> None:
    assert after_send_line(SendOutcome(True, STAFF[:3])) == "Sent encrypted to 3 people"
    assert (
        after_send_line(SendOutcome(True, (LEE,), removed=(DANA,)))
        == "Sent encrypted to Lee; Dana was removed"
    )
    assert (
        after_send_line(SendOutcome(False, STAFF, recorded=True))
        == "Sent without encryption to 4 people (recorded)"
    )
    assert (
        after_send_line(
            SendOutcome(
                True,
                STAFF,
                delivery=Delivery.WAITING,
                reason="Exchange did not answer",
                retry_in_seconds=120,
            )
        )
        == "Waiting in the outbox: Exchange did not answer; retrying in 2 minutes"
    )


def test_other_lines() -> None:
    assert after_send_line(SendOutcome(True, (LEE,))) == "Sent encrypted to Lee"
    assert (
        after_send_line(SendOutcome(False, (LEE, DANA)))
        == "Sent without encryption to Lee and Dana"
    )
    waiting = SendOutcome(True, (LEE,), delivery=Delivery.WAITING, retry_in_seconds=60)
    assert after_send_line(waiting) == (
        "Waiting in the outbox: " + text("after_send.no_answer") + "; retrying in 1 minute"
    )
    kept = SendOutcome(True, (LEE,), removed=(DANA, *STAFF[:2]), delivery=Delivery.KEPT)
    assert after_send_line(kept) == (
        "Encrypted for Lee and kept in the outbox folder; Dana, staff0@clinic.example and "
        "staff1@clinic.example were removed"
    )


def test_the_outcome_of_a_plan() -> None:
    draft = Draft(to=(LEE,), cc=(LEE, DANA))
    plan = SendPlan(draft, encrypted=False, choice=Choice.SEND_UNENCRYPTED)
    outcome = outcome_of(plan, Delivery.SENT)
    assert outcome.recipients == (LEE, DANA) and outcome.recorded
    assert after_send_line(outcome) == "Sent without encryption to Lee and Dana (recorded)"


def test_an_address_like_display_name_shows_the_real_address() -> None:
    tricky = parse_mailbox('"dana@partner.example" <lee@clinic.example>')
    assert shown_name(tricky) == "lee@clinic.example"
    assert after_send_line(SendOutcome(True, (tricky,))) == "Sent encrypted to lee@clinic.example"


@settings(max_examples=100, deadline=None)
@given(count=st.integers(0, 12))
def test_name_lists_never_say_one_others_or_lose_a_count(count: int) -> None:
    people = mailboxes(*(f"p{n}@clinic.example" for n in range(count)))
    phrase = name_list(people)
    assert "(s)" not in phrase and not phrase.endswith(" 1 others")
    if count > 3:
        assert phrase.endswith(f"{count - 2} others")
    else:
        assert all(m.address in phrase for m in people)
    line = after_send_line(SendOutcome(True, people))
    assert line != "Sent encrypted to 1 people" and "(s)" not in line
