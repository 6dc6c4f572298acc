"""Sealing attachments read from sources into sinks: the same message as sealing in memory,
and never a whole copy of the attachment held."""

from __future__ import annotations

import io
import os
import re
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop_app.core.mime.compose import Attachment, InnerMessage
from desktop_app.core.mime.parse import parse_inner_mime
from desktop_app.core.mime.source import ContentChangedError
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.smime.envelope_open import open_envelope
from desktop_app.core.smime.seal import OutgoingMessage, SealResult
from desktop_app.core.smime.signature_mime import split_multipart_signed
from desktop_app.core.smime.signature_verify import verify_signature
from desktop_app.core.smime.wrap import mime_to_envelope
from desktop_app.services.certstore.store import CertStore
from tests.core.mime.sources import ChunkedSource
from tests.core.smime.sealing import ANN, CA, LEE, ME, outgoing, seal, stocked_store
from tests.factories.certs import NOW, Issued

SCAN = os.urandom(400_000) + b"\x00\r\n\r\n--=_mix_ not a delimiter\xff"
# Boundaries are random: the same message sealed twice differs only in them.
_BOUNDARY = re.compile(rb"(=_mix_|----=_smime_)[0-9a-f]{32}")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CertStore]:
    yield from stocked_store(tmp_path / "s.sqlite")


def _message(content: bytes | ChunkedSource, bcc: str = "") -> OutgoingMessage:
    message = outgoing("lee@clinic.example", bcc=bcc)
    body = InnerMessage("Befund anbei.\n", attachments=(Attachment("scan.bin", content),))
    return OutgoingMessage(message.draft, message.subject, body)


def _into_sinks(
    store: CertStore, message: OutgoingMessage, signer: Issued = ME, **options: object
) -> list[bytes]:
    sinks: list[io.BytesIO] = []

    def sink_for(number: int, bcc: str | None) -> io.BytesIO:
        sinks.append(io.BytesIO())
        return sinks[-1]

    seal(store, message, signer, sink_for=sink_for, **options)
    return [sink.getvalue() for sink in sinks]


def _decrypted(eml: bytes) -> bytes:
    return open_envelope(mime_to_envelope(eml), LEE.cert, LEE.key).content


def _verified_signed_part(entity: bytes) -> bytes:
    parts = split_multipart_signed(entity)
    trust = TrustContext((CA.cert,), ())
    verdict = verify_signature(
        parts.signature, parts.signed, trust=trust, at=NOW, from_address_key=None
    )
    assert verdict.valid, verdict
    return parts.signed


def test_unsigned_streamed_decrypts_to_the_in_memory_message(store: CertStore) -> None:
    in_memory = seal(store, _message(SCAN), sign=False).envelopes[0].message
    source = ChunkedSource(SCAN, sizes=(65_536, 1, 99_999))
    [streamed] = _into_sinks(store, _message(source), sign=False)
    expected, got = _decrypted(in_memory), _decrypted(streamed)
    assert _BOUNDARY.sub(b"B", got) == _BOUNDARY.sub(b"B", expected)
    assert parse_inner_mime(got).attachments[0].content == SCAN
    assert source.reads == 1


# An RSA signature is made after one reading; an ECDSA one (varying length) needs a first
# reading for the digest.
@pytest.mark.parametrize(("signer", "readings"), [(ME, 1), (LEE, 2)], ids=["rsa", "ecdsa"])
def test_signed_streamed_decrypts_to_the_in_memory_message_and_verifies(
    store: CertStore, signer: Issued, readings: int
) -> None:
    in_memory = seal(store, _message(SCAN), signer).envelopes[0].message
    source = ChunkedSource(SCAN, sizes=(123_457,))
    [streamed] = _into_sinks(store, _message(source), signer)
    expected = _verified_signed_part(_decrypted(in_memory))
    got = _verified_signed_part(_decrypted(streamed))
    assert _BOUNDARY.sub(b"B", got) == _BOUNDARY.sub(b"B", expected)
    assert parse_inner_mime(got).attachments[0].content == SCAN
    assert source.reads == readings


def test_each_envelope_reads_the_content_again_and_all_verify(store: CertStore) -> None:
    source = ChunkedSource(SCAN)
    message = outgoing("lee@clinic.example", bcc="ann@clinic.example")
    message = OutgoingMessage(message.draft, message.subject, _message(source).body)
    emls = _into_sinks(store, message)
    assert len(emls) == 2
    assert source.reads == 2
    for eml in emls:
        opened = open_envelope(mime_to_envelope(eml), ME.cert, ME.key)  # the sender's copy
        signed = _verified_signed_part(opened.content)
        assert parse_inner_mime(signed).attachments[0].content == SCAN


