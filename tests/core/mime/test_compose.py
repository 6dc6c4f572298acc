"""build_inner_mime: canonical, signable MIME with text, HTML and attachments."""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.messages import text
from desktop_app.core.mime.compose import (
    Attachment,
    InnerMessage,
    build_inner_mime,
    guess_content_type,
)
from desktop_app.core.mime.encode import base64_length, quoted_printable
from desktop_app.core.mime.errors import MimeError
from desktop_app.core.mime.filenames import clean_filename, unique_names
from desktop_app.core.mime.parse import parse_inner_mime

SEED = b"test-seed"


def _parse_std(data: bytes) -> email.message.EmailMessage:
    """The stdlib's reading of our output: an independent check of the structure."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, email.message.EmailMessage)
    return message


def _assert_canonical(data: bytes) -> None:
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r" not in data.replace(b"\r\n", b"")
    assert data.isascii()
    for line in data.split(b"\r\n"):
        assert len(line) <= 76, line
        assert not line.endswith((b" ", b"\t")), line
        assert not line.startswith(b"From "), line


def test_text_only_is_a_single_quoted_printable_part() -> None:
    data = build_inner_mime(InnerMessage("Guten Tag,\nanbei der Befund.\n"), boundary_seed=SEED)
    assert data.startswith(b"Content-Type: text/plain; charset=utf-8\r\n")
    assert b"Content-Transfer-Encoding: quoted-printable\r\n\r\n" in data
    assert data.endswith(b"Guten Tag,\r\nanbei der Befund.\r\n")
    _assert_canonical(data)
    assert parse_inner_mime(data).text == "Guten Tag,\nanbei der Befund.\n"


def test_text_that_relays_would_change_is_encoded() -> None:
    text = "From the lab:\nvalue   \n.\n" + "x" * 200 + "\ttab\t\nTräger=ok\r\nend\rCR"
    data = build_inner_mime(InnerMessage(text))
    _assert_canonical(data)
    assert b"=46rom the lab:" in data
    assert b"=2E\r\n" in data
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    assert parse_inner_mime(data).text == expected
    assert _parse_std(data).get_content().replace("\r\n", "\n") == expected


def test_mostly_non_latin_text_is_base64() -> None:
    text = "Здравствуйте! Результаты анализов во вложении.\n" * 3
    data = build_inner_mime(InnerMessage(text))
    assert b"Content-Transfer-Encoding: base64" in data
    _assert_canonical(data)
    assert parse_inner_mime(data).text == text


def test_lone_surrogates_are_refused() -> None:
    with pytest.raises(MimeError):
        build_inner_mime(InnerMessage("bad \udc80 text"))


def test_html_makes_multipart_alternative() -> None:
    data = build_inner_mime(InnerMessage("Hi\n", html="<p>Hi</p>\n"), boundary_seed=SEED)
    _assert_canonical(data)
    message = _parse_std(data)
    assert message.get_content_type() == "multipart/alternative"
    plain, html = message.iter_parts()
    assert plain.get_content() == "Hi\r\n"
    assert html.get_content_type() == "text/html"
    parsed = parse_inner_mime(data)
    assert (parsed.text, parsed.html, parsed.attachments) == ("Hi\n", "<p>Hi</p>\n", ())


def test_attachments_make_multipart_mixed() -> None:
    pdf = b"%PDF-1.7\n" + bytes(range(256)) * 10
    message = InnerMessage(
        "Befund anbei.",
        html="<p>Befund anbei.</p>",
        attachments=(
            Attachment("befund.pdf", pdf),
            Attachment("notes.txt", b"line one\nline two\n", "Text/Plain"),
        ),
    )
    data = build_inner_mime(message, boundary_seed=SEED)
    _assert_canonical(data)
    std = _parse_std(data)
    assert std.get_content_type() == "multipart/mixed"
    body, first, second = std.iter_parts()
    assert body.get_content_type() == "multipart/alternative"
    assert (first.get_filename(), first.get_content_type()) == ("befund.pdf", "application/pdf")
    assert first.get_content_disposition() == "attachment"
    assert first.get_param("name") == "befund.pdf"
    assert first.get_payload(decode=True) == pdf
    assert second.get_content_type() == "text/plain"
    assert second.get_payload(decode=True) == b"line one\nline two\n"  # exact bytes, LF kept
    parsed = parse_inner_mime(data)
    assert [(a.filename, a.content) for a in parsed.attachments] == [
        ("befund.pdf", pdf),
        ("notes.txt", b"line one\nline two\n"),
    ]


def test_base64_lines_are_76_characters() -> None:
    content = bytes(range(256)) * 1000 + b"tail"
    data = build_inner_mime(InnerMessage("x", attachments=(Attachment("a.bin", content),)))
    body = data.split(b"Content-Transfer-Encoding: base64\r\n\r\n")[1].split(b"\r\n\r\n--")[0]
    lines = body.split(b"\r\n")
    assert {len(line) for line in lines[:-1]} == {76}
    assert 0 < len(lines[-1]) <= 76
    assert base64.b64decode(b"".join(lines)) == content


@pytest.mark.parametrize("size", [0, 1, 56, 57, 58, 57 * 1024 - 1, 57 * 1024, 57 * 1024 * 3 + 5])
def test_exact_size_at_chunk_edges(size: int) -> None:
    content = bytes(i % 251 for i in range(size))
    data = build_inner_mime(InnerMessage("x", attachments=(Attachment("a.bin", content),)))
    assert b"\0" not in data  # the buffer was sized exactly: no unwritten bytes remain
    assert data.endswith(b"--\r\n")
    assert parse_inner_mime(data).attachments[0].content == content
    assert len(binascii.b2a_base64(content, newline=False)) + 2 * -(-size // 57) == (
        base64_length(size)
    )


def test_boundaries_are_unique_and_absent_from_every_part() -> None:
    message = InnerMessage(
        "--=_mix_ and =_alt_ in the text\n--",
        html="<p>=_</p>",
        attachments=(Attachment("x.bin", b"--=_mix_" * 1000),),
    )
    data = build_inner_mime(message)
    boundaries = re.findall(rb'boundary="([^"]+)"', data)
    assert len(set(boundaries)) == 2
    outer, inner = boundaries
    assert not outer.startswith(inner) and not inner.startswith(outer)
    for boundary in boundaries:
        lines = data.split(b"\r\n")
        assert all(
            not line.startswith(b"--" + boundary) or line.rstrip(b"-") == b"--" + boundary
            for line in lines
        )
    assert build_inner_mime(message, boundary_seed=SEED) == build_inner_mime(
        message, boundary_seed=SEED
    )
    assert build_inner_mime(message) != build_inner_mime(message)  # random by default


def test_non_ascii_file_names_use_rfc_2231_and_a_name_for_outlook() -> None:
    name = "Befund Müller \u2013 Röntgen.pdf"
    data = build_inner_mime(InnerMessage("x", attachments=(Attachment(name, b"%PDF"),)))
    _assert_canonical(data)
    assert b"filename*=utf-8''Befund%20M%C3%BCller%20%E2%80%93%20R%C3%B6ntgen.pdf" in data
    assert b'name="=?utf-8?B?' in data
    part = next(_parse_std(data).iter_attachments())
    assert part.get_filename() == name
    assert parse_inner_mime(data).attachments[0].filename == name


def test_long_non_ascii_file_names_are_continued() -> None:
    name = "検査結果" * 30 + ".pdf"
    data = build_inner_mime(InnerMessage("x", attachments=(Attachment(name, b"1"),)))
    _assert_canonical(data)
    assert b"filename*0*=utf-8''" in data and b"filename*3*=" in data
    assert next(_parse_std(data).iter_attachments()).get_filename() == name
    assert parse_inner_mime(data).attachments[0].filename == name


def test_long_ascii_file_names_keep_lines_short() -> None:
    name = "Laborbefund_" + "0123456789" * 12 + ".pdf"
    data = build_inner_mime(InnerMessage("x", attachments=(Attachment(name, b"1"),)))
    _assert_canonical(data)
    assert next(_parse_std(data).iter_attachments()).get_filename() == name
    assert parse_inner_mime(data).attachments[0].filename == name


def test_ascii_names_with_quotes_are_quoted() -> None:
    data = build_inner_mime(InnerMessage("x", attachments=(Attachment('a "b" \\c.txt', b"1"),)))
    # Windows forbids '"' in file names; the backslash starts a path component.
    assert parse_inner_mime(data).attachments[0].filename == "c.txt"
    data = build_inner_mime(InnerMessage("x", attachments=(Attachment("it's; x=1.txt", b"1"),)))
    assert b'filename="it\'s; x=1.txt"' in data
    assert next(_parse_std(data).iter_attachments()).get_filename() == "it's; x=1.txt"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("/home/ann/scan.pdf", "scan.pdf"),
        ("C:\\Users\\ann\\scan.pdf", "scan.pdf"),
        ("../../etc/passwd", "passwd"),
        ("scan\x00\r\n.pdf", "scan.pdf"),
        ("photo\u202egnp.exe", "photognp.exe"),  # right-to-left override removed
        ("  report.pdf. ", "report.pdf"),
        ("a<b>c?.txt", "a_b_c_.txt"),
        ("Cafe\u0301.txt", "Café.txt"),  # NFC
        ("report. . .", "report"),
        ("scan\u00a0.pdf\u00a0.", "scan\u00a0.pdf"),  # no-break spaces and dots, mixed
        ("x" * 300 + ".pdf", "x" * 251 + ".pdf"),
    ],
)
def test_file_names_are_cleaned(given: str, expected: str) -> None:
    assert clean_filename(given) == expected
    data = build_inner_mime(InnerMessage("x", attachments=(Attachment(given, b"1"),)))
    assert parse_inner_mime(data).attachments[0].filename == expected


@pytest.mark.parametrize("given", ["", "   ", "/tmp/", "C:\\dir\\", "\x00\x01", "..", "\u202e"])
def test_empty_file_names_are_refused(given: str) -> None:
    with pytest.raises(MimeError) as caught:
        build_inner_mime(InnerMessage("x", attachments=(Attachment(given, b"1"),)))
    assert caught.value.message == text("mime.empty_filename", original=given)


def test_same_names_stay_separate_attachments() -> None:
    attachments = (
        Attachment("scan.pdf", b"first"),
        Attachment("dir/scan.pdf", b"second"),
        Attachment("SCAN.pdf", b"third"),
        Attachment("scan (2).pdf", b"fourth"),
    )
    parsed = parse_inner_mime(build_inner_mime(InnerMessage("x", attachments=attachments)))
    assert [(a.filename, a.content) for a in parsed.attachments] == [
        ("scan.pdf", b"first"),
        ("scan (3).pdf", b"second"),
        ("SCAN (4).pdf", b"third"),
        ("scan (2).pdf", b"fourth"),
    ]
    assert unique_names(["a", "a", ".rc", ".rc"]) == ["a", "a (2)", ".rc", ".rc (2)"]


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("x.pdf", "application/pdf"),
        ("x.PNG", "image/png"),
        ("x.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("x.unknownext", "application/octet-stream"),
        ("noextension", "application/octet-stream"),
        ("x.eml", "application/octet-stream"),  # message/rfc822 may not be base64
    ],
)
def test_content_type_is_guessed_from_the_name(name: str, content_type: str) -> None:
    data = build_inner_mime(InnerMessage("x", attachments=(Attachment(name, b"1"),)))
    assert parse_inner_mime(data).attachments[0].content_type == content_type
    if name != "x.eml":
        assert guess_content_type(name) == content_type


@pytest.mark.parametrize("content_type", ["pdf", "text/plain\r\nBcc: x@example.org", "a/b c"])
def test_invalid_content_types_are_refused(content_type: str) -> None:
    with pytest.raises(MimeError):
        build_inner_mime(InnerMessage("x", attachments=(Attachment("a", b"1", content_type),)))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_quoted_printable_round_trips_and_is_transport_safe(raw: bytes) -> None:
    canonical = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n").replace(b"\n", b"\r\n")
    encoded = quoted_printable(canonical)
    _assert_canonical(encoded)
    assert not any(line == b"." for line in encoded.split(b"\r\n"))
    assert binascii.a2b_qp(encoded) == canonical


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(max_size=300),
    html=st.none() | st.text(max_size=100),
    files=st.lists(
        st.tuples(st.text(min_size=1, max_size=40), st.binary(max_size=300)), max_size=4
    ),
)
def test_compose_then_parse_round_trips(
    text: str, html: str | None, files: list[tuple[str, bytes]]
) -> None:
    attachments = tuple(
        Attachment(name, content) for name, content in files if clean_filename(name)
    )
    try:
        data = build_inner_mime(InnerMessage(text, html, attachments))
    except MimeError:
        assert any("\ud800" <= c <= "\udfff" for c in text + (html or ""))
        return
    _assert_canonical(data)
    parsed = parse_inner_mime(data)

    def normal(value: str) -> str:
        return value.replace("\r\n", "\n").replace("\r", "\n")

    assert parsed.text == normal(text)
    assert parsed.html == (None if html is None else normal(html))
    assert [a.content for a in parsed.attachments] == [a.content for a in attachments]
    names = unique_names([clean_filename(a.filename) for a in attachments])
    assert [a.filename for a in parsed.attachments] == names
