"""parse_inner_mime: what Outlook, Thunderbird, Apple Mail and phones send."""

from __future__ import annotations

import hashlib

import pytest

from desktop_app.core.mime.compose import Attachment, InnerMessage, build_inner_mime
from desktop_app.core.mime.errors import MimeError
from desktop_app.core.mime.parse import parse_inner_mime
from tests.core.mime.messages import (
    OUTLOOK_SIGNED,
    OUTLOOK_SIGNED_CONTENT_START,
    PDF,
    PNG,
    SIGNATURE,
    b64,
    crlf,
)


def _mixed(*parts: str, text: str = "Body\n") -> bytes:
    body = "".join(f"--b1\n{part}\n" for part in parts)
    return crlf(
        'Content-Type: multipart/mixed; boundary="b1"\n\n'
        f"--b1\nContent-Type: text/plain; charset=utf-8\n\n{text}\n{body}--b1--\n"
    )


def test_outlook_signed_message_with_nested_mixed_and_name_only() -> None:
    parsed = parse_inner_mime(OUTLOOK_SIGNED)
    assert parsed.text == "Sehr geehrte Frau Müller, \nanbei der Befund \u2013 mit “Anhängen”.\n"
    assert parsed.html is not None and "Frau Müller" in parsed.html
    names = [(a.filename, a.content_type, a.inline) for a in parsed.attachments]
    assert names == [
        ("image001.png", "image/png", True),
        ("Befund_Müller_2026.pdf", "application/octet-stream", False),
        ("Laborwerte.xlsx", "application/octet-stream", False),
    ]
    image, pdf, sheet = parsed.attachments
    assert image.content == PNG and image.content_id == "image001.png@01DA"
    assert pdf.content == PDF
    assert (pdf.size, pdf.sha256) == (len(PDF), hashlib.sha256(PDF).hexdigest())
    assert sheet.content == b"PK\x03\x04 spreadsheet"
    assert not any(a.name_generated for a in parsed.attachments)
    assert parsed.headers.from_ == "Dr. Jürgen Müller <juergen@clinic.example>"
    assert parsed.headers.to == "Ann <ann@clinic.example>"
    assert parsed.headers.cc == "bob@clinic.example"
    assert parsed.headers.subject == "Befund für Frau Müller"
    assert parsed.headers.date == "Tue, 2 Jun 2026 09:15:00 +0200"
    assert parsed.headers.message_id == "<DB9PR01MB1234@outlook.example>"
    (nested,) = parsed.nested_smime
    assert (nested.kind, nested.path, nested.cms) == ("multipart/signed", "", SIGNATURE)
    # The signed bytes: from the first part's headers up to the CRLF before the delimiter.
    assert nested.signed_content is not None
    assert nested.signed_content.startswith(OUTLOOK_SIGNED_CONTENT_START)
    assert nested.signed_content.endswith(b"------=_NextPart_001_0002_01DA0000.00000000--\r\n")
    assert nested.signed_content in OUTLOOK_SIGNED


def test_two_messages_in_a_row_keep_their_own_names_and_contents() -> None:
    first = build_inner_mime(
        InnerMessage("first", attachments=(Attachment("Befund-Meier.pdf", b"meier"),))
    )
    second = _mixed(
        "Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n" + b64(b"schulz")
    )
    one = parse_inner_mime(first)
    two = parse_inner_mime(second)
    again = parse_inner_mime(first)
    assert [(a.filename, a.content) for a in one.attachments] == [("Befund-Meier.pdf", b"meier")]
    # The nameless part of the second message is never given the previous message's name.
    assert [(a.filename, a.content, a.name_generated) for a in two.attachments] == [
        ("attachment-1.pdf", b"schulz", True)
    ]
    assert (one.text, two.text) == ("first", "Body\n")
    assert again == one and again is not one
    assert again.attachments[0] is not one.attachments[0]
    # Outlook-made, then a plain one: nothing of the first leaks into the second.
    outlook = parse_inner_mime(OUTLOOK_SIGNED)
    plain = parse_inner_mime(crlf("Content-Type: text/plain\n\nhello\n"))
    assert (plain.text, plain.attachments, plain.nested_smime) == ("hello\n", (), ())
    assert len(outlook.attachments) == 3


