"""The error type of the MIME layer; its messages are the ``mime.`` keys of core.messages."""

from typing import Final

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import MESSAGES

# Templates that compose.py still formats itself; everywhere else uses text("mime.…").
MSG_EMPTY_FILENAME: Final = MESSAGES["mime.empty_filename"]
MSG_BAD_CONTENT_TYPE: Final = MESSAGES["mime.bad_content_type"]
MSG_TEXT_NOT_ENCODABLE: Final = MESSAGES["mime.text_not_encodable"]


class MimeError(UserFacingError):
    """A MIME message could not be built or read; the message says why."""
