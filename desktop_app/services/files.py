"""Reading the user's input files with errors the user can act on."""

from pathlib import Path

from desktop_app.core.errors import UserFacingError

MAX_INPUT_FILE_BYTES = 64 * 1024 * 1024


class InputFileError(UserFacingError):
    """A file named on the command line or in a dialog cannot be read."""


def read_input_file(path: Path) -> bytes:
    """The bytes of ``path``; a missing, unreadable or oversized file is an InputFileError."""
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_FILE_BYTES:
            raise InputFileError(
                f"{path} is too large ({size} bytes) to be a certificate or message."
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise InputFileError(f"{path} is a folder, not a file.") from None
    except OSError as error:
        raise InputFileError(f"{path} cannot be read: {error.strerror or error}.") from None
