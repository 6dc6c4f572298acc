"""Attachments read from their files as the message is sealed (the seal command, the
compose window): never held whole."""

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from desktop_app.core.messages import text
from desktop_app.services.files import MAX_ATTACHMENT_BYTES, InputFileError

# Whole base64 lines (57 bytes each) per read: no bytes are carried from one read to the
# next. About a megabyte, so the file is read in few calls and the buffer stays in cache.
_READ_BYTES: Final = 57 * 16 * 1024


@dataclass(frozen=True)
class AttachmentFile:
    """A file's bytes, read each time the message is made (a core ContentSource).

    Nothing of it is held between readings; each reading goes through one reused buffer.
    """

    path: Path
    size: int

    @classmethod
    def open(cls, path: Path, *, max_bytes: int = MAX_ATTACHMENT_BYTES) -> "AttachmentFile":
        """The file at ``path``, checked now to exist, be readable and not too large.

        Raises:
            InputFileError: a missing, unreadable or oversized file, or a folder.
        """
        try:
            # A pipe or a device would block the open or never end: only regular files.
            if not stat.S_ISREG(path.stat().st_mode) and not path.is_dir():
                raise InputFileError(text("file.not_regular", path=path))
            with path.open("rb") as opened:  # open now: an unreadable file fails here
                size = os.fstat(opened.fileno()).st_size
        except FileNotFoundError:
            raise InputFileError(text("file.missing", path=path)) from None
        except IsADirectoryError:
            raise InputFileError(text("file.is_folder", path=path)) from None
        except OSError as error:
            raise _unreadable(path, error) from None
        if size > max_bytes:
            raise InputFileError(text("file.too_large", path=path, size=size))
        return cls(path, size)

    def chunks(self) -> Iterator[memoryview]:
        """The file's bytes in pieces; each is valid only until the next is asked for.

        Raises:
            InputFileError: the file can no longer be read.
        """
        buffer = bytearray(min(_READ_BYTES, max(self.size, 1)))
        view = memoryview(buffer)
        try:
            with self.path.open("rb", buffering=0) as opened:
                while count := opened.readinto(buffer):
                    yield view[:count]
        except OSError as error:
            raise _unreadable(self.path, error) from None


def _unreadable(path: Path, error: OSError) -> InputFileError:
    return InputFileError(text("file.unreadable", path=path, reason=error.strerror or error))
