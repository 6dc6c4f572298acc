"""Reading the user's input files with errors the user can act on."""

from pathlib import Path

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text

MAX_INPUT_FILE_BYTES = 64 * 1024 * 1024


class InputFileError(UserFacingError):
    """A file named on the command line or in a dialog cannot be read."""


def read_input_file(path: Path) -> bytes:
    """The bytes of ``path``; a missing, unreadable or oversized file is an InputFileError."""
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_FILE_BYTES:
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
