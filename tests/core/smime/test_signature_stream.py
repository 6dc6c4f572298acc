"""signed_stream: the multipart/signed of multipart_signed, made while the content streams."""

from __future__ import annotations

import os
import re
from collections.abc import Callable

import pytest

from desktop_app.core.mime.compose import Attachment, InnerMessage, build_inner_mime, inner_mime
from desktop_app.core.smime.signature_mime import multipart_signed, split_multipart_signed
from desktop_app.core.smime.signature_sign import SHA256, sign_detached_digest
from desktop_app.core.smime.signature_stream import signed_stream
from tests.core.mime.sources import ChunkedSource
from tests.factories.certs import NOW, Issued, TestCA

CA = TestCA("Signature Stream Root")
RSA_SIGNER = CA.issue(["rsa@clinic.example"])
EC_SIGNER = CA.issue(["ec@clinic.example"], key_kind="p256", slot=1)
SCAN = os.urandom(250_000)
SEED = b"seed"


def _signer(person: Issued, calls: list[bytes] | None = None) -> Callable[[bytes], bytes]:
    def sign(digest: bytes) -> bytes:
        if calls is not None:
            calls.append(digest)
        return sign_detached_digest(digest, person.cert, person.key, signing_time=NOW)  # type: ignore[arg-type]

    return sign


def _streamed(person: Issued, *, fixed: bool) -> tuple[bytes, bytes]:
    message = InnerMessage("x\n", attachments=(Attachment("s.bin", ChunkedSource(SCAN)),))
    entity = signed_stream(
        inner_mime(message, boundary_seed=SEED), _signer(person), SHA256, fixed_length=fixed
    )
    data = b"".join(bytes(c) for c in entity.chunks())
    assert len(data) == entity.length
    inner = build_inner_mime(
        InnerMessage("x\n", attachments=(Attachment("s.bin", SCAN),)), boundary_seed=SEED
    )
    return data, inner


@pytest.mark.parametrize(("person", "fixed"), [(RSA_SIGNER, True), (EC_SIGNER, False)])
def test_it_is_multipart_signed_of_the_whole_entity(person: Issued, fixed: bool) -> None:
    data, inner = _streamed(person, fixed=fixed)
    boundary = re.search(rb'boundary="([^"]+)"', data)
    assert boundary is not None
    signature = split_multipart_signed(data).signature  # ECDSA differs each time
    assert data == multipart_signed(inner, signature, boundary=boundary[1].decode())


def test_a_signature_of_another_length_than_announced_is_refused() -> None:
    calls: list[bytes] = []
    sign = _signer(RSA_SIGNER, calls)

    def longer_after_the_trial(digest: bytes) -> bytes:
        der = sign(digest)
        return der if len(calls) == 1 else der + b"\0" * 3

    message = InnerMessage("x\n", attachments=(Attachment("s.bin", SCAN),))
    entity = signed_stream(inner_mime(message), longer_after_the_trial, SHA256, fixed_length=True)
    with pytest.raises(ValueError, match="length"):
        b"".join(bytes(c) for c in entity.chunks())
