"""The user's choices among an address's certificates: pin one, unpin, accept a new key.

One implementation for ``smime-guard directory pin|unpin|accept-key`` and the certificate
details dialog. Reads and writes the store and the pins file: call it off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.core.pki.usability import evaluate_for_encryption
from desktop_app.core.recipients.addresses import Mailbox
from desktop_app.services.certificates.pins import load_pins, save_pins
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.certstore.store_errors import CertificateNotFound
from desktop_app.services.paths import store_path
from desktop_app.services.trust_anchors import trust_for


class PinError(UserFacingError):
    """The certificate named is not one that can be used for the address."""


def normalised_fingerprint(fingerprint: str) -> str:
    return fingerprint.strip().lower().replace(":", "")


def _check_usable(store: CertStore, mailbox: Mailbox, fingerprint: str, at: datetime) -> None:
    refused = PinError(
        text("lifecycle.pin_unknown", fingerprint=fingerprint, address=mailbox.address)
    )
    try:
        certificate = store.certificate(fingerprint)
    except CertificateNotFound:
        raise refused from None
    if not evaluate_for_encryption(certificate, mailbox.key, at, trust_for(store)).usable:
        raise refused


def pin_certificate(home: Path, mailbox: Mailbox, fingerprint: str, at: datetime) -> str:
    """Use this stored, usable certificate for ``mailbox`` while it stays usable.

    Returns the fingerprint as stored. Raises ``PinError`` for one that cannot be used."""
    fingerprint = normalised_fingerprint(fingerprint)
    with CertStore.open(store_path(home)) as store:
        _check_usable(store, mailbox, fingerprint, at)
    pins = load_pins(home)
    pins[mailbox.key] = fingerprint
    save_pins(home, pins)
    return fingerprint


def unpin_certificate(home: Path, mailbox: Mailbox) -> None:
    """Let the newest valid certificate be used for ``mailbox`` again."""
    pins = load_pins(home)
    if pins.pop(mailbox.key, None) is not None:
        save_pins(home, pins)


def accept_new_key(home: Path, mailbox: Mailbox, fingerprint: str, at: datetime) -> str:
    """Accept ``mailbox``'s new key: it becomes the key last used, so ``key_changed`` ends.

    Returns the fingerprint as stored. Raises ``PinError`` for one that cannot be used."""
    fingerprint = normalised_fingerprint(fingerprint)
    with CertStore.open(store_path(home)) as store:
        _check_usable(store, mailbox, fingerprint, at)
        store.record_use(mailbox.key, fingerprint, at)
    return fingerprint


class CertificateChoiceKeeper:
    """The functions above bound to a home and a clock, for the window (background thread)."""

    def __init__(self, home: Path, clock: Callable[[], datetime]) -> None:
        self._home = home
        self._clock = clock

    def pin(self, mailbox: Mailbox, fingerprint: str) -> None:
        pin_certificate(self._home, mailbox, fingerprint, self._clock())

    def unpin(self, mailbox: Mailbox) -> None:
        unpin_certificate(self._home, mailbox)

    def accept(self, mailbox: Mailbox, fingerprint: str) -> None:
        accept_new_key(self._home, mailbox, fingerprint, self._clock())
