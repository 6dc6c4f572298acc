"""Seal then open: every cipher, key transport and key type, several recipients."""

from __future__ import annotations

import io
import itertools
import os

import pytest
from asn1crypto import cms
from cryptography.hazmat.primitives.asymmetric import ec

from desktop_app.core.messages import text
from desktop_app.core.smime.algorithms import ContentCipher, KeyTransport
from desktop_app.core.smime.envelope_open import open_envelope
from desktop_app.core.smime.envelope_seal import seal_envelope, seal_envelope_into
from desktop_app.core.smime.errors import EnvelopeError
from desktop_app.core.smime.recipient_seal import EnvelopeRecipient
from tests.core.smime.conftest import Parties
from tests.factories.certs import TestCA

CONTENT = b"Befund: unauffaellig.\r\n" * 200 + b"\x00\xff tail without newline"


@pytest.mark.parametrize(
    ("cipher", "transport"), list(itertools.product(ContentCipher, KeyTransport))
)
def test_each_recipient_opens_and_outsiders_cannot(
    parties: Parties, cipher: ContentCipher, transport: KeyTransport
) -> None:
    recipients = [EnvelopeRecipient(p.cert, transport) for p in parties.recipients]
    sealed = seal_envelope(CONTENT, recipients, cipher)

    for party in parties.recipients:
        opened = open_envelope(sealed, party.cert, party.key)
        assert opened.content == CONTENT
        assert opened.recipient_count == 4
        assert opened.authenticated == (
            cipher in (ContentCipher.AES256_GCM, ContentCipher.AES128_GCM)
        )
        assert opened.cipher == cipher.value.upper().replace("AES", "AES-")
        assert not opened.weak
    for outsider in (parties.outsider, parties.ec_outsider):
        with pytest.raises(EnvelopeError) as caught:
            open_envelope(sealed, outsider.cert, outsider.key)
        assert caught.value.message == text("envelope.not_for_you")


def test_key_transport_labels(parties: Parties) -> None:
    recipients = [
        EnvelopeRecipient(parties.ann.cert, KeyTransport.RSA_OAEP),
        EnvelopeRecipient(parties.bob.cert),
        EnvelopeRecipient(parties.carol.cert, KeyTransport.RSA_OAEP),  # ignored for EC
        EnvelopeRecipient(parties.dave.cert),
    ]
    sealed = seal_envelope(b"x", recipients, ContentCipher.AES128_GCM)
    labels = {
        name: open_envelope(sealed, getattr(parties, name).cert, getattr(parties, name).key)
        for name in ("ann", "bob", "carol", "dave")
    }
    assert labels["ann"].key_transport == "RSA-OAEP (SHA-256)"
    assert labels["bob"].key_transport == "RSA (PKCS #1 v1.5)"
    assert labels["carol"].key_transport == "ECDH P-256 (SHA-256 KDF, AES-128 key wrap)"
    assert labels["dave"].key_transport == "ECDH P-384 (SHA-256 KDF, AES-128 key wrap)"


def test_p521_recipient(ca: TestCA) -> None:
    frank = ca.issue(["frank@clinic.example"], key_kind="p521")
    sealed = seal_envelope(CONTENT, [EnvelopeRecipient(frank.cert)])
    assert open_envelope(sealed, frank.cert, frank.key).content == CONTENT


@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, (1 << 20) - 1, (1 << 20) + 5])
@pytest.mark.parametrize("cipher", [ContentCipher.AES256_CBC, ContentCipher.AES256_GCM])
def test_sizes_around_block_and_chunk_edges(
    parties: Parties, size: int, cipher: ContentCipher
) -> None:
    content = os.urandom(size)
    sealed = seal_envelope(content, [EnvelopeRecipient(parties.carol.cert)], cipher)
    assert open_envelope(sealed, parties.carol.cert, parties.carol.key).content == content


def test_accepts_bytearray_and_memoryview(parties: Parties) -> None:
    recipients = [EnvelopeRecipient(parties.ann.cert)]
    for content in (bytearray(CONTENT), memoryview(CONTENT)):
        sealed = seal_envelope(content, recipients)
        assert open_envelope(memoryview(sealed), parties.ann.cert, parties.ann.key).content == (
            CONTENT
        )


