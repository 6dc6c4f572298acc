"""The one place that decides where secrets live: the OS keyring, an encrypted store, or nowhere."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text

if TYPE_CHECKING:
    import keyring.backend

# keyring itself is imported only when a secret is needed: it costs about 0.1 s of
# start-up, which every other command would pay for nothing.

log = logging.getLogger(__name__)

SERVICE_NAME = "smime-guard"

# Backends that keep secrets in the operating system's own store. Anything else is
# refused: a plaintext file backend becomes the default just by being installed
# (keyrings.alt does that), and an unknown plug-in makes no promise at all.
_SYSTEM_BACKENDS = frozenset(
    {
        ("keyring.backends.SecretService", "Keyring"),
        ("keyring.backends.libsecret", "Keyring"),
        ("keyring.backends.kwallet", "DBusKeyring"),
        ("keyring.backends.kwallet", "DBusKeyringKWallet4"),
        ("keyring.backends.macOS", "Keyring"),
        ("keyring.backends.Windows", "WinVaultKeyring"),
    }
)
# What staff call each system keyring: an error they read names no Python class.
_PLAIN_NAMES = {
    "keyring.backends.SecretService": "GNOME Keyring (Secret Service)",
    "keyring.backends.libsecret": "GNOME Keyring (Secret Service)",
    "keyring.backends.kwallet": "KWallet",
    "keyring.backends.macOS": "macOS Keychain",
    "keyring.backends.Windows": "Windows Credential Manager",
}
_NO_KEYRING_MODULES = frozenset({"keyring.backends.fail", "keyring.backends.null"})
# keyrings.alt's file backends, wherever a packager moved them.
_FILE_BACKEND_NAMES = frozenset({"PlaintextKeyring", "EncryptedKeyring"})


class SecretStoreUnavailable(UserFacingError):
    """No trustworthy system keyring, or it refused the operation; nothing was kept."""


def backend_name(backend: keyring.backend.KeyringBackend) -> str:
    """``module.Class`` of a backend, as the user and the log see it."""
    kind = type(backend)
    return f"{kind.__module__}.{kind.__qualname__}"


def _is_file_backend(backend: keyring.backend.KeyringBackend) -> bool:
    kind = type(backend)
    return (
        kind.__module__ == "keyrings.alt"
        or kind.__module__.startswith("keyrings.alt.")
        or kind.__qualname__ in _FILE_BACKEND_NAMES
    )


def _is_system_backend(backend: keyring.backend.KeyringBackend) -> bool:
    kind = type(backend)
    return (kind.__module__, kind.__qualname__) in _SYSTEM_BACKENDS


def _refusal(backend: keyring.backend.KeyringBackend) -> str:
    name = backend_name(backend)
    if _is_file_backend(backend):
        return text("keyring.plaintext", backend=name)
    if type(backend).__module__ in _NO_KEYRING_MODULES:
        return text("keyring.none_found")
    return text("keyring.unknown", backend=name)


def trusted_backend(backend: keyring.backend.KeyringBackend) -> keyring.backend.KeyringBackend:
    """``backend`` if it is a system keyring, else SecretStoreUnavailable saying why not.

    A chainer is replaced by the first system keyring in its chain, so that neither a
    read nor a write can reach a file backend chained behind it.
    """
    from keyring.backends import chainer

    if isinstance(backend, chainer.ChainerBackend):
        chained: list[keyring.backend.KeyringBackend] = list(backend.backends)
        for candidate in chained:
            if _is_system_backend(candidate):
                return candidate
        found = ", ".join(backend_name(candidate) for candidate in chained)
        if any(_is_file_backend(candidate) for candidate in chained):
            raise SecretStoreUnavailable(text("keyring.plaintext", backend=found))
        # The chain's classes go to the log only: the user reads plain words.
        log.warning("no system keyring in the chain: [%s]", found)
        raise SecretStoreUnavailable(text("keyring.none_found"))
    if _is_system_backend(backend):
        return backend
    raise SecretStoreUnavailable(_refusal(backend))


class SecretStore:
    """Named secrets of this program in one keyring backend.

    Every failure of the backend (locked keyring, D-Bus gone, access denied) becomes a
    SecretStoreUnavailable; values never reach the log or an error message.
    """

    def __init__(
        self, backend: keyring.backend.KeyringBackend, service: str = SERVICE_NAME
    ) -> None:
        self._backend = backend
        self._service = service

    @property
    def backend_name(self) -> str:
        return backend_name(self._backend)

    def _failure(self, operation: str, name: str, error: Exception) -> SecretStoreUnavailable:
        log.warning("keyring %s of %s failed: %s", operation, name, type(error).__name__)
        failure = str(error).strip().rstrip(".!") or text("keyring.no_answer")
        plain = _PLAIN_NAMES.get(type(self._backend).__module__, text("keyring.system"))
        return SecretStoreUnavailable(text("keyring.failed_plain", backend=plain, failure=failure))

    def get(self, name: str) -> str | None:
        """The secret called ``name``, or None when there is none."""
        try:
            return self._backend.get_password(self._service, name)
        except Exception as error:  # every backend failure means: no secret to be had
            raise self._failure("read", name, error) from error

    def set(self, name: str, value: str) -> None:
        try:
            self._backend.set_password(self._service, name, value)
        except Exception as error:  # every backend failure means: not kept
            raise self._failure("write", name, error) from error
        log.info("keyring entry %s written", name)

    def delete(self, name: str) -> None:
        """Remove the secret called ``name``; one that is not there is already removed."""
        if self.get(name) is None:
            return
        try:
            self._backend.delete_password(self._service, name)
        except Exception as error:  # every backend failure means: maybe still there
            raise self._failure("delete", name, error) from error
        log.info("keyring entry %s deleted", name)


def checked_secret_store(backend: keyring.backend.KeyringBackend) -> SecretStore:
    """A SecretStore over ``backend``, refused unless it is a system keyring."""
    return SecretStore(trusted_backend(backend))


# The operating system's own keyring, by platform, in the order tried. Picking it directly
# spares the discovery of every installed backend (keyring scans all entry points and
# imports each backend's module, about 0.15 s) that a user who configured nothing pays for.
_PLATFORM_BACKENDS: dict[str, tuple[tuple[str, str], ...]] = {
    "linux": (
        ("keyring.backends.SecretService", "Keyring"),
        ("keyring.backends.kwallet", "DBusKeyring"),
    ),
    "darwin": (("keyring.backends.macOS", "Keyring"),),
    "win32": (("keyring.backends.Windows", "WinVaultKeyring"),),
}


def _platform_key(platform: str) -> str:
    if platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return "linux"  # the Secret Service and KWallet are the free desktops' keyrings
    return platform


def _selected_backend(platform: str) -> keyring.backend.KeyringBackend:
    """The user's explicit keyring configuration if there is one, else the platform's own
    keyring if it is usable here, else whatever keyring's discovery finds (to be judged)."""
    import importlib

    import keyring.core

    # PYTHON_KEYRING_BACKEND, then keyring's config file (keyringrc.cfg): as keyring does.
    explicit = keyring.core.load_env() or keyring.core.load_config()
    if explicit is not None:
        return explicit
    for module, name in _PLATFORM_BACKENDS.get(_platform_key(platform), ()):
        try:
            kind = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            continue
        if kind.viable:  # asks the backend's own check (the D-Bus service is there, ...)
            backend: keyring.backend.KeyringBackend = kind()
            return backend
    # None of them works here: discovery says what there is instead (fail.Keyring on a
    # headless box, a file backend, a chainer), for the refusal to name it.
    return keyring.get_keyring()


