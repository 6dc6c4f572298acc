"""Every shipped scenario loads, and none teaches what the product itself would not do."""

import datetime as dt
from pathlib import Path

import pytest

from desktop_app.core.recipients.send_gate import GateKind
from desktop_app.core.recipients.status import Overall, StatusCode
from desktop_app.core.training.assessment import assess_scenario
from desktop_app.core.training.judging import consistency_problems, product_allows
from desktop_app.core.training.schema import Decision, Scenario
from desktop_app.services.paths import resource_folder
from desktop_app.services.training.sandbox import ScenarioWorld
from desktop_app.services.training.scenarios import load_scenarios

NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
BUILT_IN = resource_folder() / "training"
SCENARIOS = load_scenarios(BUILT_IN).scenarios


def test_at_least_twelve_scenarios_load_without_problems() -> None:
    loaded = load_scenarios(BUILT_IN)
    assert loaded.problems == ()
    assert len(loaded.scenarios) >= 12
    assert len({s.id for s in loaded.scenarios}) == len(loaded.scenarios)


def test_no_private_key_is_shipped() -> None:
    for path in BUILT_IN.iterdir():
        content = path.read_text(encoding="utf-8")
        assert "PRIVATE KEY" not in content and "BEGIN CERTIFICATE" not in content, path


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_the_correct_decision_agrees_with_the_product(scenario: Scenario) -> None:
    """Certificates from the demo CA, the one rule and the send gate, as the product runs
    them; the scenario's answer must not contradict them."""
    world = ScenarioWorld(scenario, lambda: NOW)
    try:
        assessed = assess_scenario(scenario, world.lookup().collect)
    finally:
        world.close()
    assert consistency_problems(scenario, assessed.status, assessed.gate) == ()
    for decision in scenario.answer.correct:
        assert product_allows(decision, assessed.status, assessed.gate), decision
    if assessed.status.overall is not Overall.ENCRYPTED:
        assert Decision.SEND_ENCRYPTED not in scenario.answer.correct
        assert assessed.gate.kind is GateKind.OPEN_DIALOG
    for person in scenario.people:
        if person.expect is not None:
            (status,) = [
                r for r in assessed.status.recipients if r.mailbox.key == person.mailbox.key
            ]
            assert status.code is person.expect


def test_the_scenarios_cover_the_cases_the_training_is_for() -> None:
    situations = {person.situation.value for s in SCENARIOS for person in s.people}
    assert {"none", "valid", "expired", "revoked", "wrong_usage", "other_address"} <= situations
    assert {"untrusted", "changed_key"} <= situations
    correct = {decision for s in SCENARIOS for decision in s.answer.correct}
    assert correct == set(Decision)
    assert any(s.draft.bcc for s in SCENARIOS)
    assert any("lookalike_domain" in s.answer.notices for s in SCENARIOS)
    assert any(not s.policy.allow_unencrypted_override for s in SCENARIOS)
    assert any(s.original is not None and s.original.encrypted for s in SCENARIOS)


def test_the_reply_all_and_the_new_message_to_the_same_people_look_the_same() -> None:
    by_id = {s.id: s for s in SCENARIOS}
    verdicts = []
    for scenario_id in ("01-reply-all-mixed", "02-new-message-same-people"):
        world = ScenarioWorld(by_id[scenario_id], lambda: NOW)
        assessed = assess_scenario(world.scenario, world.lookup().collect)
        verdicts.append(
            (
                assessed.status.overall,
                sorted((r.mailbox.key, r.code) for r in assessed.status.recipients),
            )
        )
    assert verdicts[0] == verdicts[1]
    assert verdicts[0][0] is Overall.NOT_ENCRYPTED
    assert (("dana@partner.example", StatusCode.NO_CERTIFICATE)) in verdicts[0][1]


def test_a_broken_file_in_the_training_folder_is_reported_and_the_others_still_load(
    tmp_path: Path,
) -> None:
    mine = tmp_path / "training"
    mine.mkdir()
    good = (BUILT_IN / "03-all-covered.toml").read_text(encoding="utf-8")
    (mine / "90-my-own.toml").write_text(good.replace("Everyone has a blue lock", "Mine"))
    (mine / "91-broken.toml").write_text(good.replace('action = "new"', 'action = "reply-al"'))
    (mine / "92-not-toml.toml").write_bytes(b"\xff\xfe title")
    loaded = load_scenarios(BUILT_IN, mine)
    assert {s.id for s in loaded.scenarios} >= {"90-my-own", "01-reply-all-mixed"}
    assert len(loaded.scenarios) == len(SCENARIOS) + 1
    messages = sorted(problem.message for problem in loaded.problems)
    assert len(messages) == 2
    assert messages[0].startswith("91-broken.toml: action: “reply-al” is not one of")
    assert messages[1].startswith("92-not-toml.toml: ")


def test_a_trainers_file_replaces_the_built_in_one_of_the_same_name(tmp_path: Path) -> None:
    source = (BUILT_IN / "03-all-covered.toml").read_text(encoding="utf-8")
    (tmp_path / "03-all-covered.toml").write_text(source.replace("Everyone has a blue lock", "X"))
    loaded = load_scenarios(BUILT_IN, tmp_path)
    assert [s.title for s in loaded.scenarios if s.id == "03-all-covered"] == ["X"]


def test_certificates_are_made_when_the_scenario_is_opened() -> None:
    scenario = next(s for s in SCENARIOS if s.id == "04-expired-certificate")
    first = assess_scenario(scenario, ScenarioWorld(scenario, lambda: NOW).lookup().collect)
    second = assess_scenario(scenario, ScenarioWorld(scenario, lambda: NOW).lookup().collect)
    (sam,) = first.status.recipients
    (again,) = second.status.recipients
    assert sam.certificate is not None and again.certificate is not None
    assert sam.certificate.fingerprint != again.certificate.fingerprint  # a fresh CA each time


def test_the_phi_scenarios_show_what_the_guard_finds() -> None:
    by_id = {s.id: s for s in SCENARIOS}
    found = {}
    for scenario_id in (
        "17-patient-details-in-the-subject",
        "18-date-of-birth-in-an-attachment",
        "19-patient-asks-for-plain-email",
    ):
        world = ScenarioWorld(by_id[scenario_id], lambda: NOW)
        try:
            found[scenario_id] = assess_scenario(world.scenario, world.lookup().collect).gate
        finally:
            world.close()
    subject = found["17-patient-details-in-the-subject"]
    assert subject.kind is GateKind.SEND_ENCRYPTED
    assert {f.kind for f in subject.subject_phi} == {"dob", "name_cue"}
    attachment = found["18-date-of-birth-in-an-attachment"]
    assert attachment.phi_blocked
    assert [(f.kind, f.where) for f in attachment.phi if not f.weak] == [
        ("dob", "attachment:referral.txt")
    ]
    consent = found["19-patient-asks-for-plain-email"]
    assert not consent.phi_blocked and any(f.kind == "dob" for f in consent.phi)
