"""Reading the user's input files and writing results, with errors the user can act on."""

import os
from pathlib import Path

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text

MAX_INPUT_FILE_BYTES = 64 * 1024 * 1024
# Exchange's default message size limit is far below this; larger files are surely a mistake.
MAX_ATTACHMENT_BYTES = 512 * 1024 * 1024


def write_files_atomically(files: dict[Path, bytes]) -> None:
    """Write every file or none: each goes to a temporary name first, then is renamed.

    On any failure the files written so far are removed again, so a half-written set of
    envelopes never looks like a finished one.
    """
    done: list[Path] = []
    try:
        for path, data in files.items():
            temporary = path.with_name(f".{path.name}.partial")
            temporary.write_bytes(data)
            os.replace(temporary, path)
            done.append(path)
    except OSError as error:
        for path in done:
            path.unlink(missing_ok=True)
        for path in files:
            path.with_name(f".{path.name}.partial").unlink(missing_ok=True)
        raise InputFileError(
            text("file.unwritable", path=path, reason=error.strerror or error)
        ) from None


class InputFileError(UserFacingError):
    """A file named on the command line or in a dialog cannot be read."""


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
