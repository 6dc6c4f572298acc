"""Fuzzing the whole opening path (MIME, then each CMS layer, then the inner MIME).

The envelope, signature and MIME parsers are fuzzed on their own beside this file
(test_envelope_malformed, test_signature_malformed, tests/core/mime/test_parse_malformed);
these harnesses feed ``open_message`` whole messages: mutated layered messages and random
MIME trees holding CMS parts. Whatever comes in, the outcome is an opened message whose
verdicts keep the layer rules, or a UserFacingError; never another exception.
"""

from __future__ import annotations

import base64
import contextlib
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.errors import UserFacingError
from desktop_app.core.mime.compose import Attachment, InnerMessage, build_inner_mime
from desktop_app.core.mime.html_text import html_to_text
from desktop_app.core.mime.message_check import NotAMailMessage, check_mail_message
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.smime.layers import Covers, LayerKind
from desktop_app.core.smime.open_message import OpenedMessage, open_message
from tests.core.smime.sealing import ANN, CA, LEE, ME, identity
from tests.factories import layered_mail
from tests.factories.certs import NOW, Issued
from tests.factories.odd_certs import odd_name_certificate
from tests.factories.smime_mail import pkcs7_mime_part, signed_der

TRUST = TrustContext(anchors=(CA.cert,))
HEAD = (
    b"From: me@clinic.example\r\nTo: lee@clinic.example\r\nSubject: x\r\n"
    b"Date: Mon, 01 Jun 2026 12:00:00 +0000\r\nMIME-Version: 1.0\r\n"
)


def _sign(entity: bytes, signer: Issued) -> bytes:
    return layered_mail.signed(entity, signer, NOW)


def _encrypt(entity: bytes) -> bytes:
    return layered_mail.encrypted(entity, LEE)


@cache
def _seeds() -> tuple[bytes, ...]:
    text = build_inner_mime(
        InnerMessage("dose: 5 mg", attachments=(Attachment("a.pdf", b"%PDF-1.7 x"),))
    )
    html = b"Content-Type: text/html\r\n\r\n<p>Hello <script>x()</script>Lee</p>"
    opaque = pkcs7_mime_part(signed_der(ME, text), smime_type="signed-data")
    # A signer whose subject holds a BIT STRING under an unexpected OID (cryptography raises
    # TypeError on reading it): the signature is not valid, the text still opens.
    odd = odd_name_certificate(CA, "me@clinic.example")
    return (
        HEAD + _sign(text, ME),
        HEAD + _sign(_encrypt(text), ME),  # signed around the encryption
        HEAD + _sign(_encrypt(_sign(text, ME)), ANN),  # a second signer around it
        HEAD + _encrypt(_sign(html, ME)),
        HEAD + _sign(_sign(text, ME), ANN),
        HEAD + opaque,
        HEAD + _sign(text, odd),
        HEAD + _encrypt(_sign(text, odd)),
    )


def _open(eml: bytes) -> OpenedMessage | None:
    try:
        opened = open_message(eml, identity=identity(LEE), trust=TRUST, at=NOW)
    except UserFacingError as error:
        assert error.message
        return None
    _check_rules(opened)
    return opened


def _check_rules(opened: OpenedMessage) -> None:
    """What must hold for every opened message, whatever its bytes."""
    kinds = [layer.kind for layer in opened.layers]
    for index, layer in enumerate(opened.layers):
        if layer.kind is LayerKind.SIGNED:
            inside = LayerKind.ENCRYPTED in kinds[index + 1 :]
            assert layer.covers is (Covers.ENVELOPE if inside else Covers.TEXT)
            assert layer.description
    signature = opened.signature
    if signature is not None and signature.valid:
        # A valid verdict on the text comes from a valid signature that covers it.
        assert opened.signature_covers is Covers.TEXT
        assert any(layer.verdict is signature and layer.valid for layer in opened.layers)
    if opened.signature_covers is Covers.ENVELOPE:
        assert signature is not None and not signature.valid
        decision = opened.harvest()
        assert decision is None or decision.certificate is None
    assert isinstance(opened.body_text, str)


