"""``--password-env``: a password taken from a named environment variable, never from argv."""

import argparse
import os

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text


class PasswordEnvironmentError(UserFacingError):
    """``--password-env`` names a variable that is not set."""


class PasswordUnavailableError(UserFacingError):
    """A password is needed, and neither ``--password-env`` nor a terminal gives it."""


def password_from_environment(arguments: argparse.Namespace) -> str | None:
    """The value of the variable ``--password-env`` names; None without the option."""
    if not arguments.password_env:
        return None
    value = os.environ.get(arguments.password_env)
    if value is None:
        raise PasswordEnvironmentError(
            text("cli.password_env_unset", variable=arguments.password_env)
        )
    return value
