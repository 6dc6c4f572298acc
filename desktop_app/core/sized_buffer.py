"""An in-memory buffer made at its final size."""

import io


def sized_buffer(size: int) -> io.BytesIO:
    """A BytesIO already grown to ``size`` bytes: filled by writes from the start, it never
    reallocates, and getvalue() hands its buffer over without a copy."""
    out = io.BytesIO()
    if size:
        out.seek(size - 1)
        out.write(b"\0")
        out.seek(0)
    return out
