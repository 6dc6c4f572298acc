"""Writing to the terminal: results to stdout, errors to stderr, all text from messages."""

import sys

from desktop_app.core.messages import text


def report_error(message: str) -> None:
    """One line on stderr, prefixed with the program name."""
    print(text("cli.error", message=message), file=sys.stderr)


def say(key: str, **values: object) -> None:
    """The message ``key`` on stdout."""
    print(text(key, **values))
