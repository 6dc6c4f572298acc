"""Layers of signatures and envelopes: each is reported, and only a signature over the text
vouches for it (issue 11, items 4 and 9)."""

from datetime import datetime, timedelta

import pytest

from desktop_app.core.mime.compose import InnerMessage, build_inner_mime
from desktop_app.core.mime.message_check import AmbiguousSender, NotAMailMessage
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.smime.layers import Covers, LayerKind
from desktop_app.core.smime.open_message import open_message
from desktop_app.core.smime.signature_mime import multipart_signed
from desktop_app.core.smime.signature_sign import sign_detached
from tests.core.smime.sealing import ANN, CA, LEE, ME, identity
from tests.factories import layered_mail, smime_mail
from tests.factories.certs import NOW, Issued

TRUST = TrustContext(anchors=(CA.cert,))
DATE = "Mon, 01 Jun 2026 12:00:00 +0000"  # NOW


def _head(sender: str, date: str = DATE) -> bytes:
    return layered_mail.head(sender, date)


def _sign(entity: bytes, signer: Issued, *, when: datetime = NOW) -> bytes:
    return layered_mail.signed(entity, signer, when)


def _encrypt(entity: bytes) -> bytes:
    return layered_mail.encrypted(entity, LEE)


def _text(words: str = "dose: 5 mg") -> bytes:
    return build_inner_mime(InnerMessage(words))


def test_signed_around_the_encryption_does_not_vouch_for_the_text() -> None:
    eml = _head("me@clinic.example") + _sign(_encrypt(_text()), ME)
    opened = open_message(eml, identity=identity(LEE), trust=TRUST, at=NOW)
    assert opened.body_text.strip() == "dose: 5 mg"
    assert opened.signature is not None and opened.signature.valid is False
    assert opened.signature_covers is Covers.ENVELOPE
    assert "does not cover what you read" in opened.signature.reason
    assert [(layer.kind, layer.covers, layer.valid) for layer in opened.layers] == [
        (LayerKind.SIGNED, Covers.ENVELOPE, True),
        (LayerKind.ENCRYPTED, None, None),
    ]
    harvest = opened.harvest()
    assert harvest is not None and harvest.certificate is None and harvest.capabilities == ()


def test_a_forwarders_signature_around_someone_elses_envelope_is_not_theirs() -> None:
    # Me signed and encrypted for Lee; Ann wraps it in a signature of her own and sends it.
    inner = _sign(_text("the secret"), ME)
    eml = _head("ann@clinic.example") + _sign(_encrypt(inner), ANN)
    opened = open_message(eml, identity=identity(LEE), trust=TRUST, at=NOW)
    assert opened.body_text.strip() == "the secret"
    assert opened.signature is not None
    assert opened.signature.signer == ME.cert  # the text is never "signed by Ann"
    assert not opened.signature.valid  # and Me is not the From address
    assert opened.signature_covers is Covers.TEXT
    layers = opened.layers
    assert [layer.kind for layer in layers] == [
        LayerKind.SIGNED,
        LayerKind.ENCRYPTED,
        LayerKind.SIGNED,
    ]
    assert (layers[0].verdict.signer, layers[0].covers, layers[0].valid) == (  # type: ignore[union-attr]
        ANN.cert,
        Covers.ENVELOPE,
        True,
    )
    assert (layers[2].verdict.signer, layers[2].covers) == (ME.cert, Covers.TEXT)  # type: ignore[union-attr]
    assert "around the encryption" in layers[0].description
    assert opened.harvest().certificate is None  # type: ignore[union-attr]


def test_triple_wrapped_by_the_author_is_signed_by_them() -> None:
    inner = _sign(_text(), ME)
    eml = _head("me@clinic.example") + _sign(_encrypt(inner), ME)
    opened = open_message(eml, identity=identity(LEE), trust=TRUST, at=NOW)
    assert opened.signature is not None and opened.signature.valid
    assert opened.signature_covers is Covers.TEXT
    assert [layer.covers for layer in opened.layers] == [Covers.ENVELOPE, None, Covers.TEXT]
    harvest = opened.harvest()
    assert harvest is not None and harvest.certificate == ME.cert


def test_a_broken_outer_signature_does_not_hide_a_valid_inner_one() -> None:
    inner = _sign(_text(), ME)
    # A transport signature that does not match what it wraps (as after a footer was
    # added by a list server): not valid, but the author's signature inside still is.
    wrong = sign_detached(_text("something else"), ME.cert, ME.key, signing_time=NOW)
    eml = _head("me@clinic.example") + multipart_signed(inner, wrong)
    opened = open_message(eml, identity=None, trust=TRUST, at=NOW)
    assert [layer.valid for layer in opened.layers] == [False, True]
    assert opened.signature is not None and opened.signature.valid
    assert opened.signature.signer == ME.cert


