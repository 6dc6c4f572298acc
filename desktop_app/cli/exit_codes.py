"""Exit statuses of the command line (part of its contract)."""

EXIT_OK = 0
EXIT_ENCRYPTED = EXIT_OK  # check: the message would be encrypted
EXIT_FAILURE = 1
EXIT_USAGE = 2  # bad input or usage; nothing was done
EXIT_NOT_ENCRYPTED = 3  # check, seal: some recipient cannot read encrypted mail
EXIT_INVALID_SIGNATURE = 3  # open: opened, but the signature is not valid
EXIT_FINDINGS = 3  # lint: interoperability faults found
