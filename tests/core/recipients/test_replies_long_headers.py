"""Address headers built to make the reading of legacyDNs slow: long runs of spaces after
something that starts like one, in angle brackets or bare."""

import re
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.errors import UserFacingError
from desktop_app.core.recipients import replies
from desktop_app.core.recipients.replies import parse_original

# The patterns as first written: lazy, with the space in the class. The reading must say
# the same as they did, only without their quadratic backtracking.
_FIRST_ANGLED = re.compile(r"<[ \t]*(/o=[\x20\x21\x23-\x3b\x3d\x3f\x41-\x7e]+?)[ \t]*>", re.I)
_FIRST_BARE = re.compile(
    r"(^|[,;])([ \t]*)(/o=[\x20\x21\x23-\x2b\x2d-\x3a\x3d\x3f\x41-\x7e]+?)(?=[ \t]*(?:$|[,;]))",
    re.I,
)
_PIECES = st.sampled_from(
    ["/o=", "/O=", "/cn=", " ", "  ", "\t", "a", "Z", "9", "<", ">", ",", ";", "@", '"', "(", "."]
)


def _message(to: str) -> bytes:
    return f"From: a@clinic.example\r\nTo: {to}\r\nSubject: x\r\n\r\nHello.\r\n".encode()


def _read(to: str) -> object:
    try:
        return parse_original(_message(to)).to
    except UserFacingError as error:
        return error.message


@settings(max_examples=300)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_the_header_reads_as_the_first_patterns_read_it(to: str) -> None:
    expected = _read_with_first_patterns(to)
    assert _read(to) == expected


def _read_with_first_patterns(to: str) -> object:
    with (
        mock.patch.object(replies, "_ANGLED_LEGACY_DN", _FIRST_ANGLED),
        mock.patch.object(replies, "_BARE_LEGACY_DN", _FIRST_BARE),
    ):
        return _read(to)


def test_a_megabyte_of_spaces_in_a_legacy_dn_is_read_at_once() -> None:
    # The work is inside one regular-expression call, which counting lines cannot see;
    # the first patterns took minutes on a tenth of this (3.7 minutes for 160,000
    # spaces), so the suite's per-test timeout is what fails a return to them.
    spaces = " " * 1_000_000
    (inside,) = parse_original(_message(f"/o=a{spaces}b")).to
    assert inside.legacy_dn == f"/o=a{spaces}b"
    (angled,) = parse_original(_message(f"Jo </o=a{spaces}b{spaces}>")).to
    assert angled.legacy_dn == f"/o=a{spaces}b"
    (after,) = parse_original(_message(f"/o=Org/cn=jo{spaces}")).to
    assert after.legacy_dn == "/o=Org/cn=jo"
    unclosed = _read(f"</o=a{spaces}b")
    assert isinstance(unclosed, str) and "cannot be read" in unclosed