def _mutate(data: st.DataObject, seed: bytes) -> bytes:
    mutated = bytearray(seed)
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        position = data.draw(st.integers(0, max(0, len(mutated) - 1)))
        action = data.draw(st.sampled_from(["set", "insert", "delete", "line"]))
        if action == "set" and mutated:
            mutated[position] = data.draw(st.integers(0, 255))
        elif action == "insert":
            mutated[position:position] = data.draw(st.binary(min_size=1, max_size=8))
        elif action == "delete":
            del mutated[position : position + data.draw(st.integers(1, 64))]
        else:  # a header-like line where MIME parsers are most fragile
            line = data.draw(
                st.sampled_from(
                    [
                        b"\r\nContent-Type: multipart/signed; boundary=x\r\n",
                        b"\r\nContent-Type: application/pkcs7-mime\r\n",
                        b"\r\nContent-Transfer-Encoding: base64\r\n",
                        b"\r\n\r\n",
                        b"\r\n--",
                    ]
                )
            )
            mutated[position:position] = line
    return bytes(mutated)


def test_the_seeds_open_and_keep_the_rules() -> None:
    opened = [_open(seed) for seed in _seeds()]
    assert all(message is not None for message in opened)
    for odd in opened[-2:]:  # signed with the odd-Name certificate
        assert odd is not None and odd.signature is not None
        assert not odd.signature.valid
        assert "dose: 5 mg" in odd.body_text


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_mutated_layered_messages_open_or_fail_cleanly(data: st.DataObject) -> None:
    seed = data.draw(st.sampled_from(_seeds()), label="seed")
    _open(_mutate(data, seed))


_LEAVES = st.sampled_from(
    [
        b"Content-Type: text/plain\r\n\r\nhello",
        b"Content-Type: text/html\r\n\r\n<b>hi</b><script>x</script>",
        b"Content-Type: application/pkcs7-mime; smime-type=enveloped-data\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHA6CAMIACAQA=",
        b"Content-Type: application/pkcs7-signature\r\nContent-Transfer-Encoding: base64"
        b"\r\n\r\nMAsGCSqGSIb3DQEHAg==",
        b"Content-Type: application/octet-stream\r\n\r\n\x00\xff",
    ]
)


@st.composite
def _mime_trees(draw: st.DrawFn, depth: int = 0) -> bytes:
    if depth >= 3 or draw(st.booleans()):
        leaf = draw(_LEAVES)
        if draw(st.booleans()):
            der = draw(st.binary(max_size=120))
            kind = draw(st.sampled_from(["enveloped-data", "signed-data", ""]))
            leaf = (
                f"Content-Type: application/pkcs7-mime; smime-type={kind}\r\n"
                "Content-Transfer-Encoding: base64\r\n\r\n"
            ).encode() + base64.b64encode(der)
        return leaf
    kind = draw(st.sampled_from(["mixed", "alternative", "signed"]))
    boundary = f"b{depth}"
    children = draw(st.lists(_mime_trees(depth + 1), min_size=1, max_size=3))
    protocol = '; protocol="application/pkcs7-signature"' if kind == "signed" else ""
    head = f'Content-Type: multipart/{kind}; boundary="{boundary}"{protocol}\r\n\r\n'
    body = b"".join(f"--{boundary}\r\n".encode() + child + b"\r\n" for child in children)
    return head.encode() + body + f"--{boundary}--\r\n".encode()


@settings(max_examples=150, deadline=None)
@given(_mime_trees())
def test_random_mime_trees_with_cms_parts_open_or_fail_cleanly(tree: bytes) -> None:
    _open(HEAD + tree)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400), st.booleans())
def test_random_bytes_are_refused_or_opened_cleanly(data: bytes, with_head: bool) -> None:
    message = HEAD + data if with_head else data
    with contextlib.suppress(NotAMailMessage):
        assert check_mail_message(message)
    _open(message)


_HTML_PIECES = st.sampled_from(
    [
        "<p>", "</p>", "<b>bold</b>", "words ", "&amp; &lt;", "<br>", "<div>", "</div>",
        "<a href='https://e.example/x'>link</a>", "<img src=x alt=pic>", "<!-- note -->",
        "<pre>  a\n b</pre>", "<ul><li>one<li>two</ul>", "<table><tr><td>c</td></tr></table>",
        "<script>", "</style>", "<head><title>t</title></head>",
    ]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(_HTML_PIECES, max_size=12), st.text(alphabet="klmnopqrs", min_size=8))
def test_html_rendering_never_shows_script_or_style_content(pieces: list[str], marker: str) -> None:
    html = "".join(pieces)
    for hidden in ("script", "style"):
        rendered = html_to_text(f"{html}<{hidden}>{marker}</{hidden}><p>after</p>")
        assert marker not in rendered
