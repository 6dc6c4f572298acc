"""Exit statuses of the command line (part of its contract)."""

EXIT_ENCRYPTED = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_NOT_ENCRYPTED = 3
