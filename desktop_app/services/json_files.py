"""JSON files in the home folder (accounts, queue, caches), each replaced whole or not at all."""

from __future__ import annotations

import json
from pathlib import Path

from desktop_app.core.errors import UserFacingError
from desktop_app.services.files import replace_file

CANNOT_WRITE = "Could not write {path}: {reason}."
CANNOT_READ = "Could not read {path}: {reason}."
DAMAGED = "{path} is damaged (not the JSON smime-guard wrote); remove it and try again."


class StorageError(UserFacingError):
    """A file of the home folder cannot be read or written."""


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so a reader sees the old file or the new one, never half.

    The data is flushed to disk before the rename, so a crash cannot leave an empty file
    in place of a queued message.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, data)
    except OSError as error:
        raise StorageError(CANNOT_WRITE.format(path=path, reason=_reason(error))) from None


def write_json(path: Path, document: object) -> None:
    data = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
    write_atomically(path, data + b"\n")


def read_json(path: Path) -> object | None:
    """The JSON document in ``path``, or None when there is no such file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StorageError(CANNOT_READ.format(path=path, reason=_reason(error))) from None
    try:
        document: object = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise StorageError(DAMAGED.format(path=path)) from None
    return document


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__
