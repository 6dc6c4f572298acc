"""Opening messages: decrypt, verify, read; and what may be learnt from them."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.errors import UserFacingError
from desktop_app.core.mime.compose import InnerMessage, build_inner_mime
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.smime.envelope_seal import seal_envelope
from desktop_app.core.smime.errors import EnvelopeError
from desktop_app.core.smime.open_message import OpenError, open_message
from desktop_app.core.smime.recipient_seal import EnvelopeRecipient
from desktop_app.core.smime.signature_mime import multipart_signed
from desktop_app.core.smime.signature_sign import sign_detached
from desktop_app.core.smime.wrap import envelope_to_mime
from desktop_app.services.certstore.store import CertStore
from tests.core.smime.sealing import ANN, BOB, CA, LEE, ME, identity, outgoing, seal, stocked_store
from tests.factories.certs import NOW

TRUST = TrustContext(anchors=(CA.cert,))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CertStore]:
    yield from stocked_store(tmp_path / "s.sqlite")


def test_what_we_seal_opens_verified_with_its_attachment(store: CertStore) -> None:
    eml = seal(store, outgoing("lee@clinic.example", "ann@clinic.example")).envelopes[0].eml
    opened = open_message(eml, identity=identity(LEE), trust=TRUST, at=NOW)
    assert opened.encryption is not None
    assert (opened.encryption.cipher, opened.encryption.recipients) == ("AES-256-CBC", 3)
    assert opened.signature is not None and opened.signature.valid, opened.signature
    assert opened.signature.signer == ME.cert
    assert not opened.signature_outside_encryption
    assert opened.message.text.strip() == "Results attached."
    assert [(a.filename, a.content) for a in opened.message.attachments] == [
        ("results.pdf", b"%PDF-1.7 x")
    ]
    harvest = opened.harvest()
    assert harvest is not None and harvest.certificate == ME.cert
    assert "aes256-gcm" in harvest.capabilities


def test_a_message_for_someone_else_or_without_identity_does_not_open(store: CertStore) -> None:
    eml = seal(store, outgoing("lee@clinic.example")).envelopes[0].eml
    with pytest.raises(EnvelopeError):
        open_message(eml, identity=identity(BOB), trust=TRUST, at=NOW)
    with pytest.raises(OpenError):
        open_message(eml, identity=None, trust=TRUST, at=NOW)


def test_signature_from_someone_other_than_from_is_invalid_and_teaches_nothing() -> None:
    inner = build_inner_mime(InnerMessage("hello"))
    signed = multipart_signed(inner, sign_detached(inner, ANN.cert, ANN.key, signing_time=NOW))
    eml = b"From: me@clinic.example\r\nTo: lee@clinic.example\r\nSubject: x\r\n" + signed
    opened = open_message(eml, identity=None, trust=TRUST, at=NOW)
    assert opened.encryption is None
    assert opened.signature is not None and not opened.signature.valid
    harvest = opened.harvest()
    assert harvest is not None and harvest.certificate is None


def test_tampered_signed_content_is_invalid() -> None:
    inner = build_inner_mime(InnerMessage("dose: 5 mg"))
    signed = multipart_signed(inner, sign_detached(inner, ME.cert, ME.key, signing_time=NOW))
    eml = b"From: me@clinic.example\r\nSubject: x\r\n" + signed.replace(b"5 mg", b"50 mg")
    opened = open_message(eml, identity=None, trust=TRUST, at=NOW)
    assert opened.signature is not None and not opened.signature.valid
    assert opened.harvest().certificate is None  # type: ignore[union-attr]


def test_signature_around_the_envelope_is_not_learnt_from() -> None:
    envelope = envelope_to_mime(
        seal_envelope(build_inner_mime(InnerMessage("hi")), [EnvelopeRecipient(LEE.cert)]),
        auth=False,
        headers={},
    )
    outer = multipart_signed(envelope, sign_detached(envelope, ME.cert, ME.key, signing_time=NOW))
    eml = b"From: me@clinic.example\r\nSubject: x\r\n" + outer
    opened = open_message(eml, identity=identity(LEE), trust=TRUST, at=NOW)
    assert opened.signature_outside_encryption
    assert opened.message.text.strip() == "hi"
    harvest = opened.harvest()
    assert harvest is not None and harvest.certificate is None


SMIME_HEAD = (
    b"From: a@b.org\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data\r\n"
    b"Content-Transfer-Encoding: base64\r\n\r\n"
)


@pytest.mark.parametrize(
    "eml",
    [
        SMIME_HEAD + b"MAsGCSqGSIb3DQEHAg==\r\n",  # CVE-2023-49083: signedData without content
        SMIME_HEAD + b"bm90IENNUw==\r\n",
        SMIME_HEAD + b"%%%\r\n",
        b"From: a@b.org\r\nContent-Type: multipart/signed; boundary=x\r\n\r\n"
        b"--x\r\n\r\nhi\r\n--x--\r\n",
    ],
)
def test_garbage_is_refused_with_a_typed_error(eml: bytes) -> None:
    with pytest.raises(UserFacingError):
        open_message(eml, identity=identity(LEE), trust=TRUST, at=NOW)
