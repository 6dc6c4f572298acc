"""The user's own identity on disk: certificates in the clear, the private key encrypted.

The key file is PKCS#8 encrypted under a random passphrase made for each import, and that
passphrase lives only in the system keyring (``SecretStore``). A manifest names the key
file and the keyring entry; replacing it is the moment an import takes effect, so a crash
at any point leaves either the old identity or the new one, whole.
"""

import base64
import contextlib
import json
import logging
import os
import re
import secrets as random
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509

from desktop_app.core.errors import UserFacingError
from desktop_app.core.identity import (
    Identity,
    IdentityError,
    OwnCertificate,
    certificates_from_pem,
    certificates_pem,
    encrypted_key_pem,
    open_stored_identity,
    own_certificate,
)
from desktop_app.core.messages import text
from desktop_app.services.files import replace_file
from desktop_app.services.secrets import SecretStore, SecretStoreUnavailable

log = logging.getLogger(__name__)

IDENTITY_FOLDER_NAME = "identity"
MANIFEST_NAME = "identity.json"
MANIFEST_FORMAT = 1
PASSPHRASE_BYTES = 32
_KEY_FILE = re.compile(r"key-[0-9a-f]{32}\.pem")
_SECRET_NAME = re.compile(r"identity-key/[0-9a-f]{32}")


class IdentityStoreError(UserFacingError):
    """The stored identity is missing, damaged, or cannot be written."""


class NoIdentityError(IdentityStoreError):
    """No identity has been imported (or it was removed)."""


class IdentitySecretMissingError(IdentityStoreError):
    """The keyring has no passphrase for the stored key (another keyring, or it was lost)."""


@dataclass(frozen=True)
class StoredIdentity:
    """What is on disk about the identity, without its key: enough to show it."""

    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    key_file: Path
    secret_name: str


def identity_folder(home: Path) -> Path:
    return home / IDENTITY_FOLDER_NAME


def _manifest_path(home: Path) -> Path:
    return identity_folder(home) / MANIFEST_NAME


def _read_manifest(home: Path) -> dict[str, object] | None:
    path = _manifest_path(home)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise IdentityStoreError(text("identity.store_damaged", path=path)) from error
    if not isinstance(manifest, dict):
        raise IdentityStoreError(text("identity.store_damaged", path=path))
    return manifest


def stored_identity(home: Path) -> StoredIdentity | None:
    """The stored certificate, chain and key references; None when none is stored.

    Reads no secret and needs no keyring.
    """
    manifest = _read_manifest(home)
    if manifest is None:
        return None
    damaged = IdentityStoreError(text("identity.store_damaged", path=_manifest_path(home)))
    key_file, secret_name = manifest.get("key_file"), manifest.get("secret")
    certificates = manifest.get("certificates")
    if (
        manifest.get("format") != MANIFEST_FORMAT
        or not isinstance(key_file, str)
        or not _KEY_FILE.fullmatch(key_file)
        or not isinstance(secret_name, str)
        or not _SECRET_NAME.fullmatch(secret_name)
        or not isinstance(certificates, str)
    ):
        raise damaged
    try:
        cert, chain = certificates_from_pem(certificates)
    except IdentityError as error:
        raise damaged from error
    return StoredIdentity(cert, chain, identity_folder(home) / key_file, secret_name)


def load_own_certificate(home: Path) -> OwnCertificate:
    """The stored identity's certificate and chain, without its key: no keyring is asked.

    Raises:
        NoIdentityError: nothing is stored.
        IdentityStoreError: the stored files are damaged.
    """
    stored = stored_identity(home)
    if stored is None:
        raise NoIdentityError(text("identity.none_stored"))
    return own_certificate(stored.cert, stored.chain)


