"""Content read once per envelope must be the same every time.

A message with Bcc recipients is encrypted several times, and each encryption reads the
attachments from their files again. Were a file rewritten in between, one recipient's
copy would carry other bytes than the rest, and nobody would know.
"""

import hashlib
from collections.abc import Iterator

from desktop_app.core.messages import text
from desktop_app.core.mime.source import ContentChangedError
from desktop_app.core.smime.envelope_seal import ContentStream


class SameOnEveryReading:
    """``content`` whose every reading after the first is checked against the first.

    The check is at the end of a reading, so the envelope being written then fails and
    is discarded: no envelope is made of other bytes than the first.
    """

    def __init__(self, content: ContentStream) -> None:
        self._content = content
        self._first: bytes | None = None

    @property
    def length(self) -> int:
        return self._content.length

    def chunks(self) -> Iterator[bytes | memoryview]:
        """The content's bytes.

        Raises:
            ContentChangedError: this reading differs from the first.
        """
        digest = hashlib.sha256()
        for chunk in self._content.chunks():
            digest.update(chunk)
            yield chunk
        reading = digest.digest()
        if self._first is None:
            self._first = reading
        elif reading != self._first:
            raise ContentChangedError(text("seal.content_changed"))
