"""S/MIME MIME wrapping: the headers, base64 lines, streaming, and unwrapping."""

from __future__ import annotations

import base64
import email
import email.policy
import io
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.messages import text
from desktop_app.core.mime.encode import base64_length
from desktop_app.core.smime.algorithms import ContentCipher
from desktop_app.core.smime.envelope_open import open_envelope
from desktop_app.core.smime.envelope_seal import seal_envelope, seal_envelope_into
from desktop_app.core.smime.errors import EnvelopeError
from desktop_app.core.smime.recipient_seal import EnvelopeRecipient
from desktop_app.core.smime.wrap import (
    Base64LineWriter,
    envelope_to_mime,
    mime_header_block,
    mime_to_envelope,
)
from tests.core.smime.conftest import Parties

HEADERS = {
    "From": "Praxis Dr. Weiß <praxis@clinic.example>",
    "To": "Ann <ann@clinic.example>",
    "Subject": "Befund für Frau Müller",
    "Date": "Mon, 01 Jun 2026 12:00:00 +0000",
    "Message-ID": "<1@clinic.example>",
}


def _reference_base64(data: bytes) -> bytes:
    return base64.encodebytes(data).replace(b"\n", b"\r\n")


def test_envelope_message_layout() -> None:
    der = os.urandom(10_000)
    message = envelope_to_mime(der, auth=False, headers=HEADERS)
    head, body = message.split(b"\r\n\r\n", 1)
    assert b"\n" not in message.replace(b"\r\n", b"")  # CRLF only
    assert body == _reference_base64(der)
    assert all(len(line) <= 76 for line in body.split(b"\r\n"))
    parsed = email.message_from_bytes(message, policy=email.policy.default)
    assert parsed.get_content_type() == "application/pkcs7-mime"
    assert parsed.get_param("smime-type") == "enveloped-data"
    assert parsed.get_param("name") == "smime.p7m"
    assert parsed.get_filename() == "smime.p7m"
    assert parsed.get_content_disposition() == "attachment"
    assert parsed["Content-Transfer-Encoding"] == "base64"
    assert parsed["MIME-Version"] == "1.0"
    assert parsed["Subject"] == HEADERS["Subject"]
    assert parsed["From"].addresses[0].display_name == "Praxis Dr. Weiß"
    assert parsed.get_payload(decode=True) == der
    assert head.isascii()
    assert all(len(line) <= 78 for line in head.split(b"\r\n"))


def test_auth_enveloped_type() -> None:
    message = envelope_to_mime(b"\x30\x00", auth=True, headers={})
    parsed = email.message_from_bytes(message, policy=email.policy.default)
    assert parsed.get_param("smime-type") == "authEnveloped-data"


def test_given_mime_version_is_not_repeated() -> None:
    head = mime_header_block(auth=False, headers={"MIME-Version": "1.0"})
    assert head.count(b"MIME-Version") == 1


def test_header_injection_is_refused() -> None:
    with pytest.raises(EnvelopeError, match="line break"):
        mime_header_block(auth=False, headers={"Subject": "hi\r\nBcc: eve@elsewhere.example"})


@pytest.mark.parametrize("name", ["Content-Type", "content-transfer-encoding", "Bad Name", ""])
def test_reserved_or_invalid_header_names(name: str) -> None:
    with pytest.raises(ValueError):
        mime_header_block(auth=False, headers={name: "x"})


@settings(max_examples=100, deadline=None)
@given(
    data=st.binary(max_size=400_000),
    cuts=st.lists(st.integers(0, 400_000), max_size=6),
)
def test_streamed_base64_equals_one_shot(data: bytes, cuts: list[int]) -> None:
    sink = io.BytesIO()
    writer = Base64LineWriter(sink)
    previous = 0
    for cut in [*sorted({min(c, len(data)) for c in cuts}), len(data)]:
        writer.write(data[previous:cut])
        previous = cut
    writer.close()
    assert sink.getvalue() == _reference_base64(data)
    assert len(sink.getvalue()) == base64_length(len(data))


def test_large_input_spans_whole_blocks() -> None:
    data = os.urandom(57 * 2048 * 3 + 100)
    sink = io.BytesIO()
    writer = Base64LineWriter(sink)
    writer.write(memoryview(data))
    writer.close()
    assert sink.getvalue() == _reference_base64(data)


def test_round_trip_through_mime(parties: Parties) -> None:
    content = os.urandom(300_000)
    der = seal_envelope(content, [EnvelopeRecipient(parties.ann.cert)], ContentCipher.AES256_GCM)
    message = envelope_to_mime(der, auth=True, headers=HEADERS)
    assert mime_to_envelope(message) == der
    assert open_envelope(mime_to_envelope(message), parties.ann.cert, parties.ann.key).content == (
        content
    )


def test_streaming_seal_into_base64_file(parties: Parties) -> None:
    content = os.urandom(200_000)
    out = io.BytesIO()
    out.write(mime_header_block(auth=False, headers=HEADERS))
    writer = Base64LineWriter(out)
    seal_envelope_into(writer, content, [EnvelopeRecipient(parties.carol.cert)])
    writer.close()
    der = mime_to_envelope(out.getvalue())
    assert open_envelope(der, parties.carol.cert, parties.carol.key).content == content


def test_legacy_type_and_lf_line_ends() -> None:
    der = os.urandom(500)
    legacy = (
        b"MIME-Version: 1.0\n"
        b'Content-Type: application/x-pkcs7-mime; name="smime.p7m"\n'
        b"Content-Transfer-Encoding: BASE64\n"
        b"\n" + base64.encodebytes(der)
    )
    assert mime_to_envelope(legacy) == der


def test_folded_headers_are_read() -> None:
    der = os.urandom(100)
    message = (
        b"Content-Type: application/pkcs7-mime;\r\n\tsmime-type=enveloped-data;\r\n"
        b' name="smime.p7m"\r\nContent-Transfer-Encoding: base64\r\n\r\n' + _reference_base64(der)
    )
    assert mime_to_envelope(bytearray(message)) == der


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (b"Content-Type: text/plain\r\n\r\nhello", "text/plain"),
        (b"Content-Type: multipart/signed; boundary=x\r\n\r\n--x--", "multipart/signed"),
        (b"Subject: no type\r\n\r\nhello", "text/plain"),
        (b"Content-Type: application/pkcs7-mime\r\n\r\n0\x80", "7bit"),
        (
            b"Content-Type: application/pkcs7-mime\r\nContent-Transfer-Encoding: binary\r\n\r\n0",
            "binary",
        ),
    ],
)
def test_not_an_smime_message(message: bytes, expected: str) -> None:
    with pytest.raises(EnvelopeError, match=expected):
        mime_to_envelope(message)


def test_bad_base64_and_missing_body() -> None:
    head = b"Content-Type: application/pkcs7-mime\r\nContent-Transfer-Encoding: base64\r\n"
    with pytest.raises(EnvelopeError) as caught:
        mime_to_envelope(head + b"\r\nMII")
    assert caught.value.message == text("envelope.bad_base64")
    for message in (head, head + b"\r\n", head + b"\r\n\r\n"):
        with pytest.raises(EnvelopeError) as caught:
            mime_to_envelope(message)
        assert caught.value.message == text("envelope.no_body")
