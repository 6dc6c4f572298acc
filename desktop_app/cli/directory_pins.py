"""``smime-guard directory pin|unpin|accept-key``: the user's choices among certificates."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.cli.exit_codes import EXIT_OK
from desktop_app.core.messages import text
from desktop_app.core.recipients.addresses import parse_mailbox
from desktop_app.services.certificates.pin_choices import (
    PinError,
    accept_new_key,
    pin_certificate,
    unpin_certificate,
)
from desktop_app.services.clock import utc_now

__all__ = ["PinError", "run_pins"]


def run_pins(arguments: argparse.Namespace, home: Path) -> int:
    mailbox = parse_mailbox(arguments.address)
    if arguments.directory_command == "unpin":
        unpin_certificate(home, mailbox)
        print(text("lifecycle.unpinned", address=mailbox.address))
        return EXIT_OK
    if arguments.directory_command == "accept-key":
        fingerprint = accept_new_key(home, mailbox, arguments.fingerprint, utc_now())
        print(text("lifecycle.key_accepted", address=mailbox.address, fingerprint=fingerprint))
        return EXIT_OK
    fingerprint = pin_certificate(home, mailbox, arguments.fingerprint, utc_now())
    print(text("lifecycle.pinned", address=mailbox.address, fingerprint=fingerprint))
    return EXIT_OK
