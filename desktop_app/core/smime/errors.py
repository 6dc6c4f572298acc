"""The error type of the CMS envelope layer; its messages are the ``envelope.`` keys."""

from desktop_app.core.errors import UserFacingError


class EnvelopeError(UserFacingError):
    """An S/MIME envelope could not be built, unwrapped or opened; the message says why."""
