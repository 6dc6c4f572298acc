"""Reply, Reply All and Forward: who the draft starts addressed to, and what it is about."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.errors import UserFacingError
from desktop_app.core.recipients.addresses import Mailbox
from desktop_app.core.recipients.replies import (
    ComposeAction,
    MessageFormatError,
    OriginalMessage,
    Prefill,
    parse_original,
    prefill,
)
from tests.core.recipients.originals import OWN, eml


def keys(mailboxes: tuple[Mailbox, ...]) -> list[str]:
    return [mailbox.key for mailbox in mailboxes]


GROUP_MESSAGE = eml(
    "From: Dr Ann <ann@clinic.example>",
    "To: Me <ME@Clinic.Example>, Bob <bob@partner.example>,",
    " =?utf-8?q?J=C3=B6rg?= <joerg@partner.example>",
    "Cc: me@CLINIC.example, Cy <cy@partner.example>, ann@clinic.example",
    "Bcc: hidden@secret.example",
    "Subject: Lab results",
    "Message-ID: <m2@clinic.example>",
    "References: <m0@clinic.example> <m1@clinic.example>",
)


def reply_all(eml_bytes: bytes) -> Prefill:
    return prefill(parse_original(eml_bytes), ComposeAction.REPLY_ALL, OWN)


# --- parse_original --------------------------------------------------------------------


def test_headers_are_read_with_folding_and_encoded_words() -> None:
    original = parse_original(GROUP_MESSAGE)
    assert keys(original.sender) == ["ann@clinic.example"]
    assert keys(original.to) == [
        "me@clinic.example",
        "bob@partner.example",
        "joerg@partner.example",
    ]
    assert original.to[2].display_name == "Jörg"
    assert keys(original.cc) == ["me@clinic.example", "cy@partner.example", "ann@clinic.example"]
    assert original.reply_to == ()
    assert original.subject == "Lab results"
    assert original.message_id == "<m2@clinic.example>"
    assert original.references == ("<m0@clinic.example>", "<m1@clinic.example>")
    assert original.encrypted is False


def test_bcc_of_the_original_is_not_read() -> None:
    original = parse_original(GROUP_MESSAGE)
    every_key = keys(original.sender + original.reply_to + original.to + original.cc)
    assert "hidden@secret.example" not in every_key
    garbage_bcc = b"From: a@x.org\r\nBcc: )(not an address \xff\r\n\r\nbody"
    assert parse_original(garbage_bcc).to == ()


def test_folded_subject_with_encoded_words_and_lf_line_endings() -> None:
    original = parse_original(
        eml(
            "From: a@x.org",
            "Subject: =?utf-8?q?Befund_f=C3=BCr?=",
            "\t=?utf-8?b?IE3DvGxsZXI=?= (Station 3)",
            newline="\n",
        )
    )
    assert original.subject == "Befund für Müller (Station 3)"


def test_raw_utf8_headers_are_accepted() -> None:
    original = parse_original(eml("From: Jörg Müller <jörg@bücher.example>", "Subject: Grüße"))
    assert original.sender[0].display_name == "Jörg Müller"
    assert original.sender[0].key == "jörg@xn--bcher-kva.example"
    assert original.subject == "Grüße"


def test_malformed_to_header_is_named() -> None:
    with pytest.raises(MessageFormatError) as caught:
        parse_original(eml("From: a@x.org", "To: alice@example.org)<bob@example.org>"))
    assert caught.value.header == "To"
    assert "The To header" in str(caught.value)
    assert "unexpected “)”" in str(caught.value)


def test_unquoted_comma_name_in_cc_is_refused_not_split() -> None:
    with pytest.raises(MessageFormatError) as caught:
        parse_original(eml("From: a@x.org", "Cc: Smith, John <john@x.org>"))
    assert caught.value.header == "Cc"
    assert "Smith" in str(caught.value)


@pytest.mark.parametrize(
    ("header", "raw"),
    [
        ("To", b"To: J\xf6rg <j@x.org>"),
        ("From", b"From: \xff\xfe\xfd <a@x.org>"),
        ("Subject", b"Subject: caf\xe9"),
        ("Reply-To", b"Reply-To: \xc3 <r@x.org>"),
    ],
)
def test_non_utf8_bytes_in_a_used_header_are_a_typed_error(header: str, raw: bytes) -> None:
    base = b"From: a@x.org\r\n" if header != "From" else b""
    with pytest.raises(MessageFormatError) as caught:
        parse_original(base + raw + b"\r\n\r\nbody \xff\r\n")
    assert caught.value.header == header


def test_non_utf8_bytes_elsewhere_are_ignored() -> None:
    original = parse_original(b"From: a@x.org\r\nX-Mailer: \xff\xfe\r\n\r\n\xff body")
    assert keys(original.sender) == ["a@x.org"]


def test_message_without_from_is_refused() -> None:
    with pytest.raises(MessageFormatError) as caught:
        parse_original(b"To: a@x.org\r\nSubject: hi\r\n\r\nbody")
    assert caught.value.header == "From"


def test_encoded_line_break_in_subject_is_refused() -> None:
    with pytest.raises(MessageFormatError) as caught:
        parse_original(eml("From: a@x.org", "Subject: =?utf-8?q?hi=0D=0ABcc=3A_x=40y.org?="))
    assert caught.value.header == "Subject"


def test_malformed_threading_ids_are_skipped() -> None:
    original = parse_original(
        eml(
            "From: a@x.org",
            "Message-ID: not-an-id",
            "References: <ok@x.org> junk <bad id@x.org> <ok2@x.org> <ok@x.org>",
        )
    )
    assert original.message_id is None
    assert original.references == ("<ok@x.org>", "<ok2@x.org>")


def test_in_reply_to_stands_in_for_missing_references() -> None:
    original = parse_original(
        eml("From: a@x.org", "Message-ID: <c@x.org>", "In-Reply-To: <p@x.org>")
    )
    assert original.references == ("<p@x.org>",)


@pytest.mark.parametrize(
    ("content_type", "encrypted"),
    [
        ('application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"', True),
        ("application/pkcs7-mime; smime-type=authEnveloped-data", True),
        ('Application/X-PKCS7-MIME; name="smime.p7m"', True),
        ('application/x-pkcs7-mime;\r\n\tsmime-type="enveloped-data"', True),
        ("application/pkcs7-mime; smime-type=signed-data", False),
        ("application/pkcs7-mime; smime-type=certs-only", False),
        ('multipart/signed; protocol="application/pkcs7-signature"', False),
        ("text/plain; charset=utf-8", False),
    ],
)
def test_encrypted_is_read_from_content_type(content_type: str, encrypted: bool) -> None:
    original = parse_original(eml("From: a@x.org", f"Content-Type: {content_type}"))
    assert original.encrypted is encrypted


def test_missing_content_type_is_not_encrypted() -> None:
    assert parse_original(eml("From: a@x.org")).encrypted is False


# --- prefill ---------------------------------------------------------------------------


def test_reply_goes_to_reply_to_when_present() -> None:
    original = parse_original(
        eml(
            "From: Ann <ann@clinic.example>",
            "Reply-To: Lab Desk <lab@clinic.example>",
            "To: me@clinic.example, bob@partner.example",
            "Subject: Lab results",
            "Message-ID: <m2@clinic.example>",
        )
    )
    result = prefill(original, ComposeAction.REPLY, OWN)
    assert keys(result.to) == ["lab@clinic.example"]
    assert result.cc == ()
    assert result.subject == "Re: Lab results"
    assert result.in_reply_to == "<m2@clinic.example>"
    assert result.references == ("<m2@clinic.example>",)


def test_reply_goes_to_sender_without_reply_to() -> None:
    result = prefill(parse_original(GROUP_MESSAGE), ComposeAction.REPLY, OWN)
    assert keys(result.to) == ["ann@clinic.example"]
    assert result.references == (
        "<m0@clinic.example>",
        "<m1@clinic.example>",
        "<m2@clinic.example>",
    )


def test_reply_all_removes_own_addresses_whatever_their_case_and_duplicates() -> None:
    result = reply_all(GROUP_MESSAGE)
    assert keys(result.to) == ["ann@clinic.example", "bob@partner.example", "joerg@partner.example"]
    assert keys(result.cc) == ["cy@partner.example"]  # ann is already in To
    assert result.in_reply_to == "<m2@clinic.example>"


def test_reply_all_uses_reply_to_instead_of_from() -> None:
    result = reply_all(
        eml(
            "From: ann@clinic.example",
            "Reply-To: lab@clinic.example, me@clinic.example",
            "To: me@clinic.example",
            "Cc: lab@CLINIC.example",
        )
    )
    assert keys(result.to) == ["lab@clinic.example"]
    assert result.cc == ()


def test_reply_all_never_copies_bcc() -> None:
    result = reply_all(GROUP_MESSAGE)
    assert "hidden@secret.example" not in keys(result.to + result.cc)


def test_forward_starts_without_recipients() -> None:
    result = prefill(parse_original(GROUP_MESSAGE), ComposeAction.FORWARD, OWN)
    assert (result.to, result.cc, result.in_reply_to) == ((), (), None)
    assert result.subject == "Fwd: Lab results"
    assert result.references[-1] == "<m2@clinic.example>"


def test_new_message_starts_empty() -> None:
    result = prefill(parse_original(GROUP_MESSAGE), ComposeAction.NEW, OWN)
    assert result == Prefill(to=(), cc=(), subject="", in_reply_to=None, references=())


@pytest.mark.parametrize(
    ("subject", "action", "expected"),
    [
        ("Results", ComposeAction.REPLY, "Re: Results"),
        ("Re: Results", ComposeAction.REPLY, "Re: Results"),
        ("RE: Results", ComposeAction.REPLY_ALL, "RE: Results"),
        ("AW: Befund", ComposeAction.REPLY, "AW: Befund"),
        ("re:Results", ComposeAction.REPLY, "re:Results"),
        ("Fwd: Results", ComposeAction.REPLY, "Re: Fwd: Results"),
        ("Results", ComposeAction.FORWARD, "Fwd: Results"),
        ("FW: Results", ComposeAction.FORWARD, "FW: Results"),
        ("fwd: Results", ComposeAction.FORWARD, "fwd: Results"),
        ("Re: Results", ComposeAction.FORWARD, "Fwd: Re: Results"),
        ("", ComposeAction.REPLY, "Re: "),
        ("Reply needed", ComposeAction.REPLY, "Re: Reply needed"),
    ],
)
def test_subject_prefixes(subject: str, action: ComposeAction, expected: str) -> None:
    original = OriginalMessage(
        sender=(),
        reply_to=(),
        to=(),
        cc=(),
        subject=subject,
        message_id=None,
        references=(),
        encrypted=False,
    )
    assert prefill(original, action, OWN).subject == expected


# --- robustness ------------------------------------------------------------------------

HEADERISH = st.lists(
    st.sampled_from(
        [
            b"From: ",
            b"To: ",
            b"Cc: ",
            b"Reply-To: ",
            b"Subject: ",
            b"Message-ID: ",
            b"References: ",
            b"Content-Type: ",
            b"a@x.org",
            b"<b@y.org>",
            b'"N, M" ',
            b"=?utf-8?q?=C3=BC?=",
            b"=?utf-8?b?",
            b"\r\n",
            b"\n",
            b"\r",
            b"\r\n ",
            b"\t",
            b",",
            b";",
            b"(",
            b")",
            b"\xff",
            b"\xc3\xbc",
            b"\x00",
            b":",
            b"application/pkcs7-mime; smime-type=",
        ]
    ),
    max_size=40,
).map(b"".join)


def _only_user_facing_errors(data: bytes) -> None:
    try:
        original = parse_original(data)
    except UserFacingError:
        return
    for action in ComposeAction:
        prefill(original, action, OWN)


@settings(max_examples=200)
@given(st.binary(max_size=400))
def test_any_bytes_give_a_message_or_a_user_facing_error(data: bytes) -> None:
    _only_user_facing_errors(data)


@settings(max_examples=400)
@given(HEADERISH)
def test_header_like_bytes_give_a_message_or_a_user_facing_error(data: bytes) -> None:
    _only_user_facing_errors(b"From: a@x.org\r\n" + data)
    _only_user_facing_errors(data)
