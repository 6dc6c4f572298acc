"""Judging decisions, the consequences shown, scores, progress and the completion record."""

import json
from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.pki.usability import CertCode, CertVerdict
from desktop_app.core.policy.model import Policy, RequireEncryption
from desktop_app.core.recipients.addresses import parse_mailbox
from desktop_app.core.recipients.replies import ComposeAction
from desktop_app.core.recipients.send_gate import GateDecision, gate
from desktop_app.core.recipients.status import (
    CertificateEvidence,
    Draft,
    Evidence,
    Lookup,
    MessageStatus,
    decide,
)
from desktop_app.core.training.judging import (
    FULL_SCORE,
    RETRY_SCORE,
    attempt_score,
    consequences,
    judge,
    product_allows,
)
from desktop_app.core.training.progress import (
    Progress,
    ProgressError,
    completion_record,
    progress_from_json,
)
from desktop_app.core.training.scenario_file import parse_scenario
from desktop_app.core.training.schema import Decision
from tests.core.training.test_schema import VALID

DANA = parse_mailbox("Dana Whitfield <dana@partner.example>")
LEE = parse_mailbox("Dr. Lee <lee@clinic.example>")
POLICY = Policy(frozenset({"clinic.example"}), RequireEncryption.EXTERNAL, True)
USABLE = CertificateEvidence(
    "ab", "cd", datetime(2030, 1, 1, tzinfo=UTC), "imported", CertVerdict(CertCode.OK, "ok", ())
)


def _mixed() -> tuple[MessageStatus, GateDecision]:
    evidence = Evidence(lookups={LEE.key: Lookup((USABLE,)), DANA.key: Lookup()})
    status = decide(Draft(to=(DANA,), cc=(LEE,)), evidence)
    decision = gate(
        status,
        encrypt_on=True,
        action=ComposeAction.REPLY_ALL,
        policy=POLICY,
        quoting_encrypted_original=False,
    )
    return status, decision


def test_sending_a_mixed_group_encrypted_tells_who_gets_an_unreadable_p7m() -> None:
    status, decision = _mixed()
    lines = consequences(Decision.SEND_ENCRYPTED, status, decision)
    assert lines[0] == "Dana Whitfield would have received smime.p7m and could not read it."
    assert not product_allows(Decision.SEND_ENCRYPTED, status, decision)
    assert product_allows(Decision.REMOVE_RECIPIENTS, status, decision)
    assert product_allows(Decision.ASK_FOR_SIGNED, status, decision)


def test_judge_scores_the_first_attempt_fully_and_a_retry_by_half() -> None:
    scenario = parse_scenario(VALID, "mixed.toml")
    status, decision = _mixed()
    wrong = judge(scenario, Decision.SEND_ENCRYPTED, status, decision, 1)
    assert not wrong.correct and wrong.score == 0
    right = judge(scenario, Decision.ASK_FOR_SIGNED, status, decision, 2)
    assert right.correct and right.score == RETRY_SCORE
    assert right.explanation == "Because."
    assert attempt_score(True, 1) == FULL_SCORE


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(0, 100)), max_size=20))
def test_progress_keeps_the_best_score_and_counts_every_attempt(
    attempts: list[tuple[str, int]],
) -> None:
    progress = Progress()
    for scenario_id, score in attempts:
        progress = progress.with_attempt(scenario_id, score)
    for scenario_id in "abc":
        mine = [score for key, score in attempts if key == scenario_id]
        assert progress.result(scenario_id).attempts == len(mine)
        assert progress.result(scenario_id).score == max(mine, default=0)
    assert progress_from_json(progress.to_json(), "p.json") == progress


def test_a_damaged_progress_file_is_a_user_facing_error() -> None:
    for broken in ("{", '{"version": 9}', '{"version": 1, "results": {"a": {"attempts": -1}}}'):
        try:
            progress_from_json(broken, "training-progress.json")
        except ProgressError as error:
            assert "training-progress.json" in error.message
        else:
            raise AssertionError(broken)


def test_the_completion_record_has_names_dates_scores_and_no_message_text() -> None:
    scenario = parse_scenario(VALID, "mixed.toml")
    progress = Progress("Sam Doe").with_attempt("mixed", 0).with_attempt("mixed", RETRY_SCORE)
    record = completion_record(progress, [scenario], "Sam Doe", date(2026, 11, 27))
    data = json.loads(record.to_json())
    assert data == {
        "name": "Sam Doe",
        "date": "2026-11-27",
        "score": 50,
        "completed": 1,
        "total": 1,
        "scenarios": [{"id": "mixed", "title": "A test", "attempts": 2, "score": 50}],
    }
    csv_text = record.to_csv()
    assert csv_text.splitlines()[0] == "name,date,scenario,title,attempts,score"
    assert "Sam Doe,2026-11-27,mixed,A test,2,50" in csv_text
    for secret in ("Hello", "Something happens", "Because", "Results"):
        assert secret not in csv_text and secret not in record.to_json()
