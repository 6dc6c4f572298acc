"""The ``smime-guard`` command: parse arguments, run one command, map errors to exit codes."""

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from desktop_app.cli.exit_codes import EXIT_FAILURE, EXIT_USAGE
from desktop_app.cli.output import report_error
from desktop_app.cli.parser import build_parser
from desktop_app.cli.windows import WindowCommands
from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.services.logging_setup import configure_logging
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.paths import home_folder, log_folder

log = logging.getLogger(__name__)


def _dispatch(arguments: argparse.Namespace, windows: WindowCommands | None) -> int:
    # Commands are imported when run: the window must paint before the certificate, CMS
    # and keyring code loads, and each command needs only its own.
    if arguments.self_test:
        from desktop_app.cli.selftest_command import run_self_test

        return run_self_test(arguments, home_folder(arguments.home))
    if arguments.command in (None, "train"):
        if windows is None:
            report_error(text("cli.no_windows"))
            return EXIT_USAGE
        # Before Qt starts: a platform plugin that cannot load aborts the process, with a
        # hint that names the wrong library.
        from desktop_app.services.platform_libraries import check_window_platform

        check_window_platform()
    if arguments.command is None:
        assert windows is not None
        return windows.main_window(arguments)
    home = home_folder(arguments.home)
    access = MailAccess(home)  # nothing is opened until a command asks
    # Each command imports only its own module: start-up is most of a small command's time.
    if arguments.command == "certs":
        from desktop_app.cli.certs_commands import run_certs

        return run_certs(arguments, home)
    if arguments.command == "identity":
        from desktop_app.cli.identity_command import run_identity

        return run_identity(arguments, access)
    if arguments.command == "seal":
        from desktop_app.cli.seal_command import run_seal

        return run_seal(arguments, access)
    if arguments.command == "open":
        from desktop_app.cli.open_command import run_open

        return run_open(arguments, access)
    if arguments.command == "lint":
        from desktop_app.cli.lint_command import run_lint

        return run_lint(arguments)
    if arguments.command == "train":
        assert windows is not None
        return windows.training(home)
    if arguments.command == "admin":
        from desktop_app.cli.admin_command import run_admin

        return run_admin(arguments)
    if arguments.command == "directory":
        from desktop_app.cli.directory_command import run_directory

        return run_directory(arguments, access)
    if arguments.command in ("account", "send", "outbox", "retry", "inbox"):
        from desktop_app.cli.account_command import account_access, run_accounts

        return run_accounts(arguments, account_access(arguments, home))
    if arguments.command == "exchange":
        from desktop_app.cli.exchange_command import run_exchange

        return run_exchange(arguments, access)
    if arguments.command == "audit":
        from desktop_app.cli.audit_command import run_audit

        try:
            return run_audit(arguments, home)
        except OSError as error:
            report_error(str(error.strerror or type(error).__name__))
            return EXIT_USAGE
    from desktop_app.cli.check_command import run_check

    return run_check(arguments, access)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line without its window commands (``desktop_app.app.main`` has
    them); returns the exit status."""
    return run_command_line(argv, None)


def run_command_line(argv: Sequence[str] | None, windows: WindowCommands | None) -> int:
    """Run the command line; ``windows`` opens the main and the training window."""
    arguments = build_parser().parse_args(argv)
    configure_logging(log_folder(), verbose=arguments.verbose)
    log.info("command %s started", arguments.command)
    try:
        return _dispatch(arguments, windows)
    except UserFacingError as error:
        report_error(error.message)
        log.info("command %s refused: %s", arguments.command, type(error).__name__)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`smime-guard check ... | head`): not an error of ours.
        # Point stdout at devnull so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILURE
    except Exception:
        # A bug, not bad input: keep the traceback in the log file, show one plain line.
        log.exception("command %s failed", arguments.command)
        print(text("cli.internal_error"), file=sys.stderr)
        return EXIT_FAILURE
