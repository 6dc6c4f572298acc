"""Messages the user chose to send unencrypted: one per audience, Bcc never in a header,
signed when asked and verifiable by our own reader."""

import email
import email.policy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.smime.errors import EnvelopeError
from desktop_app.core.smime.open_message import open_message
from desktop_app.core.smime.outer_headers import folded_header_lines
from desktop_app.core.smime.unencrypted import CannotSignError, unencrypted_messages
from tests.core.smime.sealing import CA, ME, identity, outgoing
from tests.factories.certs import NOW

TRUST = TrustContext(anchors=(CA.cert,))


def headers(message: bytes) -> email.message.EmailMessage:
    parsed = email.message_from_bytes(message, policy=email.policy.default)
    assert isinstance(parsed, email.message.EmailMessage)
    return parsed


def test_to_and_cc_share_one_message_and_each_bcc_gets_its_own() -> None:
    message = outgoing(
        "ann@clinic.example", cc="bob@partner.example", bcc="x@a.example, y@b.example"
    )

    messages = unencrypted_messages(message, identity=None, sign=False, at=NOW)

    shared, *blind = map(headers, messages)
    assert shared["To"] == "ann@clinic.example" and shared["Cc"] == "bob@partner.example"
    assert [b["To"] for b in blind] == ["x@a.example", "y@b.example"]
    for parsed in (shared, *blind):
        assert parsed["Bcc"] is None
        assert parsed["From"] == "Me <me@clinic.example>"
        assert parsed["Subject"] == "Results"
        assert parsed["In-Reply-To"] == "<m1@x>"
    assert all(b["Cc"] is None for b in blind)
    assert len({parsed["Message-ID"] for parsed in (shared, *blind)}) == 3


def test_the_body_and_attachment_are_readable_and_a_signature_verifies() -> None:
    message = outgoing("ann@clinic.example")

    (signed,) = unencrypted_messages(message, identity=identity(ME), sign=True, at=NOW)

    opened = open_message(signed, identity=None, trust=TRUST, at=NOW)
    assert opened.encryption is None
    assert opened.signature is not None and opened.signature.valid
    assert opened.message.text == "Results attached.\n"
    assert [(a.filename, a.content) for a in opened.message.attachments] == [
        ("results.pdf", b"%PDF-1.7 x")
    ]


def test_unsigned_has_no_signature_and_signing_without_an_identity_is_refused() -> None:
    message = outgoing("ann@clinic.example")
    (plain,) = unencrypted_messages(message, identity=None, sign=False, at=NOW)
    assert open_message(plain, identity=None, trust=TRUST, at=NOW).signature is None

    with pytest.raises(CannotSignError):
        unencrypted_messages(message, identity=None, sign=True, at=NOW)


def test_non_ascii_subjects_are_encoded_and_line_breaks_refused() -> None:
    folded = folded_header_lines({"Subject": "Befund für Frau Müller"})
    assert folded.isascii() and b"=?utf-8?" in folded
    assert headers(folded + b"\r\n")["Subject"] == "Befund für Frau Müller"
    with pytest.raises(EnvelopeError, match="line break"):
        folded_header_lines({"Subject": "a\r\nBcc: spy@evil.example"})


addresses = st.lists(
    st.sampled_from(["a@x.example", "b@y.example", "c@z.example", "d@w.example"]),
    max_size=3,
    unique=True,
)


@settings(max_examples=40, deadline=None)
@given(to=addresses, cc=addresses, bcc=addresses)
def test_every_recipient_is_addressed_exactly_once_and_bcc_alone(
    to: list[str], cc: list[str], bcc: list[str]
) -> None:
    if not (to or cc or bcc):
        return
    message = outgoing(", ".join(to), cc=", ".join(cc), bcc=", ".join(bcc))

    messages = [
        headers(m) for m in unencrypted_messages(message, identity=None, sign=False, at=NOW)
    ]

    assert len(messages) == (1 if to or cc else 0) + len(bcc)
    blind = messages[len(messages) - len(bcc) :]
    assert [m["To"] for m in blind] == bcc
    for parsed in messages:
        assert parsed["Bcc"] is None
    named = [
        address.strip()
        for parsed in messages
        for field in ("To", "Cc")
        if parsed[field]
        for address in str(parsed[field]).split(",")
    ]
    assert sorted(named) == sorted([*to, *cc, *bcc])
