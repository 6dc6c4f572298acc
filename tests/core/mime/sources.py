"""Attachment sources for the streaming tests, read the way a file is."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from desktop_app.core.mime.encode import BLOCK_BYTES


@dataclass
class ChunkedSource:
    """A ContentSource giving ``data`` in pieces of the given sizes (cycled), through one
    reused buffer as a file reader does, so a consumer that keeps a chunk sees it change."""

    data: bytes
    sizes: tuple[int, ...] = (BLOCK_BYTES,)
    reads: int = field(default=0)

    @property
    def size(self) -> int:
        return len(self.data)

    def chunks(self) -> Iterator[memoryview]:
        self.reads += 1
        buffer = bytearray(max(self.sizes))
        offset, turn = 0, 0
        while offset < len(self.data):
            size = min(self.sizes[turn % len(self.sizes)], len(self.data) - offset)
            buffer[:size] = self.data[offset : offset + size]
            yield memoryview(buffer)[:size]
            buffer[:size] = b"\xee" * size  # a kept chunk would now read as garbage
            offset, turn = offset + size, turn + 1