def load_identity(home: Path, secrets: SecretStore) -> Identity:
    """The stored identity with its private key, unlocked with the passphrase in the keyring.

    Raises:
        NoIdentityError: nothing is stored.
        IdentitySecretMissingError: the keyring has no passphrase for the key.
        SecretStoreUnavailable: the keyring cannot be used.
        StoredKeyLockedError: the keyring's passphrase does not open the key.
        IdentityStoreError, IdentityError: the stored files are missing or damaged.
    """
    stored = stored_identity(home)
    if stored is None:
        raise NoIdentityError(text("identity.none_stored"))
    try:
        key_pem = stored.key_file.read_bytes()
    except FileNotFoundError as error:
        raise IdentityStoreError(text("identity.key_file_missing", path=stored.key_file)) from error
    except OSError as error:
        raise IdentityStoreError(text("identity.store_damaged", path=stored.key_file)) from error
    passphrase = secrets.get(stored.secret_name)
    if passphrase is None:
        raise IdentitySecretMissingError(
            text("identity.passphrase_missing", backend=secrets.backend_name)
        )
    return open_stored_identity(
        certificates_pem(stored.cert, stored.chain),
        key_pem,
        passphrase.encode("ascii"),
        source=text("identity.stored_source"),
    )


def _private_folder(folder: Path) -> None:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix":
        folder.chmod(0o700)


def _forget_secret(secrets: SecretStore, name: str) -> None:
    """Delete a keyring entry that nothing refers to any more; failing is only a warning."""
    try:
        secrets.delete(name)
    except SecretStoreUnavailable:
        log.warning("could not delete the unused keyring entry %s", name)


def _remove_key_files(folder: Path, keep: str | None) -> None:
    for path in folder.glob("key-*.pem"):
        if path.name != keep:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    for path in folder.glob(".*.partial"):  # left by a crash in the middle of a write
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def save_identity(home: Path, identity: Identity, secrets: SecretStore) -> StoredIdentity:
    """Store ``identity``, replacing any stored one.

    The passphrase goes into the keyring first and is read back; only then are files
    written. If the keyring fails, nothing is written.
    """
    previous = _previous_secret(home)
    token = random.token_hex(16)
    key_file, secret_name = f"key-{token}.pem", f"identity-key/{token}"
    passphrase = base64.b64encode(random.token_bytes(PASSPHRASE_BYTES)).decode("ascii")
    key_pem = encrypted_key_pem(identity.key, passphrase.encode("ascii"))
    manifest = {
        "format": MANIFEST_FORMAT,
        "key_file": key_file,
        "secret": secret_name,
        "certificates": certificates_pem(identity.cert, identity.chain),
    }
    secrets.set(secret_name, passphrase)
    if secrets.get(secret_name) != passphrase:
        _forget_secret(secrets, secret_name)
        raise SecretStoreUnavailable(
            text("identity.keyring_did_not_keep", backend=secrets.backend_name)
        )
    folder = identity_folder(home)
    try:
        _private_folder(folder)
        replace_file(folder / key_file, key_pem, private=True)
        replace_file(
            _manifest_path(home), json.dumps(manifest, indent=2).encode("utf-8"), private=True
        )
    except OSError as error:
        with contextlib.suppress(OSError):
            (folder / key_file).unlink()
        _forget_secret(secrets, secret_name)
        reason = error.strerror or type(error).__name__
        raise IdentityStoreError(
            text("identity.cannot_write", path=folder, reason=reason)
        ) from error
    log.info("identity stored: key file %s, keyring entry %s", key_file, secret_name)
    _remove_key_files(folder, keep=key_file)
    if previous is not None and previous != secret_name:
        _forget_secret(secrets, previous)
    return StoredIdentity(identity.cert, identity.chain, folder / key_file, secret_name)


def _previous_secret(home: Path) -> str | None:
    """The keyring entry of the stored identity, if a manifest names a valid one."""
    try:
        manifest = _read_manifest(home)
    except IdentityStoreError:
        return None
    name = manifest.get("secret") if manifest else None
    return name if isinstance(name, str) and _SECRET_NAME.fullmatch(name) else None


def remove_identity(home: Path, secrets: SecretStore) -> bool:
    """Delete the keyring entry, then the files; False when nothing was stored.

    The keyring entry goes first: if the keyring fails, everything stays as it was.
    """
    folder = identity_folder(home)
    manifest = _manifest_path(home)
    if not manifest.exists() and not any(folder.glob("key-*.pem")):
        return False
    secret_name = _previous_secret(home)
    if secret_name is not None:
        secrets.delete(secret_name)
    with contextlib.suppress(FileNotFoundError):
        manifest.unlink()
    _remove_key_files(folder, keep=None)
    with contextlib.suppress(OSError):
        folder.rmdir()
    log.info("identity removed")
    return True
