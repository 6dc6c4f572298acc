"""Strict parsing of recipient fields: what is accepted, what is refused, and how fast."""

import contextlib
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.recipients.addresses import (
    AddressError,
    Mailbox,
    parse_address_list,
    parse_mailbox,
)
from desktop_app.core.recipients.normalise import address_key
from tests.core.recipients.address_parsing import keys, refused
from tests.work import assert_linear

# --- spoofing shapes -------------------------------------------------------------------


def test_stray_parenthesis_before_second_address_is_refused_with_plain_message() -> None:
    error = refused("alice@example.org)<bob@example.org>")
    assert str(error) == "Cannot read “alice@example.org)<bob@example.org>”: unexpected “)”."
    assert error.offending == ")"


def test_two_at_signs_are_refused() -> None:
    assert refused("a@b.org@c.org").offending == "@"
    with pytest.raises(AddressError):
        parse_address_list("<a@b.org@c.org>")


def test_address_glued_to_angle_address_is_refused() -> None:
    assert refused("alice@example.org<bob@example.org>").offending == "<"


@pytest.mark.parametrize(
    "text",
    [
        "a@x.org\r\nBcc: eve@evil.example",
        "a@x.org\nb@y.org",
        "a@x.org\r",
        '"Alice\r\n" <a@x.org>',
        "a@x.org (comment\n more)",
        "Alice (x\ry) <a@x.org>",
        "a@x.org\u2028",
        "a@x.org\x85",
    ],
)
def test_line_breaks_are_refused_anywhere(text: str) -> None:
    assert "line break" in str(refused(text))


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f"])
def test_controls_are_refused(char: str) -> None:
    for text in (f"a{char}b@x.org", f'"A{char}" <a@x.org>', f"a@x.org (c{char})"):
        assert refused(text).offending == char


def test_quoted_display_name_that_looks_like_an_address_keeps_the_real_one() -> None:
    (mailbox,) = parse_address_list('"drsmith@clinic.example" <eve@evil.example>')
    assert mailbox.key == "eve@evil.example"
    assert mailbox.display_name == "drsmith@clinic.example"


def test_quoted_local_part_with_at_sign_is_refused() -> None:
    assert refused('"drsmith@clinic.example"@evil.example').offending == "@"


def test_unquoted_comma_in_name_is_refused_with_a_quoting_hint() -> None:
    error = refused("Smith, John <john@x.org>")
    assert error.offending == "Smith"
    assert "“Smith” is not an e-mail address" in str(error)
    assert '"Smith, John" <john@x.org>' in str(error)


def test_quoted_comma_in_name_gives_two_mailboxes() -> None:
    first, second = parse_address_list('"Smith, John" <john@x.org>, a@y.org')
    assert (first.display_name, first.key) == ("Smith, John", "john@x.org")
    assert (second.display_name, second.key) == ("", "a@y.org")


@pytest.mark.parametrize("text", ["Smith", "John Smith", "Smith, a@x.org", "a@x.org, Smith"])
def test_words_without_address_are_never_a_recipient(text: str) -> None:
    error = refused(text)
    assert "Smith" in error.offending
    assert "is not an e-mail address" in str(error)


def test_name_before_bare_address_asks_for_angle_brackets() -> None:
    error = refused("John Smith john@x.org")
    assert "John Smith <john@x.org>" in str(error)


def test_addresses_without_separator_are_refused() -> None:
    assert "comma" in str(refused("a@x.org b@y.org"))


@pytest.mark.parametrize(
    "char",
    [
        "\uff20",  # FULLWIDTH COMMERCIAL AT
        "\ufe6b",  # SMALL COMMERCIAL AT
    ],
)
def test_at_sign_lookalikes_are_refused(char: str) -> None:
    for text in (f"a{char}b.org", f'"x{char}y" <a@b.org>', f"a@b.org (x{char})"):
        error = refused(text)
        assert error.offending == char
        assert "looks like “@”" in str(error)


