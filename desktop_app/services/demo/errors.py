"""The demo's error, apart from the certificate code so that finding a built demo stays cheap."""

from desktop_app.core.errors import UserFacingError


class DemoError(UserFacingError):
    """The demo home cannot be built."""