def system_secret_store(platform: str = sys.platform) -> SecretStore:
    """A SecretStore over the system keyring, refused unless it is a system keyring.

    An explicit keyring configuration (``PYTHON_KEYRING_BACKEND``, keyring's config file)
    is honoured; otherwise the platform's keyring is used directly (Secret Service or
    KWallet, macOS Keychain, Windows Credential Manager).

    Raises:
        SecretStoreUnavailable: on a headless Linux box (keyring picks fail.Keyring), with
            keyrings.alt's file backends, or with any backend not known to be a system one.
    """
    try:
        backend = _selected_backend(platform)
    except Exception as error:  # a broken keyring configuration: no keyring at all
        log.warning("keyring backend selection failed: %s", type(error).__name__)
        raise SecretStoreUnavailable(text("keyring.none_found")) from error
    store = checked_secret_store(backend)
    log.info("secrets kept in %s", store.backend_name)
    return store


@dataclass(frozen=True, slots=True)
class EncryptedPersistence:
    """Where the OAuth token cache can be kept encrypted, or why it cannot.

    ``persistence`` is an msal-extensions persistence (DPAPI file, Keychain, libsecret)
    or None; then ``reason`` says why, and the cache lives in memory only. The token
    cache outgrows a Windows Credential Manager entry (about 2.5 KB), so it does not go
    through ``keyring``; and it never goes to a plain file.
    """

    persistence: Any | None
    where: str | None = None
    reason: str | None = None


_STORE_NAMES = {
    "FilePersistenceWithDataProtection": "exchange.token_store_dpapi",
    "KeychainPersistence": "exchange.token_store_keychain",
    "LibsecretPersistence": "exchange.token_store_libsecret",
}


def _platform_store() -> str:
    if sys.platform.startswith("win"):
        return text("exchange.token_store_dpapi")
    if sys.platform.startswith("darwin"):
        return text("exchange.token_store_keychain")
    return text("exchange.token_store_libsecret")


def encrypted_persistence(location: Path) -> EncryptedPersistence:
    """The operating system's encrypted persistence for a token cache at ``location``.

    On Linux that is libsecret through PyGObject (``gi``), which may be missing or have
    no keyring session (a headless box, an SSH login): then there is none, with the
    reason. A persistence that says it is not encrypted is refused as well.
    """
    try:
        from msal_extensions import build_encrypted_persistence  # type: ignore[import-untyped]

        persistence = build_encrypted_persistence(str(location))
    except ImportError:
        log.info("no encrypted token store: libsecret (gi) is not installed")
        return EncryptedPersistence(None, reason=text("exchange.token_store_no_libsecret"))
    except Exception as error:  # libsecret's trial run, DPAPI or Keychain refusing
        log.info("no encrypted token store: %s", type(error).__name__)
        if not sys.platform.startswith(("linux", "win", "darwin")):
            return EncryptedPersistence(None, reason=text("exchange.token_store_unsupported"))
        store = text("exchange.token_store_not_working", store=_platform_store())
        return EncryptedPersistence(None, reason=store)
    kind = type(persistence).__name__
    if not getattr(persistence, "is_encrypted", False) or kind not in _STORE_NAMES:
        log.warning("token store %s refused: not a known encrypted store", kind)
        return EncryptedPersistence(None, reason=text("exchange.token_store_unsupported"))
    return EncryptedPersistence(persistence, where=text(_STORE_NAMES[kind]))
