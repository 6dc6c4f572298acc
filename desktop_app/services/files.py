"""Reading the user's input files and writing results, with errors the user can act on."""

import contextlib
import errno
import os
from pathlib import Path
from typing import BinaryIO

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text

# A full disk, a file-size limit (ulimit -f, FAT32's 4 GiB) and a quota all mean the same
# to the user: there is no room for this file. One typed error for all three.
_OUT_OF_SPACE = frozenset(
    number
    for number in (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", None))
    if number is not None
)

MAX_INPUT_FILE_BYTES = 64 * 1024 * 1024
# Exchange's default message size limit is far below this; larger files are surely a mistake.
MAX_ATTACHMENT_BYTES = 512 * 1024 * 1024


def replace_file(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write ``data`` to ``path`` so a reader sees the old file or the new one, never half.

    The data goes to ``.<name>.partial``, is synced to disk and renamed over ``path``; the
    folder is synced too, so the rename itself survives a crash. ``private`` makes the
    file owner-only (0600) from the start. Raises OSError; nothing partial is left behind.
    """
    temporary = path.with_name(f".{path.name}.partial")
    mode = 0o600 if private else 0o666
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with os.fdopen(descriptor, "wb") as out:
            if private and os.name == "posix":
                os.fchmod(out.fileno(), 0o600)  # the file may have existed with a wider mode
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not every system opens folders; the rename is done either way
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # the rename is done; only its durability is in doubt
    finally:
        os.close(descriptor)


class NewFiles:
    """Files written under temporary names and renamed together on ``commit``, or none.

    Used as a context manager: leaving it by an exception, or without ``commit``, removes
    whatever was written, so a half-written set of envelopes never looks finished.
    """

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._pending: list[tuple[Path, Path, BinaryIO]] = []
        self.paths: list[Path] = []

    def open(self, name: str) -> "NewFile":
        """A new file ``name`` in the folder, to write; it appears only on ``commit``.

        A write that fails (a full disk) raises a UserFacingError naming the file.
        """
        final = self._folder / name
        temporary = final.with_name(f".{name}.partial")
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
            handle = temporary.open("wb")
        except OSError as error:
            raise unwritable_error(final, error) from None
        self._pending.append((temporary, final, handle))
        return NewFile(handle, final)

    def write(self, name: str, data: bytes) -> None:
        self.open(name).write(data)

    def commit(self) -> list[Path]:
        """Make every file appear under its name; on failure none does."""
        current = self._folder  # the file being finished, for the error message
        try:
            for _, path, handle in self._pending:
                current = path
                handle.flush()
                os.fsync(handle.fileno())
                handle.close()
            for temporary, path, _ in self._pending:
                current = path
                os.replace(temporary, path)
                self.paths.append(path)
        except OSError as error:
            self.discard()
            raise unwritable_error(current, error) from None
        self._pending.clear()
        return list(self.paths)

    def discard(self) -> None:
        for temporary, _, handle in self._pending:
            # Closing flushes what is buffered, which fails again on a full disk; the file
            # goes either way.
            with contextlib.suppress(OSError):
                handle.close()
            temporary.unlink(missing_ok=True)
        for path in self.paths:
            path.unlink(missing_ok=True)
        self._pending.clear()
        self.paths.clear()

    def __enter__(self) -> "NewFiles":
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._pending:
            self.discard()


class NewFile:
    """A file being written by NewFiles: ``write`` only, its failures as user-facing errors."""

    def __init__(self, handle: BinaryIO, path: Path) -> None:
        self._handle = handle
        self._path = path

    def write(self, data: bytes, /) -> int:
        try:
            return self._handle.write(data)
        except OSError as error:
            raise unwritable_error(self._path, error) from None


def unwritable_error(path: Path, error: OSError) -> "InputFileError":
    """The error to show when ``path`` cannot be written: NoSpaceError when the disk is
    full or a size limit or quota was reached, otherwise the reason the system gave."""
    reason = error.strerror or str(error)
    if error.errno in _OUT_OF_SPACE:
        return NoSpaceError(text("file.no_space", path=path, reason=reason))
    return InputFileError(text("file.unwritable", path=path, reason=reason))


def write_files_atomically(files: dict[Path, bytes]) -> None:
    """Write every file or none (each file's folder is used as given)."""
    by_folder: dict[Path, list[tuple[str, bytes]]] = {}
    for path, data in files.items():
        by_folder.setdefault(path.parent, []).append((path.name, data))
    for folder, entries in by_folder.items():
        with NewFiles(folder) as new_files:
            for name, data in entries:
                new_files.write(name, data)
            new_files.commit()


class InputFileError(UserFacingError):
    """A file named on the command line or in a dialog cannot be read."""


class NoSpaceError(InputFileError):
    """No room to write a file: the disk is full, or a file-size limit or quota is reached."""


def read_input_file(path: Path, *, max_bytes: int = MAX_INPUT_FILE_BYTES) -> bytes:
    """The bytes of ``path``; a missing, unreadable or oversized file is an InputFileError."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputFileError(text("file.too_large", path=path, size=size))
        return path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(text("file.missing", path=path)) from None
    except IsADirectoryError:
        raise InputFileError(text("file.is_folder", path=path)) from None
    except OSError as error:
        raise InputFileError(
            text("file.unreadable", path=path, reason=error.strerror or error)
        ) from None
