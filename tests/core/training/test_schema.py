"""The scenario schema: valid files parse; broken ones name the file and the field."""

from collections.abc import Callable

import pytest

from desktop_app.core.policy.model import RequireEncryption
from desktop_app.core.recipients.replies import ComposeAction
from desktop_app.core.recipients.status import Overall, StatusCode
from desktop_app.core.training.scenario_file import parse_scenario
from desktop_app.core.training.schema import (
    DEFAULT_POLICY,
    Decision,
    ScenarioError,
    Situation,
)

VALID = """
title = "A test"
story = "Something happens."
action = "reply_all"

[sender]
name = "Alex Morgan"
address = "you@clinic.example"

[original]
from = "Dana <dana@partner.example>"
to = ["you@clinic.example"]
cc = ["lee@clinic.example"]
subject = "Results"
body = "Hello"

[[person]]
address = "dana@partner.example"
certificate = "none"
expect = "no_certificate"

[[person]]
name = "Dr. Lee"
address = "lee@clinic.example"
certificate = "valid"

[answer]
expect = "not_encrypted"
correct = ["ask_for_signed", "keep_editing"]
explanation = "Because."
"""


def test_a_valid_scenario_parses() -> None:
    scenario = parse_scenario(VALID, "mixed.toml")
    assert scenario.id == "mixed"
    assert scenario.action is ComposeAction.REPLY_ALL
    assert scenario.sender.key == "you@clinic.example"
    assert [p.situation for p in scenario.people] == [Situation.NONE, Situation.VALID]
    assert scenario.people[0].expect is StatusCode.NO_CERTIFICATE
    assert scenario.answer.correct == {Decision.ASK_FOR_SIGNED, Decision.KEEP_EDITING}
    assert scenario.answer.expect is Overall.NOT_ENCRYPTED
    assert scenario.policy == DEFAULT_POLICY
    assert scenario.original is not None and scenario.original.cc[0].key == "lee@clinic.example"
    assert scenario.phone is None


def test_a_policy_section_is_read() -> None:
    source = VALID + (
        '\n[policy]\ninternal_domains = ["Clinic.Example"]\nrequire_encryption = "always"\n'
        "allow_unencrypted_override = false\n"
    )
    policy = parse_scenario(source, "p.toml").policy
    assert policy.internal_domains == {"clinic.example"}
    assert policy.require_encryption is RequireEncryption.ALWAYS
    assert not policy.allow_unencrypted_override


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda s: s.replace('title = "A test"\n', ""), "title"),
        (lambda s: s.replace('"reply_all"', '"reply_some"'), "action"),
        (lambda s: s.replace('"ask_for_signed"', '"ask_nicely"'), "answer.correct"),
        (
            lambda s: s.replace('certificate = "none"', 'certificate = "lost"'),
            "person[0].certificate",
        ),
        (lambda s: s.replace('expect = "no_certificate"', 'expect = "nope"'), "person[0].expect"),
        (lambda s: s.replace('subject = "Results"', 'subjekt = "Results"'), "original.subjekt"),
        (lambda s: s.replace('"lee@clinic.example"]', '"lee@@clinic"]'), "original.cc"),
        (lambda s: s.replace('"lee@clinic.example"]', '"pat@clinic.example"]'), "original.cc"),
        (lambda s: s.replace('expect = "not_encrypted"', 'expect = "maybe"'), "answer.expect"),
        (
            lambda s: s.replace('correct = ["ask_for_signed", "keep_editing"]', "correct = []"),
            "answer.correct",
        ),
        (lambda s: s.replace("[answer]", "[answers]"), "answers"),
        (lambda s: s.replace('title = "A test"', "title = [1]"), "title"),
        (lambda s: s.replace('title = "A test"', 'title = "unterminated'), "-"),
        (lambda s: s.replace('"reply_all"', '"new"'), "original"),
    ],
)
def test_errors_name_the_file_and_the_field(change: Callable[[str], str], field: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(change(VALID), "broken.toml")
    assert caught.value.source == "broken.toml"
    assert caught.value.field == field
    assert caught.value.message.startswith(f"broken.toml: {field}: ")


def test_other_address_needs_the_address_it_was_issued_for() -> None:
    source = VALID.replace('certificate = "valid"', 'certificate = "other_address"')
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(source, "x.toml")
    assert caught.value.field == "person[1].certificate_address"


def test_draft_attachments_and_the_phi_policy_are_read() -> None:
    from desktop_app.core.policy.model import PhiMode

    source = VALID.replace(
        "[[person]]",
        '[draft]\nattachments = [{ name = "a.txt", text = "DOB 1/2/1961" }]\n\n'
        '[policy]\nphi = "block"\n\n[[person]]',
        1,
    )
    scenario = parse_scenario(source, "x.toml")
    assert scenario.draft.attachments == (("a.txt", "DOB 1/2/1961"),)
    assert scenario.policy.phi is PhiMode.BLOCK
    broken = source.replace('name = "a.txt", ', "")
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(broken, "x.toml")
    assert caught.value.field == "draft.attachments[0].name"
