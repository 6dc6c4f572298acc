"""Bad input: one clean EnvelopeError, promptly, whatever the bytes."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.messages import text
from desktop_app.core.smime.algorithms import ContentCipher
from desktop_app.core.smime.envelope_open import open_envelope
from desktop_app.core.smime.envelope_seal import seal_envelope
from desktop_app.core.smime.errors import EnvelopeError
from desktop_app.core.smime.recipient_seal import EnvelopeRecipient
from tests.core.smime.builders import streamed
from tests.core.smime.conftest import Parties
from tests.work import assert_linear, counting

CONTENT = b"Vertraulich: Patientin 4711, Befund anbei.\r\n" * 20
CVE_2023_49083 = bytes.fromhex("300B06092A864886F70D010702")


@pytest.fixture(scope="module")
def sealed(parties: Parties) -> dict[str, bytes]:
    recipients = [EnvelopeRecipient(p.cert) for p in (parties.ann, parties.carol)]
    cbc = seal_envelope(CONTENT, recipients)
    return {
        "cbc": cbc,
        "gcm": seal_envelope(CONTENT, recipients, ContentCipher.AES256_GCM),
        "ber": streamed(cbc, 64),
    }


# Promptly, counted in lines of Python rather than seconds: a base for the structure plus
# a few lines per input byte (the BER reader's own budget is one header read per 16 bytes).
# Any input here takes a small fraction of this; a reader that loops or rescans does not.
BASE_WORK = 20_000
WORK_PER_BYTE = 4


def _fails_cleanly(data: bytes, parties: Parties) -> None:
    with pytest.raises(EnvelopeError), counting(budget=BASE_WORK + WORK_PER_BYTE * len(data)):
        open_envelope(data, parties.ann.cert, parties.ann.key)


def _fails_in_linear_work(build: Callable[[int], bytes], full: int, parties: Parties) -> None:
    """The full-size input fails cleanly, and the work grows no faster than the input."""
    with pytest.raises(EnvelopeError):
        open_envelope(build(full), parties.ann.cert, parties.ann.key)
    assert_linear(lambda data: _fails_cleanly(data, parties), full // 64, make_input=build)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00",
        b"\x30",
        b"\x30\x80",
        b"\x30\x00",
        b"\x04\x03abc",
        b"\x30\x84\xff\xff\xff\xff",
        b"\x30\x89" + b"\x01" * 9,
        b"\x30\x80\x00\x00",
        b"\x04\x80\x00\x00",  # indefinite length on a primitive
        b"\x1f\xff\xff\xff\xff\x7f\x00",  # tag number too large
        CVE_2023_49083,
        b"-----BEGIN PKCS7-----\nMIAGCSqGSIb3DQEHA6CAMIACAQAxggE=\n-----END PKCS7-----\n",
    ],
)
def test_garbage(parties: Parties, data: bytes) -> None:
    _fails_cleanly(data, parties)


def test_cve_2023_49083_bytes_say_what_they_are(parties: Parties) -> None:
    with pytest.raises(EnvelopeError) as caught:
        open_envelope(CVE_2023_49083, parties.ann.cert, parties.ann.key)
    assert caught.value.message == text("envelope.malformed")


@pytest.mark.parametrize(
    "data",
    [
        b"\x30\x80" * 100_000,  # nested indefinite SEQUENCEs
        # a valid start, then nesting inside the encrypted content's segments
        bytes.fromhex("308006092a864886f70d010703a080308002010031003080") + b"\x24\x80" * 50_000,
        # nesting inside the RecipientInfos
        bytes.fromhex("308006092a864886f70d010703a0803080020100") + b"\x31\x80" * 50_000,
    ],
    ids=["outer", "content", "recipient-infos"],
)
def test_deeply_nested_ber(parties: Parties, data: bytes) -> None:
    _fails_cleanly(data, parties)


def test_deeply_nested_definite_lengths(parties: Parties) -> None:
    # Each level is a SEQUENCE holding the next: lengths are all consistent.
    inner = b"\x05\x00"
    for _ in range(2000):
        length = len(inner)
        header = b"\x30\x84" + length.to_bytes(4, "big")
        inner = header + inner
    _fails_cleanly(inner, parties)


_PREFIX = bytes.fromhex("308006092a864886f70d010703a0803080020100")
_CONTENT_INFO = bytes.fromhex(
    "3080060" + "92a864886f70d010701301d060960864801650304012a0410" + "00" * 16
)


TINY_ELEMENTS: dict[str, Callable[[int], bytes]] = {
    "outer": lambda n: b"\x30\x80" + b"\x05\x00" * n + b"\x00\x00",
    "recipient-infos": lambda n: _PREFIX + b"\x31\x80" + b"\x05\x00" * n + b"\x00\x00" * 4,
    "definite": lambda n: b"\x30\x84" + (2 * n).to_bytes(4, "big") + b"\x05\x00" * n,
    "content-segments": (
        lambda n: _PREFIX + b"\x31\x00" + _CONTENT_INFO + b"\xa0\x80" + b"\x04\x00" * n
    ),
}


@pytest.mark.parametrize("kind", TINY_ELEMENTS)
def test_ten_megabytes_of_tiny_elements(parties: Parties, kind: str) -> None:
    # Millions of two-byte elements: the reader's work budget stops the walk early.
    _fails_in_linear_work(TINY_ELEMENTS[kind], 5_000_000, parties)


def test_ten_megabytes_of_junk(parties: Parties) -> None:
    def junk(size: int) -> bytes:
        return random.Random(size).randbytes(size)

    _fails_in_linear_work(junk, 10 * 1024 * 1024, parties)
    _fails_in_linear_work(lambda size: b"\x30\x80" + junk(size), 10 * 1024 * 1024, parties)


@pytest.mark.parametrize("kind", ["cbc", "gcm", "ber"])
def test_every_truncation(parties: Parties, sealed: dict[str, bytes], kind: str) -> None:
    data = sealed[kind]
    for cut in range(0, len(data), 7):
        _fails_cleanly(data[:cut], parties)


def test_gcm_tampering_is_detected(parties: Parties, sealed: dict[str, bytes]) -> None:
    data = bytearray(sealed["gcm"])
    # the last and first tag bytes, the last ciphertext byte (before "04 10"), an inner one
    for position in (len(data) - 1, len(data) - 16, len(data) - 19, len(data) - 40):
        changed = bytearray(data)
        changed[position] ^= 0x01
        with pytest.raises(EnvelopeError) as caught:
            open_envelope(bytes(changed), parties.ann.cert, parties.ann.key)
        assert caught.value.message == text("envelope.tampered")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=3000))
def test_random_bytes(parties: Parties, data: bytes) -> None:
    with pytest.raises(EnvelopeError):
        open_envelope(data, parties.ann.cert, parties.ann.key)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    kind=st.sampled_from(["cbc", "gcm", "ber"]),
    edits=st.lists(
        st.tuples(
            st.integers(0, 10_000),
            st.sampled_from(["flip", "drop", "insert"]),
            st.binary(min_size=1, max_size=4),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_mutated_envelopes(
    parties: Parties,
    sealed: dict[str, bytes],
    kind: str,
    edits: list[tuple[int, str, bytes]],
) -> None:
    data = bytearray(sealed[kind])
    for position, action, payload in edits:
        position %= len(data)
        if action == "flip":
            data[position] ^= payload[0] or 1
        elif action == "drop":
            del data[position : position + len(payload)]
        else:
            data[position:position] = payload
    try:
        opened = open_envelope(bytes(data), parties.ann.cert, parties.ann.key)
    except EnvelopeError:
        return
    # CBC has no integrity check: a change in unused fields or in the ciphertext can open.
    assert kind != "gcm" or opened.content == CONTENT