def test_an_unreadable_outer_signature_part_does_not_hide_a_valid_inner_one() -> None:
    inner = _sign(_text(), ME)
    damaged = smime_mail.multipart_signed(inner, b"not a signature", boundary="outer-1")
    eml = _head("me@clinic.example") + damaged
    opened = open_message(eml, identity=None, trust=TRUST, at=NOW)
    assert [layer.valid for layer in opened.layers] == [False, True]
    assert opened.signature is not None and opened.signature.valid


def test_a_signing_time_hours_from_the_date_header_is_flagged() -> None:
    eml = _head("me@clinic.example", "Mon, 01 Jun 2026 09:30:00 +0000") + _sign(_text(), ME)
    opened = open_message(eml, identity=None, trust=TRUST, at=NOW)
    assert [w.code for w in opened.warnings] == ["signing_time_far_from_date"]
    assert "2026-06-01 12:00 UTC" in opened.warnings[0].message
    # Within the hour (and a Date: in another zone meaning the same moment) is not flagged.
    for date in ("Mon, 01 Jun 2026 12:50:00 +0000", "Mon, 01 Jun 2026 14:00:00 +0200"):
        calm = open_message(
            _head("me@clinic.example", date) + _sign(_text(), ME),
            identity=None,
            trust=TRUST,
            at=NOW,
        )
        assert calm.warnings == ()


def test_a_signature_from_the_future_is_flagged_and_its_capabilities_not_offered() -> None:
    later = NOW + timedelta(days=365)
    eml = _head("me@clinic.example") + _sign(_text(), ME, when=later)
    opened = open_message(eml, identity=None, trust=TRUST, at=NOW)
    assert "signing_time_in_future" in [w.code for w in opened.warnings]
    harvest = opened.harvest()
    assert harvest is not None and harvest.certificate == ME.cert
    assert harvest.capabilities == () and harvest.capabilities_note is not None
    # Within the clock skew it counts as now.
    soon = _head("me@clinic.example") + _sign(_text(), ME, when=NOW + timedelta(minutes=4))
    decision = open_message(soon, identity=None, trust=TRUST, at=NOW).harvest()
    assert decision is not None and decision.capabilities and decision.signed_at is not None


def test_an_html_only_body_is_shown_as_safe_text() -> None:
    html = (
        b"<html><head><style>p{color:red}</style><script>steal()</script></head><body>"
        b"<p>Hello&nbsp;Lee,</p><p>the results<br>are in.</p>"
        b'<img src="https://tracker.example/p.gif" alt="logo"></body></html>'
    )
    eml = _head("me@clinic.example") + b"Content-Type: text/html; charset=utf-8\r\n\r\n" + html
    opened = open_message(eml, identity=None, trust=TRUST, at=NOW)
    assert opened.text_from_html
    assert opened.body_text == "Hello Lee,\n\nthe results\nare in.\n\n[logo]"
    assert "steal" not in opened.body_text and "tracker" not in opened.body_text


def test_two_from_fields_are_refused() -> None:
    signed = _sign(_text(), ME)
    eml = b"From: boss@clinic.example\r\n" + _head("me@clinic.example") + signed
    with pytest.raises(AmbiguousSender, match="2 From"):
        open_message(eml, identity=None, trust=TRUST, at=NOW)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\r\n\r\n",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"%PDF-1.7\n1 0 obj\n",
        b"just some words\nand more\n",
        b"X-Note: hello\r\n\r\nbody",  # header-shaped, but none of the fields mail has
        b"From: a@b.example\x00\x01\r\n\r\nbody",  # binary in the header section
        bytes(range(256)) * 4,
    ],
)
def test_what_is_no_mail_message_is_refused(data: bytes) -> None:
    with pytest.raises(NotAMailMessage, match="not a mail message"):
        open_message(data, identity=None, trust=TRUST, at=NOW)


@pytest.mark.parametrize(
    "data",
    [
        b"From: a@b.example\r\n\r\nhi",
        b"Date: Mon, 01 Jun 2026 12:00:00 +0000\nSubject: x\n\nhi",
        b"MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nhi",
        b"Content-Type: text/plain\r\n",  # headers only
    ],
)
def test_the_smallest_mail_messages_open(data: bytes) -> None:
    opened = open_message(data, identity=None, trust=TRUST, at=NOW)
    assert opened.signature is None and opened.layers == ()
