"""Attachment bytes read on demand (from a file, say), so a large one is never held whole."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

from desktop_app.core.messages import text
from desktop_app.core.mime.errors import MimeError


class ContentSource(Protocol):
    """The bytes of an attachment, read each time they are needed.

    ``size`` is the number of bytes ``chunks()`` yields, known before reading: the sealed
    message's length is written ahead of its content. ``chunks()`` may be called more than
    once (a signed message is read twice: once to sign, once to encrypt); each call reads
    from the start. A chunk need only stay valid until the next one is requested.
    """

    @property
    def size(self) -> int: ...

    def chunks(self) -> Iterable[bytes | memoryview]: ...


class ContentChangedError(MimeError):
    """An attachment's bytes changed while the message was being made; nothing is sent."""


def exact_chunks(source: ContentSource, name: str) -> Iterator[bytes | memoryview]:
    """The chunks of ``source``, checked to add up to exactly its ``size``.

    Raises:
        ContentChangedError: the source gave more or fewer bytes than its size (the file
            was changed while it was read); the bytes already passed on must be discarded.
    """
    left = source.size
    for chunk in source.chunks():
        size = memoryview(chunk).nbytes
        left -= size
        if left < 0:
            raise ContentChangedError(text("mime.attachment_changed", name=name))
        yield chunk
    if left:
        raise ContentChangedError(text("mime.attachment_changed", name=name))
