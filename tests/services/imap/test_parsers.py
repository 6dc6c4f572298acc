"""The IMAP answer parsers on any input: LIST lines (quoted, literal and odd names) and UID
FETCH answers (the UID on either side of the literal). Bounded so the suite stays quick."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from desktop_app.services.imap.folders import parse_list
from desktop_app.services.imap.inbox_source import _fetched

NAMES = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=40
)
FLAGS = st.lists(st.sampled_from(["\\Sent", "\\Drafts", "\\HasNoChildren", "\\Noselect"]))


def _quoted(name: str) -> bytes:
    return b'"' + name.replace("\\", "\\\\").replace('"', '\\"').encode() + b'"'


@settings(max_examples=150, deadline=None)
@given(name=NAMES, flags=FLAGS, literal=st.booleans())
@example(name='a\\b "c"', flags=[], literal=True)
@example(name='a\\b "c"', flags=[], literal=False)
def test_a_listed_name_comes_back_as_the_server_wrote_it(
    name: str, flags: list[str], literal: bool
) -> None:
    head = b"(" + " ".join(flags).encode() + b') "/" '
    item: object = (head + b"{%d}" % len(name), name.encode()) if literal else head + _quoted(name)
    [folder] = parse_list([item])
    assert folder.name == name
    assert folder.delimiter == "/"
    assert ("\\Sent" in flags) == ("\\Sent" in folder.flags)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.binary(max_size=60),
            st.tuples(st.binary(max_size=40), st.binary(max_size=40)),
            st.none(),
        ),
        max_size=6,
    )
)
def test_any_answer_parses_without_raising(data: list[object]) -> None:
    parse_list(data)
    _fetched(data)


@settings(max_examples=100, deadline=None)
@given(uid=st.integers(1, 2**32 - 1), size=st.integers(0, 2**31), uid_after=st.booleans())
def test_the_uid_is_found_on_either_side_of_the_literal(
    uid: int, size: int, uid_after: bool
) -> None:
    literal = b"Subject: x\r\n\r\n"
    if uid_after:
        data: list[object] = [
            (b"7 (RFC822.SIZE %d BODY[HEADER] {%d}" % (size, len(literal)), literal),
            b" UID %d)" % uid,
        ]
    else:
        data = [
            (b"7 (UID %d RFC822.SIZE %d BODY[HEADER] {%d}" % (uid, size, len(literal)), literal),
            b")",
        ]
    assert _fetched(data) == {uid: (literal, size)}


def test_without_special_use_marks_the_usual_names_are_found() -> None:
    from desktop_app.services.imap.folders import DRAFTS, SENT, _by_name

    listed = parse_list(
        [
            b'(\\Noselect \\HasChildren) "/" "[Gmail]"',
            b'(\\HasNoChildren) "/" "[Gmail]/Sent Mail"',
            b'(\\HasNoChildren) "/" INBOX',
            b'(\\HasNoChildren) "." "INBOX.Drafts"',
        ]
    )
    sent, drafts = _by_name(listed, SENT), _by_name(listed, DRAFTS)
    assert sent is not None and sent.name == "[Gmail]/Sent Mail"
    assert drafts is not None and drafts.name == "INBOX.Drafts"
    assert _by_name(parse_list([b'(\\Noselect) "/" Sent']), SENT) is None
