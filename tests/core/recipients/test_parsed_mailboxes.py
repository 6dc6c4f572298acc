"""What a parsed mailbox holds: its comparison key, display name, kind (SMTP or Exchange
legacy DN) and lookalike-domain notices, and that written mailboxes read back the same."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.recipients.addresses import (
    AddressError,
    Mailbox,
    MailboxKind,
    domain_notices,
    parse_address_list,
    parse_mailbox,
    written_form,
)
from desktop_app.core.recipients.normalise import address_key
from tests.core.recipients.address_parsing import keys, refused

LEGACY = "IMCEAEX-_O=ORG_OU=EXCHANGE+20ADMINISTRATIVE+20GROUP_CN=RECIPIENTS_CN=JDOE@clinic.example"


# --- comparison keys -------------------------------------------------------------------


def test_domain_is_case_insensitive_and_local_part_ascii_case_insensitive() -> None:
    assert keys("Alice@Example.ORG") == keys("alice@example.org") == ["alice@example.org"]


def test_kelvin_sign_is_not_folded_to_k() -> None:
    assert parse_mailbox("\u212aelvin@x.org").key != parse_mailbox("kelvin@x.org").key


def test_idn_domains_compare_in_a_label_form() -> None:
    unicode_form = parse_mailbox("a@bücher.example")
    assert unicode_form.key == parse_mailbox("a@xn--bcher-kva.example").key
    assert unicode_form.key == parse_mailbox("a@BÜCHER.example").key == "a@xn--bcher-kva.example"
    assert unicode_form.address == "a@bücher.example"


@pytest.mark.parametrize(
    "domain", ["xn--zz.example", "ex\u00e4mple\u2603.org", "b\u00fccher-.example"]
)
def test_invalid_idn_is_refused(domain: str) -> None:
    with pytest.raises(AddressError):
        parse_mailbox(f"a@{domain}")


def test_dot_lookalike_in_idn_is_refused() -> None:
    assert "looks like a dot" in str(refused("a@b\u00fccher\u3002example.org"))


def test_needless_quotes_do_not_make_another_mailbox() -> None:
    assert parse_mailbox('"john"@x.org') == parse_mailbox("john@x.org")
    quoted = parse_mailbox('"john smith"@x.org')
    assert quoted.address == '"john smith"@x.org'
    assert quoted.key == address_key(quoted.address)


# --- display names ---------------------------------------------------------------------


def test_encoded_word_display_name_is_decoded() -> None:
    (mailbox,) = parse_address_list("=?utf-8?q?M=C3=BCller?= <m@x.org>")
    assert mailbox.display_name == "Müller"


def test_adjacent_encoded_words_join_without_space() -> None:
    (mailbox,) = parse_address_list("=?UTF-8?B?SsO2cmc=?= =?utf-8?q?_M=C3=BCller?= Jr <m@x.org>")
    assert mailbox.display_name == "Jörg Müller Jr"


def test_encoded_word_in_quotes_and_unknown_charset() -> None:
    assert parse_mailbox('"=?iso-8859-1?q?Fran=E7ois?=" <f@x.org>').display_name == "François"
    assert parse_mailbox("=?x-nope?q?abc?= <f@x.org>").display_name == "=?x-nope?q?abc?="


@pytest.mark.parametrize(
    "name",
    ["=?utf-8?q?Eve=0D=0ABcc=3A_x=40y.org?=", "=?utf-8?b?RXZlAA==?=", "=?utf-8?q?A=E2=80=AEB?="],
)
def test_decoded_display_name_with_controls_is_refused(name: str) -> None:
    error = refused(f"{name} <eve@x.org>")
    assert error.offending == name


def test_display_name_whitespace_is_normalised() -> None:
    mailbox = parse_mailbox('  John \t "Q."   Public  <jqp@x.org>')
    assert mailbox.display_name == "John Q. Public"


# --- Exchange legacy DN ----------------------------------------------------------------


def test_imceaex_address_carries_its_legacy_dn() -> None:
    mailbox = parse_mailbox(f'"Doe, John" <{LEGACY}>')
    assert mailbox.kind is MailboxKind.EXCHANGE_LEGACY_DN
    assert mailbox.legacy_dn == "/O=ORG/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=JDOE"
    assert mailbox.key == address_key(LEGACY)
    assert mailbox.display_name == "Doe, John"


def test_imceaex_escapes_for_parentheses_and_dots() -> None:
    local = "IMCEAEX-_O=ORG_OU=EXCHANGE+20GROUP+20+28FYDIBOHF23SPDLT+29_CN=J+2EDOE"
    mailbox = parse_mailbox(f"{local}@clinic.example")
    assert mailbox.legacy_dn == "/O=ORG/OU=EXCHANGE GROUP (FYDIBOHF23SPDLT)/CN=J.DOE"


@pytest.mark.parametrize(
    "local", ["IMCEAEX-_O=ORG+2G", "IMCEAEX-_O=ORG+2", "IMCEAEX-_O=+0A", "IMCEAEX-O"]
)
def test_malformed_imceaex_is_refused(local: str) -> None:
    assert "Exchange" in str(refused(f"{local}@clinic.example"))


def test_ordinary_address_is_smtp_kind() -> None:
    mailbox = parse_mailbox("a@x.org")
    assert (mailbox.kind, mailbox.legacy_dn) == (MailboxKind.SMTP, None)


# --- lookalike domains -----------------------------------------------------------------


def test_mixed_script_domain_gets_a_notice() -> None:
    mailbox = parse_mailbox("a@ex\u0430mple.org")  # CYRILLIC SMALL LETTER A
    (notice,) = domain_notices(mailbox)
    assert notice.code == "lookalike_domain"
    assert notice.address == mailbox.key
    assert "Cyrillic and Latin" in notice.message
    assert "xn--" in notice.message


@pytest.mark.parametrize(
    "domain",
    [
        "\u0430\u0440\u0440\u04cf\u0435.com",  # Cyrillic "apple", every letter a lookalike
        "xn--80ak6aa92e.com",  # the same, as written in A-label form
        "\u03bf\u03ba.org",  # Greek "ok"
        "\u0261oogle.com",  # LATIN SMALL LETTER SCRIPT G
        "pa\u03c1pal.com",  # Greek rho among Latin letters
    ],
)
def test_lookalike_domains_get_a_notice(domain: str) -> None:
    notices = domain_notices(parse_mailbox(f"a@{domain}"))
    assert [notice.code for notice in notices] == ["lookalike_domain"]


@pytest.mark.parametrize(
    "domain",
    ["example.org", "bücher.example", "пример.рф", "例え.テスト", "한국.kr", "παράδειγμα.δοκιμή"],
)
def test_ordinary_domains_get_no_notice(domain: str) -> None:
    assert domain_notices(parse_mailbox(f"a@{domain}")) == ()


def test_legacy_dn_mailbox_has_no_domain_notice() -> None:
    assert domain_notices(parse_mailbox(LEGACY)) == ()


# --- round trips -----------------------------------------------------------------------

DOT_ATOM_PART = st.text(alphabet="abcXYZ019!#$%&'*+-/=?^_`{|}~", min_size=1, max_size=8)
LABEL = st.from_regex(r"[a-zA-Z0-9]([a-zA-Z0-9-]{0,8}[a-zA-Z0-9])?", fullmatch=True)
NAME = st.text(alphabet=st.sampled_from(list("Alice Bob,.:;<>@()\\\"'ü-")), max_size=20)


@st.composite
def addr_specs(draw: st.DrawFn) -> str:
    local = ".".join(draw(st.lists(DOT_ATOM_PART, min_size=1, max_size=3)))
    labels = draw(st.lists(LABEL, min_size=1, max_size=3))
    tld = draw(st.from_regex(r"[a-zA-Z]{2,6}", fullmatch=True))
    return f"{local}@{'.'.join([*labels, tld])}"


@settings(max_examples=200)
@given(addr_specs(), NAME)
def test_formatted_mailbox_parses_back_to_the_same_key(address: str, name: str) -> None:
    plain = parse_mailbox(address)
    assert plain.address == address
    quoted_name = name.replace("\\", "\\\\").replace('"', '\\"')
    named = parse_mailbox(f'"{quoted_name}" <{address}>')
    assert named.key == plain.key
    assert named.display_name == " ".join(name.split())
    (listed,) = parse_address_list(f'{address} (comment), , "{quoted_name}" <{address}>')[:1]
    assert listed.key == plain.key


@settings(max_examples=200)
@given(addr_specs(), st.lists(st.booleans(), min_size=60, max_size=60))
def test_ascii_case_changes_do_not_change_the_key(address: str, flips: list[bool]) -> None:
    recased = "".join(
        char.swapcase() if flips[index % len(flips)] else char for index, char in enumerate(address)
    )
    assert parse_mailbox(recased).key == parse_mailbox(address).key == address.lower()


@pytest.mark.parametrize(
    "name", ["Lee, Dr. Jordan", 'Quote "me"', "Back\\slash", "Plain Name", "Dr. Jo"]
)
def test_written_form_reads_back_as_the_same_mailbox(name: str) -> None:
    mailbox = Mailbox("jo@x.org", "jo@x.org", name)
    (again,) = parse_address_list(written_form(mailbox))
    assert (again.display_name, again.key) == (name, "jo@x.org")
