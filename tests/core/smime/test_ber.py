"""The BER locator and DER header writer, against asn1crypto's own parser and encoder."""

from __future__ import annotations

import pytest
from asn1crypto import core, parser
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.smime.ber import MAX_DEPTH, BerError, BerReader, der_header, der_length


@pytest.mark.parametrize(
    ("length", "encoded"),
    [
        (0, "00"),
        (127, "7f"),
        (128, "8180"),
        (255, "81ff"),
        (256, "820100"),
        (65535, "82ffff"),
        (65536, "83010000"),
        (2**24, "8401000000"),
        (2**32 - 1, "84ffffffff"),
    ],
)
def test_der_length_boundaries(length: int, encoded: str) -> None:
    assert der_length(length).hex() == encoded


@settings(max_examples=60, deadline=None)
@given(size=st.integers(0, 70_000), identifier=st.sampled_from([0x04, 0x30, 0x31, 0x80, 0xA0]))
def test_der_header_matches_asn1crypto(size: int, identifier: int) -> None:
    contents = b"\x00" * size
    assert der_header(identifier, size) + contents == parser.emit(
        identifier >> 6, (identifier >> 5) & 1, identifier & 0x1F, contents
    )


def test_der_header_refuses_what_it_cannot_write() -> None:
    with pytest.raises(ValueError):
        der_header(0x1F, 1)
    with pytest.raises(ValueError):
        der_length(-1)


# BER trees: (identifier, children or bytes, indefinite?)
_leaf = st.tuples(st.sampled_from([0x02, 0x04, 0x05, 0x80, 0x81]), st.binary(max_size=300))
_trees = st.recursive(
    _leaf,
    lambda children: st.tuples(
        st.sampled_from([0x30, 0x31, 0xA0, 0xA1, 0x24]),
        st.lists(children, max_size=4),
        st.booleans(),
    ),
    max_leaves=12,
)


def _encode(tree: tuple) -> bytes:  # type: ignore[type-arg]
    if isinstance(tree[1], bytes):
        return parser.emit(tree[0] >> 6, 0, tree[0] & 0x1F, tree[1])
    identifier, children, indefinite = tree
    contents = b"".join(_encode(child) for child in children)
    if indefinite:
        return bytes((identifier, 0x80)) + contents + b"\x00\x00"
    return der_header(identifier, len(contents)) + contents


def _walk(reader: BerReader, offset: int) -> tuple:  # type: ignore[type-arg]
    tlv = reader.element(offset)
    identifier = reader.view[offset]
    if not tlv.constructed:
        return (identifier, bytes(reader.view[tlv.content_start : tlv.content_end]))
    children = [_walk(reader, child.start) for child in reader.children(tlv)]
    return (identifier, children, tlv.indefinite)


@settings(max_examples=200, deadline=None)
@given(tree=_trees, trailing=st.binary(max_size=8))
def test_reader_recovers_any_tree(tree: tuple, trailing: bytes) -> None:  # type: ignore[type-arg]
    encoded = _encode(tree)
    reader = BerReader(encoded + trailing)
    assert _walk(reader, 0) == tree
    tlv = reader.element(0)
    assert tlv.end == len(encoded)
    # asn1crypto agrees on where the element ends
    _, _, _, header, contents, trailer = parser.parse(encoded + trailing)
    assert len(header) + len(contents) + len(trailer) == tlv.end


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=200))
def test_random_bytes_give_an_element_or_ber_error(data: bytes) -> None:
    reader = BerReader(data)
    try:
        tlv = reader.element(0)
    except BerError:
        return
    assert tlv.end <= len(data)


def test_octet_chunks_of_constructed_strings() -> None:
    segments = [core.OctetString(part).dump() for part in (b"ab", b"", b"cde")]
    nested = b"\x24\x80" + segments[0] + segments[1] + b"\x00\x00"
    encoded = b"\xa0\x80" + nested + segments[2] + b"\x00\x00"
    reader = BerReader(encoded)
    assert b"".join(reader.octet_chunks(reader.element(0))) == b"abcde"


def test_octet_chunks_refuse_other_segments() -> None:
    reader = BerReader(b"\xa0\x03\x02\x01\x00")
    with pytest.raises(BerError):
        list(reader.octet_chunks(reader.element(0)))


def test_high_tag_numbers() -> None:
    reader = BerReader(b"\x9f\x81\x00\x01\x07")
    tlv = reader.element(0)
    assert (tlv.tag_class, tlv.tag, tlv.content_start, tlv.end) == (2, 128, 4, 5)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x30",
        b"\x30\x81",
        b"\x30\x02\x00",
        b"\x30\x80\x05\x00",
        b"\x04\x80\x00\x00",
        b"\x30\x85\x01\x00\x00\x00\x00",
        b"\x1f\x80\x01\x00",  # tag number with a leading zero octet
        b"\x1f\xff\xff\xff\xff\x01\x00",
    ],
)
def test_malformed(data: bytes) -> None:
    with pytest.raises(BerError) as caught:
        BerReader(data).element(0)
    assert caught.value.detail


def test_nesting_is_bounded() -> None:
    depth_ok = b"\x30\x80" * MAX_DEPTH + b"\x00\x00" * MAX_DEPTH
    assert BerReader(depth_ok).element(0).end == len(depth_ok)
    too_deep = b"\x30\x80" * (MAX_DEPTH + 2) + b"\x00\x00" * (MAX_DEPTH + 2)
    with pytest.raises(BerError):
        BerReader(too_deep).element(0)


def test_children_of_a_primitive_is_an_error() -> None:
    reader = BerReader(b"\x04\x01\x00")
    with pytest.raises(BerError):
        list(reader.children(reader.element(0)))


def test_work_is_bounded_by_input_size() -> None:
    # 1024 + size/16 header reads: enough for real encoders, not for a swarm of tiny elements.
    swarm = b"\x30\x80" + b"\x05\x00" * 20_000 + b"\x00\x00"
    with pytest.raises(BerError) as caught:
        BerReader(swarm).element(0)
    assert caught.value.detail == "too many elements"
    segments = b"".join(core.OctetString(b"x" * 64).dump() for _ in range(5000))
    realistic = b"\xa0\x80" + segments + b"\x00\x00"
    reader = BerReader(realistic)
    assert len(list(reader.octet_chunks(reader.element(0)))) == 5000
