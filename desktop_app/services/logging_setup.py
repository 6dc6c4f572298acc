"""Logging to a rotating file in the user log folder, and to stderr with ``--verbose``.

Log records carry commands, counts, codes and file names only: never message text,
recipient addresses, secrets or key material.
"""

import logging
import logging.handlers
import sys
from pathlib import Path

LOG_FILE_NAME = "smime-guard.log"
MAX_LOG_BYTES = 1_000_000
KEPT_LOG_FILES = 3
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(folder: Path, *, verbose: bool) -> Path | None:
    """Send records to ``folder``/smime-guard.log; return the file, or None if not writable.

    A log folder that cannot be created must not stop the program: it then logs to
    stderr when verbose, and otherwise not at all.
    """
    root = logging.getLogger("desktop_app")
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    root.propagate = False
    log_file: Path | None = folder / LOG_FILE_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(
            folder / LOG_FILE_NAME,
            maxBytes=MAX_LOG_BYTES,
            backupCount=KEPT_LOG_FILES,
            encoding="utf-8",
        )
    except OSError:
        log_file = None
    else:
        file_handler.setFormatter(logging.Formatter(_FORMAT))
        root.addHandler(file_handler)
    if verbose:
        stderr_handler = logging.StreamHandler(sys.stderr)
        stderr_handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(stderr_handler)
    if not root.handlers:
        root.addHandler(logging.NullHandler())
    # exchangelib's error records quote whole SOAP requests (recipient addresses) and would
    # otherwise reach stderr through Python's last-resort handler.
    exchangelib_log = logging.getLogger("exchangelib")
    exchangelib_log.propagate = False
    if not exchangelib_log.handlers:
        exchangelib_log.addHandler(logging.NullHandler())
    return log_file
