"""``smime-guard directory pin|unpin|accept-key``: the user's choices among certificates."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.cli.exit_codes import EXIT_OK
from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.core.pki.certstore import CertStore
from desktop_app.core.pki.certstore_errors import CertificateNotFound
from desktop_app.core.pki.usability import evaluate_for_encryption
from desktop_app.core.recipients.addresses import parse_mailbox
from desktop_app.services.certificates.pins import load_pins, save_pins
from desktop_app.services.certificates.registry import trust_for
from desktop_app.services.clock import utc_now
from desktop_app.services.paths import store_path


class PinError(UserFacingError):
    """The certificate named is not one that can be used for the address."""


def run_pins(arguments: argparse.Namespace, home: Path) -> int:
    mailbox = parse_mailbox(arguments.address)
    pins = load_pins(home)
    if arguments.directory_command == "unpin":
        pins.pop(mailbox.key, None)
        save_pins(home, pins)
        print(text("lifecycle.unpinned", address=mailbox.address))
        return EXIT_OK
    fingerprint = arguments.fingerprint.strip().lower().replace(":", "")
    now = utc_now()
    refused = PinError(
        text("lifecycle.pin_unknown", fingerprint=fingerprint, address=mailbox.address)
    )
    with CertStore.open(store_path(home)) as store:
        try:
            certificate = store.certificate(fingerprint)
        except CertificateNotFound:
            raise refused from None
        if not evaluate_for_encryption(certificate, mailbox.key, now, trust_for(store)).usable:
            raise refused
        if arguments.directory_command == "accept-key":
            store.record_use(mailbox.key, fingerprint, now)
            print(text("lifecycle.key_accepted", address=mailbox.address, fingerprint=fingerprint))
            return EXIT_OK
    pins[mailbox.key] = fingerprint
    save_pins(home, pins)
    print(text("lifecycle.pinned", address=mailbox.address, fingerprint=fingerprint))
    return EXIT_OK