def test_a_streamed_sealed_message_equals_the_in_memory_one_outside_the_ciphertext(
    store: CertStore,
) -> None:
    in_memory = seal(store, _message(SCAN)).envelopes[0].message
    [streamed] = _into_sinks(store, _message(ChunkedSource(SCAN)))
    streamed, in_memory = _headers_but_id(streamed), _headers_but_id(in_memory)
    assert len(streamed) == len(in_memory)
    head = in_memory.index(b"\r\n\r\n")
    assert streamed[:head] == in_memory[:head]


def _headers_but_id(block: bytes) -> bytes:
    return re.sub(rb"Message-ID: <[^>]*>", b"", block)


@dataclass
class ChangingSource(ChunkedSource):
    """Gives other bytes of the same size from its second reading on: a file rewritten
    between the signing and the encrypting pass."""

    def chunks(self) -> Iterator[memoryview]:
        if self.reads:
            self.data = bytes(reversed(self.data))
        return super().chunks()


def test_an_attachment_changed_after_an_ecdsa_signature_is_refused(store: CertStore) -> None:
    with pytest.raises(ContentChangedError):
        _into_sinks(store, _message(ChangingSource(SCAN)), LEE)


def test_an_rsa_signature_covers_the_one_reading_that_is_sent(store: CertStore) -> None:
    # Another reading would give other bytes: only one is made, signed and sent.
    [streamed] = _into_sinks(store, _message(ChangingSource(SCAN)))
    signed = _verified_signed_part(_decrypted(streamed))
    assert parse_inner_mime(signed).attachments[0].content == SCAN


def test_an_attachment_changed_but_not_signed_is_sealed_as_read(store: CertStore) -> None:
    [streamed] = _into_sinks(store, _message(ChangingSource(SCAN)), sign=False)
    assert parse_inner_mime(_decrypted(streamed)).attachments[0].content == SCAN


@pytest.mark.parametrize(("signer", "sign"), [(ME, True), (ME, False), (LEE, True)])
def test_a_bcc_copy_never_carries_other_bytes_than_the_to_and_cc_copy(
    store: CertStore, signer: Issued, sign: bool
) -> None:
    # Each envelope reads the attachment again: rewritten in between (same size), the
    # second reading must be refused, signed or not, RSA or ECDSA.
    message = _message(ChangingSource(SCAN), bcc="ann@clinic.example")
    with pytest.raises(ContentChangedError):
        _into_sinks(store, message, signer, sign=sign)


def test_a_bcc_copy_of_an_unchanged_file_seals_the_same_content(store: CertStore) -> None:
    source = ChunkedSource(SCAN)
    shared, blind = _into_sinks(store, _message(source, bcc="ann@clinic.example"), sign=False)
    assert parse_inner_mime(_decrypted(shared)).attachments[0].content == SCAN
    ann = open_envelope(mime_to_envelope(blind), ANN.cert, ANN.key).content
    assert parse_inner_mime(ann).attachments[0].content == SCAN


@dataclass
class GrowingSource(ChunkedSource):
    """Appended to after its size was taken (the message's length is fixed by then)."""

    def chunks(self) -> Iterator[memoryview]:
        self.data += b"more"
        return super().chunks()


@pytest.mark.parametrize("sign", [True, False])
def test_an_attachment_that_grew_is_refused(store: CertStore, sign: bool) -> None:
    with pytest.raises(ContentChangedError):
        _into_sinks(store, _message(GrowingSource(SCAN)), sign=sign)


class _Counting:
    """A sink that keeps nothing, as a file does not (from this process's point of view)."""

    def __init__(self) -> None:
        self.written = 0

    def write(self, data: bytes) -> int:
        self.written += len(data)
        return len(data)


@dataclass
class _Generated:
    """``size`` bytes of one repeated random megabyte, made as they are read."""

    size: int
    piece: bytes = os.urandom(1 << 20)

    def chunks(self) -> Iterator[bytes]:
        for offset in range(0, self.size, len(self.piece)):
            yield self.piece[: self.size - offset]


@pytest.mark.parametrize("sign", [True, False])
def test_sealing_a_large_streamed_attachment_holds_no_copy_of_it(
    store: CertStore, sign: bool
) -> None:
    size = 24 * 2**20
    sink = _Counting()
    message = _message(_Generated(size))  # type: ignore[arg-type]
    tracemalloc.start()
    try:
        result: SealResult = seal(store, message, sign=sign, sink_for=lambda n, b: sink)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sink.written > size * 4 // 3
    assert result.envelopes[0].eml is None
    assert peak < 8 * 2**20, f"peak {peak / 2**20:.1f} MiB while sealing {size / 2**20} MiB"
