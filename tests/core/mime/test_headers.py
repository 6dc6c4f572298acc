"""Header parameters (RFC 2045, RFC 2231) and encoded words (RFC 2047)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.mime.headers import decode_encoded_words, parse_fields, parse_parameters


@pytest.mark.parametrize(
    ("value", "main", "params"),
    [
        ("Text/Plain", "text/plain", {}),
        (
            'text/plain; charset="UTF-8"; format=flowed',
            "text/plain",
            {"charset": "UTF-8", "format": "flowed"},
        ),
        ('a/b; name="x \\"y\\" z.pdf"', "a/b", {"name": 'x "y" z.pdf'}),
        ("a/b; name=my file.pdf ; x=1", "a/b", {"name": "my file.pdf", "x": "1"}),
        ('a/b; name="semi;colon.txt"', "a/b", {"name": "semi;colon.txt"}),
        ('a/b; name="unterminated', "a/b", {"name": "unterminated"}),
        ("a/b; ; junk ; NAME=first; name=second", "a/b", {"name": "first"}),
        ("a/b; f*=utf-8''%E2%82%AC; f=plain", "a/b", {"f": "€"}),
        ("a/b; f*0=one; f*1=two; f*3=gap", "a/b", {"f": "onetwo"}),
        ("a/b; f*1=no-zero", "a/b", {}),
        ("a/b; f*=no-quotes%41", "a/b", {"f": "no-quotesA"}),
        ("a/b; f*0*=utf-8''%C3; f*1*=%A4", "a/b", {"f": "ä"}),  # a character split in two
        ("a/b; f*=bogus-charset''%E4", "a/b", {"f": "ä"}),
    ],
)
def test_parameters(value: str, main: str, params: dict[str, str]) -> None:
    assert parse_parameters(value) == (main, params)


@pytest.mark.parametrize(
    ("value", "decoded"),
    [
        ("plain", "plain"),
        ("=?utf-8?q?Gr=C3=BC=C3=9Fe_dich?=", "Grüße dich"),
        ("=?UTF-8?B?w6Q=?= =?UTF-8?B?w7Y=?=", "äö"),
        ("=?utf-8?B?ww==?= =?utf-8?B?pA==?=", "ä"),  # one character split over two words
        ("a =?iso-8859-1?q?=E4?= b", "a ä b"),
        ("=?utf-8*de?q?x?=", "x"),
        ("=?utf-8?q?a?= =?iso-8859-1?q?=E4?=", "aä"),
        ("=?utf-8?x?not-a-word?=", "=?utf-8?x?not-a-word?="),
        ("=?utf-8?B?####?=", ""),
    ],
)
def test_encoded_words(value: str, decoded: str) -> None:
    assert decode_encoded_words(value) == decoded


def test_fields_are_unfolded_and_junk_lines_skipped() -> None:
    fields = parse_fields(
        b"Subject: one\r\n two\r\n\tthree\r\nnot a field\r\nX-A : 1\nFrom: \xe4\r\n"
    )
    assert [(f.name, f.value) for f in fields] == [
        ("Subject", "one two\tthree"),
        ("X-A", "1"),
        ("From", "ä"),
    ]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_parameters_and_words_never_raise(value: str) -> None:
    parse_parameters(value)
    decode_encoded_words(value)


def test_an_unterminated_quoted_value_ending_in_a_backslash_is_read() -> None:
    # Found by the lint fuzz test: a damaged name="smime.p7m\ used to trip an assertion.
    main, params = parse_parameters('application/pkcs7-mime; name="smime.p7m\\')
    assert main == "application/pkcs7-mime" and params["name"] == "smime.p7m\\"