@pytest.mark.parametrize(
    "char",
    ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
    + [chr(code) for code in range(0x202A, 0x202F)]
    + [chr(code) for code in range(0x2066, 0x206A)],
)
def test_invisible_and_bidi_characters_are_refused_anywhere(char: str) -> None:
    for text in (
        f"a{char}@x.org",
        f"a@x{char}.org",
        f'"Al{char}ice" <a@x.org>',
        f"Al{char}ice <a@x.org>",
    ):
        error = refused(text)
        assert error.offending == char
        assert f"U+{ord(char):04X}" in str(error)
        assert char not in str(error)  # the message itself must not be reordered or hidden


# --- addr-spec validation --------------------------------------------------------------


def test_local_part_length_limit() -> None:
    assert parse_mailbox("a" * 64 + "@x.org").address.startswith("a" * 64)
    assert "64 bytes" in str(refused("a" * 65 + "@x.org"))
    assert "64 bytes" in str(refused("\u00fc" * 33 + "@x.org"))  # 66 octets in UTF-8


def test_domain_length_limits() -> None:
    assert "63" in str(refused(f"a@{'b' * 64}.org"))
    long_domain = ".".join(["b" * 60] * 5) + ".org"
    assert "253" in str(refused(f"a@{long_domain}"))


@pytest.mark.parametrize(
    "text",
    [
        "a@localhost",
        "a@[192.0.2.1]",
        "a@1.2.3.4",
        "a@-x.org",
        "a@x-.org",
        "a@x_y.org",
        "a@x..org",
        "a@.x.org",
        "a@x.org.",
        ".a@x.org",
        "a.@x.org",
        "a..b@x.org",
        "a@",
        "@x.org",
        "<>",
        "<@relay.example:a@x.org>",
        '""@x.org',
        "a\u00a0b@x.org",
        "a!b\u2603@x.org",
    ],
)
def test_malformed_addr_specs_are_refused(text: str) -> None:
    refused(text)


def test_domain_literal_message_is_clear() -> None:
    assert "IP address" in str(refused("a@[192.0.2.1]"))


def test_single_label_domain_is_refused() -> None:
    assert "localhost" in str(refused("a@localhost"))


@pytest.mark.parametrize("address", ["müller@x.org", "用户@例子.广告", "δοκιμή@παράδειγμα.δοκιμή"])
def test_international_local_parts_of_letters_are_accepted(address: str) -> None:
    assert parse_mailbox(address).address == address


# --- comments, quotes, brackets --------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a@x.org (Alice)",
        "a@x.org (Alice (the boss))",
        "(note) a@x.org",
        "a(note)@x.org",
        "a@(note)x.org",
        "Alice (work) <a@x.org>",
        "<a@x.org> (work)",
        "Alice <(c) a@x.org (c)>",
        "a@x.org (a \\) escaped paren)",
    ],
)
def test_comments_are_ignored(text: str) -> None:
    assert keys(text) == ["a@x.org"]


@pytest.mark.parametrize(
    ("text", "offending"),
    [
        ("a@x.org (note", "("),
        ("a@x.org note)", ")"),
        ("a@x.org ((nested)", "("),
        ('"Alice <a@x.org>', '"'),
        ("Alice <a@x.org", "<"),
        ("<a@x.org>>", ">"),
        ("a@[x.org", "["),
        ("a@x.org]", "]"),
        ("a\\b@x.org", "\\"),
    ],
)
def test_unbalanced_delimiters_are_refused_naming_them(text: str, offending: str) -> None:
    error = refused(text)
    assert error.offending == offending
    assert f"“{offending}”" in str(error)


# --- lists, groups, separators ---------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\t", ",", " , ;, "])
def test_empty_fields_give_no_mailboxes(text: str) -> None:
    assert parse_address_list(text) == ()


def test_empty_elements_trailing_comma_and_semicolons_are_tolerated() -> None:
    assert keys("a@x.org,,b@y.org,") == ["a@x.org", "b@y.org"]
    assert keys("a@x.org; b@y.org;") == ["a@x.org", "b@y.org"]
    assert keys("Alice <a@x.org>; Bob <b@y.org>") == ["a@x.org", "b@y.org"]


