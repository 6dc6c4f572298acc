"""The user's own identity: loading it, importing it, and who the user sends as.

The demo's identity is a labelled throwaway key in the demo home. Otherwise the identity
is the one imported (``smime-guard identity import`` or **My certificate...**): its key
unlocks with the passphrase in the OS keyring, once, on a background thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.errors import UserFacingError

if TYPE_CHECKING:
    from desktop_app.core.identity import Identity
    from desktop_app.core.recipients.addresses import Mailbox
    from desktop_app.services.mail_access import MailAccess

# (file, password or None) -> the identity as stored; runs off the GUI thread.
ImportIdentity = Callable[[Path, bytes | None], "Identity"]

DEMO_IDENTITY_FOLDER = "identity"


class UserIdentity:
    """The user's identity with its key, loaded on first use; safe to call from any thread.

    Raises (when called):
        UserFacingError: no identity is stored, the keyring has no passphrase for it, or
            the files are damaged; the message says what to do.
    """

    def __init__(self, access: MailAccess, *, demo: bool) -> None:
        """``access``: the home, and the OS keyring, opened only when a key must be unlocked."""
        self._home = access.home
        self._demo = demo
        self._access = access
        self._lock = threading.Lock()
        self._identity: Identity | None = None
        self._generation = 0  # counts forget(): a load begun before one is not kept

    @property
    def demo(self) -> bool:
        return self._demo

    def stored(self) -> bool:
        """Whether there is an identity to load (reads no secret)."""
        if self._demo:
            return True
        from desktop_app.services.identity_store import MANIFEST_NAME, identity_folder

        return (identity_folder(self._home) / MANIFEST_NAME).is_file()

    def __call__(self) -> Identity:
        with self._lock:
            identity = self._identity
            if identity is None:
                generation = self._generation
                identity = self._load()  # may wait for a keyring prompt
                if generation == self._generation:
                    self._identity = identity
            return identity

    def _load(self) -> Identity:
        if self._demo:
            from desktop_app.services.demo.build import IDENTITY_CERTIFICATE, IDENTITY_KEY
            from desktop_app.services.outbox.sealing import demo_identity

            folder = self._home / DEMO_IDENTITY_FOLDER
            return demo_identity(folder, IDENTITY_CERTIFICATE, IDENTITY_KEY)
        from desktop_app.services.identity_store import load_identity

        return load_identity(self._home, self._access.secrets())

    def forget(self) -> None:
        """Load again on next use (after another identity was imported).

        Called on the GUI thread: it never waits for a load in progress (which may be
        waiting for a keyring prompt); that load's identity is then used once, not kept.
        """
        self._generation += 1
        self._identity = None

    def opener_identity(self) -> Identity | None:
        """The identity for opening mail, or None when there is none to open it with."""
        if not self.stored():
            return None
        return self()


def identity_importer(access: MailAccess) -> ImportIdentity:
    """The "My certificate" dialog's import: the keyring is opened first, so a missing one
    is reported before the file is read; nothing is stored unless everything worked."""

    def run(path: Path, password: bytes | None) -> Identity:
        from desktop_app.core.identity import load_pkcs12_identity
        from desktop_app.services.files import read_input_file
        from desktop_app.services.identity_store import save_identity

        secrets = access.secrets()
        data = read_input_file(path)
        identity = load_pkcs12_identity(data, source_name=path.name, password=password)
        save_identity(access.home, identity, secrets)
        return identity

    return run


def own_mailbox(home: Path, account_email: str | None) -> Mailbox | None:
    """Who the user sends as, outside the demo: the Exchange address when the stored
    certificate is issued for it, else the certificate's first address, else the
    Exchange address (sealing then says which certificate is missing)."""
    from desktop_app.core.pki.certificates import email_addresses
    from desktop_app.core.recipients.addresses import parse_mailbox
    from desktop_app.services.identity_store import stored_identity

    try:
        stored = stored_identity(home)
    except UserFacingError:
        stored = None
    addresses = email_addresses(stored.cert) if stored is not None else ()
    chosen = account_email
    if addresses and (account_email is None or account_email.lower() not in addresses):
        chosen = addresses[0]
    if chosen is None:
        return None
    try:
        return parse_mailbox(chosen)
    except UserFacingError:
        return None


def mailbox_named(name: str, address: str) -> Mailbox:
    """The mailbox of a configured (display name, address), as the demo's user is given."""
    from desktop_app.core.recipients.addresses import Mailbox
    from desktop_app.core.recipients.normalise import address_key

    return Mailbox(address, address_key(address), name)