def test_streaming_writes_the_same_structure(parties: Parties) -> None:
    sink = io.BytesIO()
    recipients = [EnvelopeRecipient(parties.ann.cert), EnvelopeRecipient(parties.dave.cert)]
    length = seal_envelope_into(sink, CONTENT, recipients, ContentCipher.AES256_GCM)
    assert length == len(sink.getvalue())
    assert open_envelope(sink.getvalue(), parties.dave.cert, parties.dave.key).content == CONTENT


def test_duplicate_certificates_are_encrypted_for_once(parties: Parties) -> None:
    recipients = [EnvelopeRecipient(parties.ann.cert)] * 3 + [EnvelopeRecipient(parties.bob.cert)]
    sealed = seal_envelope(CONTENT, recipients)
    assert open_envelope(sealed, parties.bob.cert, parties.bob.key).recipient_count == 2


def test_fresh_key_and_iv_every_time(parties: Parties) -> None:
    recipients = [EnvelopeRecipient(parties.ann.cert)]
    first = seal_envelope(CONTENT, recipients)
    second = seal_envelope(CONTENT, recipients)
    assert first[-64:] != second[-64:]


def test_random_source_is_used_for_key_and_iv(parties: Parties) -> None:
    calls: list[int] = []

    def counting(size: int) -> bytes:
        calls.append(size)
        return os.urandom(size)

    seal_envelope(CONTENT, [EnvelopeRecipient(parties.ann.cert)], random_bytes=counting)
    seal_envelope(
        CONTENT,
        [EnvelopeRecipient(parties.ann.cert)],
        ContentCipher.AES128_GCM,
        random_bytes=counting,
    )
    assert calls == [32, 16, 16, 12]


def test_random_source_of_the_wrong_length_is_refused(parties: Parties) -> None:
    with pytest.raises(ValueError, match="random_bytes"):
        seal_envelope(CONTENT, [EnvelopeRecipient(parties.ann.cert)], random_bytes=lambda n: b"")


def test_no_recipients(parties: Parties) -> None:
    with pytest.raises(EnvelopeError) as caught:
        seal_envelope(CONTENT, [])
    assert caught.value.message == text("envelope.no_recipients")


@pytest.mark.parametrize("kind", ["ed25519", "k256", "p192"])
def test_keys_that_cannot_receive_mail_are_refused(ca: TestCA, kind: str) -> None:
    odd = ca.issue(["odd@clinic.example"], key_kind=kind)
    with pytest.raises(EnvelopeError, match="cannot be used for encryption"):
        seal_envelope(CONTENT, [EnvelopeRecipient(odd.cert)])


def test_private_key_of_another_certificate(parties: Parties) -> None:
    sealed = seal_envelope(CONTENT, [EnvelopeRecipient(parties.ann.cert)])
    for wrong_key in (parties.bob.key, parties.carol.key):
        with pytest.raises(EnvelopeError) as caught:
            open_envelope(sealed, parties.ann.cert, wrong_key)  # type: ignore[arg-type]
        assert caught.value.message == text("envelope.key_mismatch")


def test_ec_key_on_another_curve(parties: Parties) -> None:
    sealed = seal_envelope(CONTENT, [EnvelopeRecipient(parties.carol.cert)])
    other = ec.generate_private_key(ec.SECP384R1())
    with pytest.raises(EnvelopeError) as caught:
        open_envelope(sealed, parties.carol.cert, other)
    assert caught.value.message == text("envelope.key_mismatch")


def test_opened_envelope_repr_hides_content(parties: Parties) -> None:
    sealed = seal_envelope(b"secret diagnosis", [EnvelopeRecipient(parties.ann.cert)])
    opened = open_envelope(sealed, parties.ann.cert, parties.ann.key)
    assert "secret" not in repr(opened)


def test_recipient_infos_parse_with_asn1crypto(parties: Parties) -> None:
    recipients = [EnvelopeRecipient(p.cert) for p in parties.recipients]
    sealed = seal_envelope(CONTENT, recipients)
    infos = cms.ContentInfo.load(sealed)["content"]["recipient_infos"]
    assert sorted(ri.name for ri in infos) == ["kari", "kari", "ktri", "ktri"]