def test_groups_give_their_members() -> None:
    assert keys("Team: a@x.org, Bob <b@y.org>;, c@z.org") == ["a@x.org", "b@y.org", "c@z.org"]
    assert keys("undisclosed-recipients:;") == []
    assert keys("Team: a@x.org; c@z.org") == ["a@x.org", "c@z.org"]


@pytest.mark.parametrize("text", ["Team: a@x.org", "Team: Inner: a@x.org;;", ": a@x.org;"])
def test_broken_groups_are_refused(text: str) -> None:
    refused(text)


def test_parse_mailbox_wants_exactly_one() -> None:
    assert parse_mailbox(" Alice <a@x.org> ").key == "a@x.org"
    with pytest.raises(AddressError, match="No e-mail address"):
        parse_mailbox("  ")
    with pytest.raises(AddressError, match="found 2"):
        parse_mailbox("a@x.org, b@y.org")
    with pytest.raises(AddressError, match="group"):
        parse_mailbox("Team: a@x.org;")


# --- properties ------------------------------------------------------------------------

ADDRESSISH = st.lists(
    st.sampled_from(
        [
            *'aZ09.-_+=?@<>()[]",;:\\ \t',
            *("=?utf-8?q?", "?=", "=?utf-8?b?", "=C3=BC", "IMCEAEX-", "xn--", "+2", "example.org"),
            *("\u00fc", "\u0430", "\uff20", "\u200b", "\u3002", "\u212a", "\u0301", "\ufe0f"),
        ]
    ),
    max_size=40,
).map("".join)


def _only_address_errors(text: str) -> None:
    try:
        mailboxes = parse_address_list(text)
    except AddressError:
        return
    for mailbox in mailboxes:
        assert isinstance(mailbox, Mailbox)
        assert mailbox.key == address_key(mailbox.address)
        assert "\r" not in mailbox.display_name and "\n" not in mailbox.display_name
    with contextlib.suppress(AddressError):
        parse_mailbox(text)


@settings(max_examples=300)
@given(st.text())
def test_any_text_gives_mailboxes_or_address_error(text: str) -> None:
    _only_address_errors(text)


@settings(max_examples=500)
@given(ADDRESSISH)
def test_address_like_text_gives_mailboxes_or_address_error(text: str) -> None:
    _only_address_errors(text)


# Each long input as a function of a repeat count, with the count that makes it about
# 100,000 characters: the work at one eighth of that size and at one sixty-fourth shows
# whether the parser stays linear, by lines of Python run rather than by seconds.
LONG_INPUTS: list[tuple[Callable[[int], str], int]] = [
    (lambda n: "a" * n, 100_000),
    (lambda n: "(" * n, 100_000),
    (lambda n: "(" * n + ")" * n, 50_000),
    (lambda n: '"' + "a" * n, 100_000),
    (lambda n: "<" * n, 100_000),
    (lambda n: "a@x.org," * n, 12_500),
    (lambda n: "Team:" + "a@x.org," * n, 12_000),
    (lambda n: "a " * n, 50_000),
    (lambda n: "\\" * n, 100_000),
    (lambda n: "=?utf-8?q?" * n, 10_000),
    (lambda n: "=?utf-8?q?a?= " * n + "<a@x.org>", 7_000),
    (lambda n: "a@" + "b." * n, 50_000),
    (lambda n: "a" * n + "@x.org", 99_990),
    (lambda n: "[" * n, 100_000),
    (lambda n: "x," * n + "<", 50_000),
    (lambda n: "\u00fc" * n, 100_000),
    (lambda n: "\u0430@" * n, 50_000),
]


def _parse(text: str) -> None:
    with contextlib.suppress(AddressError):
        parse_address_list(text)


@pytest.mark.parametrize(("build", "full"), LONG_INPUTS, ids=range(len(LONG_INPUTS)))
def test_long_input_is_handled_in_linear_time(build: Callable[[int], str], full: int) -> None:
    assert_linear(lambda n: _parse(build(n)), full // 64)
    try:
        parse_address_list(build(full))
    except AddressError as error:
        assert len(str(error)) < 1_000
