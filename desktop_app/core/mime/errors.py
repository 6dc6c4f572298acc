"""The error type of the MIME layer; its messages are the ``mime.`` keys of core.messages."""

from desktop_app.core.errors import UserFacingError


class MimeError(UserFacingError):
    """A MIME message could not be built or read; the message says why."""
