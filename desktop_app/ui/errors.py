"""The one place where errors become text the user reads; never a traceback."""

import logging
import traceback

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text

log = logging.getLogger(__name__)


def error_text(error: BaseException) -> str:
    """What to tell the user about ``error``; anything unexpected is logged by type only."""
    if isinstance(error, UserFacingError):
        return error.message
    if isinstance(error, OSError):
        return text("ui.error_file", reason=error.strerror or type(error).__name__)
    # The frames only: an exception's message may quote addresses, which the log never holds.
    frames = "".join(traceback.format_tb(error.__traceback__))
    log.error("unexpected error in the window: %s\n%s", type(error).__name__, frames)
    return text("ui.error_internal")
