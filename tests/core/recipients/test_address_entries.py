"""Cutting what was written in an address field into entries: examples and properties."""

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.recipients.address_entries import entries_for, split_elements

LOCAL = st.from_regex(r"[a-z][a-z0-9._-]{0,10}", fullmatch=True).filter(
    lambda local: ".." not in local and not local.endswith(".")
)
DOMAIN = st.from_regex(r"[a-z]([a-z0-9-]{0,6}[a-z0-9])?\.(example|org|de)", fullmatch=True)
# Names with the characters that make splitting hard: commas and semicolons (quoted).
NAME = st.text(alphabet="abcdefghij ,;.'", min_size=1, max_size=12).filter(str.strip)


@st.composite
def written_addresses(draw: st.DrawFn) -> str:
    """One address as someone types or pastes it: bare, bracketed, or with a quoted name."""
    address = f"{draw(LOCAL)}@{draw(DOMAIN)}"
    form = draw(st.sampled_from(["bare", "angle", "named"]))
    if form == "bare":
        return address
    if form == "angle":
        return f"<{address}>"
    name = draw(NAME).strip().replace("\\", "").replace('"', "")
    return f'"{name}" <{address}>'


def test_split_elements_respects_quotes_brackets_and_comments() -> None:
    assert split_elements('a@x.org, "Smith, J" <j@y.org>; (c, d) e@z.org,') == [
        "a@x.org",
        '"Smith, J" <j@y.org>',
        "(c, d) e@z.org",
    ]


def test_good_pieces_become_tokens_beside_a_bad_one() -> None:
    entries = entries_for("a@x.org, b@, c@y.org")
    assert [e.mailbox.address if e.mailbox else None for e in entries] == [
        "a@x.org",
        None,
        "c@y.org",
    ]
    assert entries[1].written == "b@"


@given(st.lists(written_addresses(), min_size=1, max_size=6), st.sampled_from([", ", ";", " ; "]))
def test_joining_addresses_and_splitting_gives_them_back(
    addresses: list[str], separator: str
) -> None:
    assert split_elements(separator.join(addresses)) == addresses


@given(st.text())
def test_splitting_again_what_was_split_changes_nothing(value: str) -> None:
    pieces = split_elements(value)
    assert split_elements(", ".join(pieces)) == pieces
    assert all(piece == piece.strip() and piece for piece in pieces)


@given(st.text())
def test_any_text_becomes_entries_without_raising(value: str) -> None:
    for entry in entries_for(value):
        assert (entry.mailbox is None) == (entry.error is not None)


@given(st.lists(written_addresses(), min_size=1, max_size=6))
def test_each_written_address_becomes_one_mailbox(addresses: list[str]) -> None:
    entries = entries_for(", ".join(addresses))
    assert len(entries) == len(addresses)
    assert all(entry.mailbox is not None for entry in entries)
