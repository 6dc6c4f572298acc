"""The PHI detectors on a generated corpus: no miss on any form, few false alarms."""

import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.phi.detect import KEYWORD_REACH, PhiRules, find_phi
from desktop_app.core.phi.findings import PhiKind, masked
from tests.core.phi.corpus import (
    DOB_KEYWORDS,
    FILLER,
    SSN_KEYWORDS,
    admin_text,
    birth_dates,
    invalid_ssns,
    mbis,
    ssns,
)

RULES = PhiRules.from_patterns([("chart", r"\bMRN[- ]?\d{7}\b"), ("lab", r"\bCH\d{6}\b")])
BOUNDED = settings(max_examples=300, deadline=None)


def _kinds_at(text: str, value: str) -> set[str]:
    start = text.index(value)
    end = start + len(value)
    return {f.kind for f in find_phi(text, "body", RULES) if f.start <= start and f.end >= end}


@BOUNDED
@given(ssns(), st.sampled_from(SSN_KEYWORDS), FILLER, FILLER, st.booleans())
def test_every_valid_ssn_near_a_keyword_is_found(
    ssn: str, keyword: str, before: str, between: str, keyword_after: bool
) -> None:
    between = between[: KEYWORD_REACH - 10]
    pieces = (
        [before, " ", ssn, " ", between, " ", keyword]
        if keyword_after
        else [before, " ", keyword, " ", between, " ", ssn, "."]
    )
    text = "".join(pieces)
    assert PhiKind.SSN in _kinds_at(text, ssn)


@BOUNDED
@given(invalid_ssns(), st.sampled_from(SSN_KEYWORDS))
def test_ssn_ranges_never_issued_are_not_ssns(ssn: str, keyword: str) -> None:
    assert PhiKind.SSN not in _kinds_at(f"{keyword}: {ssn}", ssn)


@BOUNDED
@given(ssns())
def test_an_ssn_without_a_keyword_is_not_reported(ssn: str) -> None:
    assert PhiKind.SSN not in _kinds_at(f"Batch {ssn} was posted.", ssn)


def test_a_keyword_too_far_away_does_not_count() -> None:
    text = "SSN " + "x" * (KEYWORD_REACH + 5) + " 123-45-6789"
    assert not find_phi(text, "body", RULES)


@BOUNDED
@given(mbis(), FILLER, FILLER)
def test_every_mbi_is_found(mbi: str, before: str, after: str) -> None:
    text = f"{before} {mbi} {after}"
    assert PhiKind.MBI in _kinds_at(text, mbi)


@BOUNDED
@given(mbis(), st.sampled_from("SLOIBZ"), st.sampled_from([1, 4, 7, 8]))
def test_an_mbi_with_a_forbidden_letter_is_not_one(mbi: str, letter: str, position: int) -> None:
    plain = mbi.replace("-", "").upper()
    broken = plain[:position] + letter + plain[position + 1 :]
    assert PhiKind.MBI not in _kinds_at(f"id {broken} here", broken)


@BOUNDED
@given(birth_dates(), st.sampled_from(DOB_KEYWORDS), st.sampled_from([" ", ": ", " - ", " is "]))
def test_every_date_of_birth_form_is_found(date: str, keyword: str, joiner: str) -> None:
    text = f"Lab results for Mrs. Patel, {keyword}{joiner}{date}, attached."
    assert PhiKind.DOB in _kinds_at(text, date)


@BOUNDED
@given(birth_dates())
def test_a_date_followed_by_its_keyword_is_found(date: str) -> None:
    text = f"Patient seen; {date} (date of birth) confirmed."
    assert PhiKind.DOB in _kinds_at(text, date)


@BOUNDED
@given(st.integers(0, 9_999_999), st.sampled_from(["MRN", "MRN-", "MRN "]), FILLER)
def test_every_practice_mrn_form_is_found(number: int, prefix: str, filler: str) -> None:
    value = f"{prefix}{number:07d}"
    assert "mrn:chart" in _kinds_at(f"{filler} {value} {filler}", value)
    lab = f"CH{number % 1_000_000:06d}"
    assert "mrn:lab" in _kinds_at(f"sample {lab} received", lab)


def test_name_cues_only_when_asked() -> None:
    subject = "Lab results for Mrs. Patel"
    assert [f.kind for f in find_phi(subject, "subject", RULES, name_cues=True)] == ["name_cue"]
    assert find_phi(subject, "body", RULES) == []
    assert [f.kind for f in find_phi("re: patient Jones", "subject", RULES, name_cues=True)] == [
        "name_cue"
    ]
    assert find_phi("re: patient Jones", "subject", RULES, name_cues=True)[0].weak
    assert find_phi("Patient portal update", "subject", RULES, name_cues=True) == []


def test_the_issue_subject_is_flagged_and_masked() -> None:
    found = find_phi("Lab results for Mrs. Patel, DOB 04/12/1961", "subject", RULES, name_cues=True)
    assert [(f.kind, f.excerpt) for f in found] == [
        ("name_cue", "***. ***el"),
        ("dob", "**/**/**61"),
    ]


def test_excerpts_never_repeat_the_detail() -> None:
    assert masked("123-45-6789") == "***-**-**89"
    assert masked("1EG4-TE5-MK73") == "****-***-**73"
    assert masked("ab") == "**"


def test_false_positives_on_clinic_administration_text_stay_under_one_percent() -> None:
    rng = random.Random(17)
    corpus = [admin_text(rng) for _ in range(5000)]
    flagged = [text for text in corpus if [f for f in find_phi(text, "body", RULES) if not f.weak]]
    rate = len(flagged) / len(corpus)
    assert rate < 0.01, flagged[:5]
    # The corpus really holds the look-alikes it is meant to.
    joined = "\n".join(corpus)
    assert re.search(r"\d{5}-\d{4}", joined)  # ZIP+4
    assert re.search(r"\(\d{3}\) \d{3}-\d{4}", joined)  # phone
    assert re.search(r"\d{2}/\d{2}/20\d\d", joined)  # appointment date