def test_rfc_2231_continuations_and_charset() -> None:
    parsed = parse_inner_mime(
        _mixed(
            "Content-Type: application/pdf\n"
            "Content-Disposition: attachment;\n"
            " filename*0*=utf-8'de'Bef%C3;\n filename*1*=%BCnd%20Teil;\n"
            ' filename*2=" 2.pdf"\n'
            "Content-Transfer-Encoding: base64\n\n" + b64(b"1"),
            "Content-Type: text/plain\n"
            "Content-Disposition: attachment; filename*=iso-8859-1''Gr%FC%DFe.txt\n\n"
            "hi",
        )
    )
    assert [a.filename for a in parsed.attachments] == ["Befünd Teil 2.pdf", "Grüße.txt"]


def test_extended_file_name_wins_over_plain_one() -> None:
    parsed = parse_inner_mime(
        _mixed(
            "Content-Type: application/pdf; name=fallback.pdf\n"
            'Content-Disposition: attachment; filename="fallback.pdf";\n'
            " filename*=UTF-8''%E2%82%AC-Rechnung.pdf\n\nx"
        )
    )
    assert parsed.attachments[0].filename == "€-Rechnung.pdf"


def test_rfc_2047_encoded_word_file_names() -> None:
    parsed = parse_inner_mime(
        _mixed(
            "Content-Type: application/pdf;\n"
            ' name="=?windows-1252?Q?Gr=FC=DFe_von_M=FCller?= =?utf-8?B?LnBkZg==?="\n\nx',
            "Content-Type: application/octet-stream\n"
            'Content-Disposition: attachment; filename="=?UTF-8?B?w6TDtsO8?=\n'
            ' =?UTF-8?B?LmRvY3g=?="\n\nx',
        )
    )
    assert [a.filename for a in parsed.attachments] == ["Grüße von Müller.pdf", "äöü.docx"]


def test_attached_message_and_missing_names() -> None:
    inner = "From: a@example.org\nSubject: Re: Termin am Montag\n\nJa.\n"
    parsed = parse_inner_mime(
        _mixed(
            "Content-Type: message/rfc822\n\n" + inner,
            "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
            + b64(b"\x00\x01"),
            "Content-Type: image/png\nContent-Disposition: attachment\n"
            "Content-Transfer-Encoding: base64\n\n" + b64(PNG),
            "Content-Type: message/rfc822\n\nTo: b@example.org\n\nno subject\n",
        )
    )
    assert [(a.filename, a.name_generated) for a in parsed.attachments] == [
        ("Re_ Termin am Montag.eml", True),
        ("attachment-1.bin", True),
        ("attachment-2.png", True),
        ("attachment-3.eml", True),
    ]
    assert parsed.attachments[0].content == crlf(inner)
    assert parsed.attachments[1].content == b"\x00\x01"


def test_charsets_and_transfer_encodings() -> None:
    latin = "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\n"
    parsed = parse_inner_mime(latin.encode() + b"\x93Gr\xfc\xdfe\x94 \x80 5\r\n")
    assert parsed.text == "“Grüße” € 5\n"  # labelled latin-1, written as windows-1252
    raw_utf8 = "Content-Type: text/plain\nContent-Transfer-Encoding: 8bit\n\n"
    assert parse_inner_mime(raw_utf8.encode() + "Grüße".encode()).text == "Grüße"
    unknown = "Content-Type: text/plain; charset=x-no-such-charset\n\n"
    assert parse_inner_mime(unknown.encode() + "Grüße".encode()).text == "Grüße"
    not_text = "Content-Type: text/plain; charset=base64\n\n"
    assert parse_inner_mime(not_text.encode() + b"Gr\xfc\xdfe").text == "Grüße"
    koi8 = "Content-Type: text/plain; charset=koi8-r\nContent-Transfer-Encoding: base64\n\n"
    body = b64("Привет".encode("koi8-r"))
    assert parse_inner_mime((koi8 + body).encode()).text == "Привет\n".strip()


