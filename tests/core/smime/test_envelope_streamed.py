"""Envelopes around content made as it is encrypted: the same envelope as from bytes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from desktop_app.core.smime.algorithms import ContentCipher
from desktop_app.core.smime.envelope_open import open_envelope
from desktop_app.core.smime.envelope_seal import seal_envelope
from desktop_app.core.smime.recipient_seal import EnvelopeRecipient
from tests.core.smime.conftest import Parties

CONTENT = os.urandom(3 * 2**20 + 7)


@dataclass(frozen=True)
class Stream:
    """A ContentStream of ``data`` in pieces of ``size``; ``length`` may be made to lie."""

    data: bytes
    size: int
    length_error: int = 0

    @property
    def length(self) -> int:
        return len(self.data) + self.length_error

    def chunks(self) -> Iterator[bytes]:
        for offset in range(0, len(self.data), self.size):
            yield self.data[offset : offset + self.size]


def _fixed(size: int) -> bytes:
    return b"\x42" * size  # the same key and IV for both, so the envelopes compare


@pytest.mark.parametrize("cipher", list(ContentCipher))
@pytest.mark.parametrize("size", [1, 4_099, 2**20, 5 * 2**20])
def test_a_stream_seals_to_the_envelope_of_its_bytes(
    parties: Parties, cipher: ContentCipher, size: int
) -> None:
    data = CONTENT if size > 1 else CONTENT[:5_000]
    recipients = [EnvelopeRecipient(parties.carol.cert)]  # ECDH: no random padding
    from_stream = seal_envelope(Stream(data, size), recipients, cipher, random_bytes=_fixed)
    opened = open_envelope(from_stream, parties.carol.cert, parties.carol.key)
    assert opened.content == data
    # Apart from the ephemeral ECDH key, the two envelopes have the same layout and,
    # with the same content key and IV, the same ciphertext.
    from_bytes = seal_envelope(data, recipients, cipher, random_bytes=_fixed)
    assert len(from_stream) == len(from_bytes)
    assert from_stream[-len(data) :] == from_bytes[-len(data) :]


@pytest.mark.parametrize("error", [-1, 1])
def test_a_stream_that_is_not_its_announced_length_is_refused(parties: Parties, error: int) -> None:
    recipients = [EnvelopeRecipient(parties.ann.cert)]
    with pytest.raises(ValueError, match="announced"):
        seal_envelope(Stream(CONTENT, 2**16, error), recipients)
