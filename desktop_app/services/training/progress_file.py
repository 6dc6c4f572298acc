"""The trainee's progress in the home folder, and the exported completion record."""

import re
from pathlib import Path

from desktop_app.core.training.progress import CompletionRecord, Progress, progress_from_json
from desktop_app.services.files import read_input_file, write_files_atomically

PROGRESS_FILE_NAME = "training-progress.json"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class ProgressFile:
    """``training-progress.json`` in the home folder; written atomically after each attempt."""

    def __init__(self, home: Path) -> None:
        self.path = home / PROGRESS_FILE_NAME

    def load(self) -> Progress:
        """The saved progress, or none yet.

        Raises:
            ProgressError: the file exists but cannot be read as progress.
            InputFileError: the file cannot be read at all.
        """
        if not self.path.exists():
            return Progress()
        raw = read_input_file(self.path, max_bytes=4 * 1024 * 1024)
        return progress_from_json(raw.decode("utf-8", errors="replace"), self.path.name)

    def save(self, progress: Progress) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_files_atomically({self.path: progress.to_json().encode("utf-8")})


def export_record(record: CompletionRecord, folder: Path) -> tuple[Path, Path]:
    """Write the record as CSV and JSON into ``folder``; returns both paths."""
    who = _UNSAFE.sub("-", record.name).strip("-") or "trainee"
    stem = f"training-record-{who}-{record.date.isoformat()}"
    csv_path, json_path = folder / f"{stem}.csv", folder / f"{stem}.json"
    folder.mkdir(parents=True, exist_ok=True)
    write_files_atomically(
        {
            csv_path: record.to_csv().encode("utf-8"),
            json_path: record.to_json().encode("utf-8"),
        }
    )
    return csv_path, json_path