def test_flowed_text_is_joined() -> None:
    head = "Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\n\n"
    body = "This is a long \nparagraph.\n>quoted\n-- \nsig\n"
    assert (
        parse_inner_mime(crlf(head + body)).text == "This is a longparagraph.\n>quoted\n-- \nsig\n"
    )
    head = "Content-Type: text/plain; format=flowed\n\n"
    assert parse_inner_mime(crlf(head + " From here \non.")).text == "From here on."


def test_inline_text_parts_around_a_picture_are_all_body() -> None:
    parsed = parse_inner_mime(
        _mixed(
            "Content-Type: image/jpeg\nContent-Disposition: inline\n"
            "Content-Transfer-Encoding: base64\n\n" + b64(b"\xff\xd8jpeg"),
            "Content-Type: text/plain\n\nafter the picture",
            text="before",
        )
    )
    assert parsed.text == "before\nafter the picture"
    assert [(a.filename, a.inline) for a in parsed.attachments] == [("attachment-1.jpg", True)]


def test_lf_only_message_without_close_delimiter_and_with_preamble() -> None:
    data = (
        b'Content-Type: multipart/mixed; boundary="xyz"\n\npreamble\n--xyz\n\nplain\n'
        b"--xyzNOT a delimiter\n--xyz  \nContent-Type: application/pdf; name=a.pdf\n\n%PDF"
    )
    parsed = parse_inner_mime(data)
    assert parsed.text == "plain\n--xyzNOT a delimiter"
    assert [(a.filename, a.content) for a in parsed.attachments] == [("a.pdf", b"%PDF")]


def test_nested_envelope_and_opaque_signature_are_flagged() -> None:
    parsed = parse_inner_mime(
        _mixed(
            "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\n"
            "Content-Transfer-Encoding: base64\n\n" + b64(b"envelope"),
            "Content-Type: application/x-pkcs7-mime; name=smime.p7m\n"
            "Content-Transfer-Encoding: base64\n\n" + b64(b"opaque"),
        )
    )
    assert [(n.kind, n.path, n.cms) for n in parsed.nested_smime] == [
        ("enveloped-data", "2", b"envelope"),
        ("", "3", b"opaque"),
    ]
    assert parsed.has_nested_smime and parsed.attachments == ()


def test_damaged_base64_yields_what_it_can() -> None:
    parsed = parse_inner_mime(
        _mixed(
            "Content-Type: application/pdf; name=a.pdf\nContent-Transfer-Encoding: base64\n\n"
            "JVBER!!!i0xLjQ"
        )
    )
    assert parsed.attachments[0].content == b"%PDF-1.4"


def test_headers_absent_or_garbled() -> None:
    parsed = parse_inner_mime(b"just text, no headers\r\n\r\nat all")
    assert parsed.text == "just text, no headers\n\nat all"
    assert parsed.headers.subject is None
    parsed = parse_inner_mime(b"Subject: =?utf-8?B?!!!?= =?nope?Q?a_b?=\r\n\r\nx")
    assert parsed.headers.subject == "a b"


def test_multipart_without_boundary_is_an_error() -> None:
    with pytest.raises(MimeError):
        parse_inner_mime(b"Content-Type: multipart/mixed\r\n\r\n--x\r\n\r\nbody\r\n--x--\r\n")
    with pytest.raises(MimeError):
        parse_inner_mime(b'Content-Type: multipart/mixed; boundary="q"\r\n\r\nno parts at all')
