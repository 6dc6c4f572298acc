"""Bad input to parse_inner_mime: only MimeError, and promptly."""

from __future__ import annotations

import contextlib
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.mime.compose import Attachment, InnerMessage, build_inner_mime
from desktop_app.core.mime.errors import MimeError
from desktop_app.core.mime.parse import parse_inner_mime
from desktop_app.core.mime.tree import MAX_DEPTH, MAX_HEADER_BYTES, MAX_PARTS
from tests.core.mime.messages import OUTLOOK_SIGNED
from tests.work import assert_linear

VALID = [
    OUTLOOK_SIGNED,
    build_inner_mime(
        InnerMessage(
            "Grüße\nFrom me",
            html="<b>x</b>",
            attachments=(Attachment("Bericht Müller.pdf", b"%PDF" * 40), Attachment("a", b"")),
        ),
        boundary_seed=b"fuzz",
    ),
]


def _parse_or_mime_error(data: bytes) -> None:
    with contextlib.suppress(MimeError):
        parse_inner_mime(data)


def _nested(levels: int) -> bytes:
    head = b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (n, n)
        for n in range(levels)
    )
    return head + b"Content-Type: text/plain\r\n\r\ndeep\r\n"


def test_nesting_up_to_the_limit_is_read() -> None:
    assert parse_inner_mime(_nested(MAX_DEPTH)).text == "deep\n"


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 5000])
def test_deeper_nesting_is_a_clean_error(levels: int) -> None:
    with pytest.raises(MimeError):
        parse_inner_mime(_nested(levels))


def test_deep_nesting_is_refused_in_linear_work() -> None:
    assert_linear(lambda levels: _parse_or_mime_error(_nested(levels)), 5000 // 8)


def _parts(count: int) -> bytes:
    return b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n' + b"--b\r\n\r\nx\r\n" * count


def test_too_many_parts_is_a_clean_error() -> None:
    with pytest.raises(MimeError):
        parse_inner_mime(_parts(MAX_PARTS + 1))
    # Work linear in the number of parts, up to the limit and past it (an eighth of the
    # limit read, eight times that refused).
    assert_linear(lambda count: _parse_or_mime_error(_parts(count)), MAX_PARTS // 8 + 1)


def test_oversized_header_section_is_a_clean_error() -> None:
    data = b"X-Long: " + b"a" * (MAX_HEADER_BYTES + 10) + b"\r\nmore"
    with pytest.raises(MimeError):
        parse_inner_mime(data)


def _junk(size: int) -> bytes:
    return random.Random(size).randbytes(size)


@pytest.mark.parametrize(
    "prefix",
    [b"", b"Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\n"],
    ids=["bare", "part"],
)
def test_megabytes_of_junk_take_linear_work(prefix: bytes) -> None:
    _parse_or_mime_error(prefix + _junk(10 * 1024 * 1024))
    assert_linear(lambda size: _parse_or_mime_error(prefix + _junk(size)), 160 * 1024)


def _false_delimiters(count: int) -> bytes:
    return b'Content-Type: multipart/mixed; boundary="ab"\r\n\r\n--ab\r\n\r\n' + (
        b"--abX\r\n--a\r\n" * count
    )


def test_many_false_delimiters_are_linear() -> None:
    parsed = parse_inner_mime(_false_delimiters(200_000))
    assert parsed.text.count("--abX") == 200_000
    assert_linear(lambda count: parse_inner_mime(_false_delimiters(count)), 200_000 // 64)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_give_a_message_or_mime_error(data: bytes) -> None:
    _parse_or_mime_error(data)


_TOKENS = [
    b"\r\n",
    b"\n",
    b"\r\n\r\n",
    b"--",
    b"=?utf-8?B?",
    b"?=",
    b"*0*=",
    b"*=utf-8''%",
    b'"',
    b";",
    b"=",
    b"Content-Type: multipart/mixed; boundary=",
    b"Content-Transfer-Encoding: base64",
    b"Content-Transfer-Encoding: quoted-printable",
    b"charset=",
    b"\x00",
    b"\xff",
]


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(VALID)))
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "token"]))
        if action == "flip" and position < len(data):
            data[position] = draw(st.integers(0, 255))
        elif action == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=20))
        elif action == "delete":
            del data[position : position + draw(st.integers(1, 200))]
        elif action == "truncate":
            del data[position:]
        else:
            data[position:position] = draw(st.sampled_from(_TOKENS))
    return bytes(data)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutated())
def test_mutated_messages_give_a_message_or_mime_error(data: bytes) -> None:
    _parse_or_mime_error(data)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Content-Type: multipart/mixed; boundary=b\r\n",
                "Content-Type: multipart/alternative; boundary=b\r\n",
                "Content-Type: multipart/signed; boundary=b\r\n",
                "Content-Type: application/pkcs7-signature\r\n",
                "Content-Type: message/rfc822\r\n",
                "Content-Disposition: attachment; filename*1*=%FF\r\n",
                "Content-Type: text/html; name*0=a; name*2=b\r\n",
                "\r\n",
                "--b\r\n",
                "--b--\r\n",
                "text\r\n",
            ]
        ),
        max_size=40,
    )
)
def test_structured_garbage_gives_a_message_or_mime_error(lines: list[str]) -> None:
    _parse_or_mime_error("".join(lines).encode())
