"""Keyring backends for tests: an in-memory one, failing ones, and look-alikes of unsafe ones.

Every KeyringBackend subclass lands in keyring's class registry when it is defined (its
metaclass does that), so each one here is marked not viable: keyring's own discovery
never picks it, even in a process that later asks for the real default backend.
"""

from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError


class InMemoryKeyring(KeyringBackend):
    """Secrets in a dict, handed to SecretStore directly."""

    priority = -1  # below fail.Keyring: never a default
    viable = False  # and never even a candidate

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("No such password!")


class LockedKeyring(InMemoryKeyring):
    """A keyring that refuses everything, as a locked GNOME Keyring does."""

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")


class ForgetfulKeyring(InMemoryKeyring):
    """Accepts a secret and keeps nothing."""

    def set_password(self, service: str, username: str, password: str) -> None:
        pass


class PlaintextKeyring(InMemoryKeyring):
    """Looks like keyrings.alt's plaintext file backend."""


PlaintextKeyring.__module__ = "keyrings.alt.file"


class EncryptedKeyring(InMemoryKeyring):
    """Looks like keyrings.alt's encrypted file backend, moved to another module."""


class SomePluginKeyring(InMemoryKeyring):
    """A third-party backend that makes no promise about where secrets go."""
