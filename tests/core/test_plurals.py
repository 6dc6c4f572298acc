"""Plurals come from one form in ``text``: no "(s)", no "All 1 recipients"."""

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.messages import MESSAGES, text


def test_no_template_spells_a_plural_with_s_in_brackets() -> None:
    assert [key for key, template in MESSAGES.items() if "(s)" in template] == []


def test_the_plural_form_picks_one_or_other_and_fills_fields_in_either() -> None:
    assert text("summary.all_covered", count=1) == "The recipient can read encrypted mail."
    assert text("summary.all_covered", count=3) == "All 3 recipients can read encrypted mail."
    assert text("summary.some_uncovered", uncovered=2, count=5) == (
        "2 of 5 recipients cannot read encrypted mail."
    )
    assert text("gate.external", count=1, names="x") == "1 recipient outside your organisation: x."
    assert text("people.count", count=1) == "1 person"
    assert text("people.count", count=0) == "0 people"


def _count_fields(template: str) -> list[str]:
    return [
        name
        for _, name, spec, _ in string.Formatter().parse(template)
        if name is not None and spec and spec.startswith("p:")
    ]


def _all_names(template: str) -> set[str]:
    """Field names, also those nested in a plural form's words."""
    names: set[str] = set()
    for _, name, spec, _ in string.Formatter().parse(template):
        if name:
            names.add(name)
        if spec:
            names |= _all_names(spec)
    return names


@settings(max_examples=50, deadline=None)
@given(count=st.integers(1, 3))
def test_no_message_says_one_with_a_plural_noun(count: int) -> None:
    """Every template with a plural form, filled with ``count``, never reads "1 ...s"."""
    for key, template in MESSAGES.items():
        fields = _count_fields(template)
        if not fields:
            continue
        names = _all_names(template)
        values = {name: count if name in fields else "x" for name in names}
        shown = text(key, **values)
        for word in ("recipients", "people", "messages", "certificates", "drafts", "entries"):
            assert f" 1 {word}" not in f" {shown}", (key, shown)
        assert "All 1 " not in shown and "1 of 1 " not in shown, (key, shown)
