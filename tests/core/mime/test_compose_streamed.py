"""inner_mime: the entity made as it is read, attachments from sources; same bytes as built."""

from __future__ import annotations

import base64
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.mime.compose import Attachment, InnerMessage, build_inner_mime, inner_mime
from desktop_app.core.mime.encode import BLOCK_BYTES, base64_lines
from desktop_app.core.mime.parse import parse_inner_mime
from desktop_app.core.mime.source import ContentChangedError
from tests.core.mime.sources import ChunkedSource

SEED = b"streamed-seed"


def _streamed(message: InnerMessage) -> bytes:
    entity = inner_mime(message, boundary_seed=SEED)
    data = b"".join(bytes(chunk) for chunk in entity.chunks())
    assert len(data) == entity.length
    return data


def test_a_streamed_attachment_gives_the_bytes_of_an_in_memory_one() -> None:
    scan = os.urandom(3 * BLOCK_BYTES + 1234)
    in_memory = InnerMessage("Befund\n", attachments=(Attachment("scan.bin", scan),))
    source = ChunkedSource(scan, sizes=(1, 1000, BLOCK_BYTES + 5, 57, 3 * BLOCK_BYTES))
    streamed = InnerMessage("Befund\n", attachments=(Attachment("scan.bin", source),))
    expected = build_inner_mime(in_memory, boundary_seed=SEED)
    assert _streamed(streamed) == expected
    assert build_inner_mime(streamed, boundary_seed=SEED) == expected
    assert parse_inner_mime(expected).attachments[0].content == scan


def test_every_reading_gives_the_same_bytes() -> None:
    source = ChunkedSource(os.urandom(200_000), sizes=(70_001,))
    entity = inner_mime(InnerMessage("x", attachments=(Attachment("a.bin", source),)))
    first = b"".join(bytes(c) for c in entity.chunks())
    assert b"".join(bytes(c) for c in entity.chunks()) == first
    assert source.reads == 2


def test_the_length_is_known_before_anything_is_read() -> None:
    source = ChunkedSource(os.urandom(10_000))
    entity = inner_mime(InnerMessage("x", attachments=(Attachment("a.bin", source),)))
    assert source.reads == 0
    assert entity.length == len(b"".join(bytes(c) for c in entity.chunks()))


@pytest.mark.parametrize("change", [-1, 1, -10_000])
def test_a_source_that_gives_other_than_its_size_is_refused(change: int) -> None:
    data = os.urandom(20_000)

    class Lying(ChunkedSource):
        @property
        def size(self) -> int:
            return len(self.data) - change

    entity = inner_mime(InnerMessage("x", attachments=(Attachment("a.bin", Lying(data)),)))
    with pytest.raises(ContentChangedError) as refused:
        b"".join(bytes(c) for c in entity.chunks())
    assert "a.bin" in refused.value.message


def test_contains_looks_at_everything_but_the_attachment_lines() -> None:
    message = InnerMessage(
        "a line with ----_x in it\n", attachments=(Attachment("a.bin", b"\xfb\xff"),)
    )
    entity = inner_mime(message)
    assert entity.contains(b"----_x")
    assert entity.contains(b'name="a.bin"')
    assert not entity.contains(b"----_y")
    with pytest.raises(ValueError):
        entity.contains(b"AB+/")  # could lie inside the base64 lines
    with pytest.raises(ValueError):
        entity.contains(b"-\r\n")


def test_contains_accepts_a_needle_with_a_non_base64_byte() -> None:
    entity = inner_mime(InnerMessage("x", attachments=(Attachment("a.bin", b"+/+/"),)))
    assert not entity.contains(b"-+")


@settings(max_examples=80, deadline=None)
@given(
    data=st.binary(max_size=3 * BLOCK_BYTES),
    sizes=st.lists(st.integers(min_value=1, max_value=BLOCK_BYTES + 100), min_size=1, max_size=5),
)
def test_base64_lines_do_not_depend_on_how_the_bytes_are_cut(data: bytes, sizes: list[int]) -> None:
    source = ChunkedSource(data, tuple(sizes))
    encoded = b"".join(base64_lines(source.chunks()))
    assert encoded == b"".join(base64_lines((data,)))
    assert base64.b64decode(encoded.replace(b"\r\n", b"")) == data
    lines = encoded.split(b"\r\n")
    assert lines[-1] == b""
    assert all(len(line) == 76 for line in lines[:-2])
