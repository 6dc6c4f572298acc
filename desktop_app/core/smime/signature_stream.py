"""multipart/signed around an inner entity made as it is read, so it is never held whole.

The signature comes after the signed entity, so it can be made once the entity has gone
by, from the digest taken on the way. That needs the signature's length in advance (the
envelope's length is written before its content), which RSA gives (always the key's
length) and ECDSA does not (its DER integers vary); for ECDSA the entity is read once
more, first, for the digest that is signed. The entity is read once per envelope, and
every reading must give the digest that was signed: a Bcc copy can never carry other
bytes than the To and Cc copy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from cryptography.hazmat.primitives import hashes

from desktop_app.core.messages import text
from desktop_app.core.mime.source import ContentChangedError
from desktop_app.core.smime.signature_mime import (
    fresh_signed_boundary,
    micalg_of,
    multipart_signed_head,
    multipart_signed_tail,
)
from desktop_app.core.smime.signature_sign import content_digest

# Given the content's digest, the DER of a detached SignedData over it.
SignDigest = Callable[[bytes], bytes]


class SignedContent(Protocol):
    """An entity to sign, made as it is read: ``chunks()`` gives ``length`` bytes, the same
    on every call; ``contains`` says whether a boundary candidate occurs in it."""

    @property
    def length(self) -> int: ...

    def chunks(self) -> Iterable[bytes | memoryview]: ...

    def contains(self, needle: bytes) -> bool: ...


@dataclass(frozen=True)
class SignedStream:
    """The multipart/signed entity of ``signed_stream``; each ``chunks()`` reads the inner
    entity as it goes, and ends with the signature part for the digest of that reading."""

    inner: SignedContent
    head: bytes
    hash: hashes.HashAlgorithm
    # Made when the inner entity has been read, from the digest of that reading.
    tail_for: Callable[[bytes], bytes] = field(repr=False)
    tail_length: int

    @property
    def length(self) -> int:
        return len(self.head) + self.inner.length + self.tail_length

    def chunks(self) -> Iterator[bytes | memoryview]:
        """The entity's bytes in order.

        Raises:
            ContentChangedError: the inner entity no longer has the digest that was signed.
        """
        yield self.head
        digest = hashes.Hash(self.hash)
        for chunk in self.inner.chunks():
            digest.update(chunk)
            yield chunk
        tail = self.tail_for(digest.finalize())
        if len(tail) != self.tail_length:  # cannot happen for the key kinds sorted below
            raise ValueError("the signature's length changed after it was announced")
        yield tail


def signed_stream(
    inner: SignedContent,
    sign: SignDigest,
    hash: hashes.HashAlgorithm,
    *,
    fixed_length: bool,
) -> SignedStream:
    """``inner`` signed with ``sign`` (over its ``hash`` digest) as multipart/signed.

    ``fixed_length``: every signature ``sign`` makes has the same length (RSA), so the
    inner entity is signed as the first reading of the result goes by; otherwise it is
    read once more, first. Either way it is signed once, and later readings are checked
    against that digest.

    Raises:
        SignatureError: ``sign`` did not make a SignedData.
    """
    boundary = fresh_signed_boundary(inner.contains)
    if fixed_length:
        trial = sign(bytes(hash.digest_size))  # a stand-in of the real one's length
        first: list[tuple[bytes, bytes]] = []  # the first reading's digest and its tail

        def sign_now(digest: bytes) -> bytes:
            if not first:
                first.append((digest, multipart_signed_tail(sign(digest), boundary)))
            signed_digest, tail = first[0]
            if digest != signed_digest:
                raise ContentChangedError(text("seal.content_changed"))
            return tail

        head = multipart_signed_head(micalg_of(trial), boundary)
        tail_length = len(multipart_signed_tail(trial, boundary))
        return SignedStream(inner, head, hash, sign_now, tail_length)
    signed_digest = content_digest(inner.chunks(), hash)
    signature = sign(signed_digest)
    tail = multipart_signed_tail(signature, boundary)

    def checked(digest: bytes) -> bytes:
        if digest != signed_digest:
            raise ContentChangedError(text("seal.content_changed"))
        return tail

    head = multipart_signed_head(micalg_of(signature), boundary)
    return SignedStream(inner, head, hash, checked, len(tail))
