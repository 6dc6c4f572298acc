"""The identity on disk: key encrypted at rest, passphrase only in the keyring, atomic writes."""

import base64
import json
import os
import stat
from pathlib import Path

import pytest

from desktop_app.core.identity import (
    Identity,
    IdentityError,
    StoredKeyLockedError,
    identity_of,
)
from desktop_app.services import identity_store
from desktop_app.services.identity_store import (
    IdentitySecretMissingError,
    IdentityStoreError,
    NoIdentityError,
    identity_folder,
    load_identity,
    remove_identity,
    save_identity,
    stored_identity,
)
from desktop_app.services.secrets import SERVICE_NAME, SecretStore, SecretStoreUnavailable
from tests.factories.certs import TestCA
from tests.services.keyrings import ForgetfulKeyring, InMemoryKeyring, LockedKeyring

ROOT = TestCA("Store Root")
ME = ROOT.issue(["me@clinic.example"])
NEW_ME = ROOT.issue(["me@clinic.example"], key_kind="p256")


def identity(issued: object = ME) -> Identity:
    return identity_of(issued.cert, issued.key, (ROOT.cert,), source="test")  # type: ignore[attr-defined]


@pytest.fixture
def keyring_backend() -> InMemoryKeyring:
    return InMemoryKeyring()


@pytest.fixture
def store(keyring_backend: InMemoryKeyring) -> SecretStore:
    return SecretStore(keyring_backend)


def files_under(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


def only_secret(backend: InMemoryKeyring) -> tuple[str, str]:
    [(service, name)] = backend.entries
    assert service == SERVICE_NAME
    return name, backend.entries[(service, name)]


def test_saved_identity_loads_back(home: Path, store: SecretStore) -> None:
    save_identity(home, identity(), store)
    loaded = load_identity(home, store)
    assert loaded.cert == ME.cert
    assert loaded.chain == (ROOT.cert,)
    assert loaded.addresses == ("me@clinic.example",)
    assert loaded.key.public_key() == ME.cert.public_key()


def test_key_is_encrypted_and_the_passphrase_is_only_in_the_keyring(
    home: Path, store: SecretStore, keyring_backend: InMemoryKeyring
) -> None:
    stored = save_identity(home, identity(), store)
    name, passphrase = only_secret(keyring_backend)
    assert name == stored.secret_name
    assert len(base64.b64decode(passphrase)) == 32
    assert stored.key_file.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    raw = base64.b64decode(passphrase)
    for path in files_under(home):
        content = path.read_bytes()
        assert passphrase.encode() not in content, path
        assert raw not in content, path
        assert b"-----BEGIN PRIVATE KEY-----" not in content, path
        assert b"-----BEGIN RSA PRIVATE KEY-----" not in content, path


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_files_are_private(home: Path, store: SecretStore) -> None:
    save_identity(home, identity(), store)
    assert stat.S_IMODE(identity_folder(home).stat().st_mode) == 0o700
    files = files_under(home)
    assert [path.name for path in files if not path.name.startswith("key-")] == ["identity.json"]
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_each_import_gets_its_own_passphrase(home: Path, store: SecretStore) -> None:
    first = save_identity(home, identity(), store)
    first_passphrase = store.get(first.secret_name)
    save_identity(home, identity(), store)
    second = stored_identity(home)
    assert second is not None
    assert second.secret_name != first.secret_name
    assert store.get(second.secret_name) != first_passphrase


def test_reimport_replaces_and_cleans_up(
    home: Path, store: SecretStore, keyring_backend: InMemoryKeyring
) -> None:
    first = save_identity(home, identity(), store)
    second = save_identity(home, identity(NEW_ME), store)
    assert load_identity(home, store).cert == NEW_ME.cert
    assert not first.key_file.exists()
    assert [path.name for path in identity_folder(home).glob("key-*.pem")] == [second.key_file.name]
    assert only_secret(keyring_backend)[0] == second.secret_name


def test_stored_identity_needs_no_keyring(home: Path, store: SecretStore) -> None:
    assert stored_identity(home) is None
    save_identity(home, identity(), store)
    stored = stored_identity(home)
    assert stored is not None
    assert (stored.cert, stored.chain) == (ME.cert, (ROOT.cert,))


def test_nothing_stored(home: Path, store: SecretStore) -> None:
    with pytest.raises(NoIdentityError, match="identity import"):
        load_identity(home, store)


def test_missing_keyring_entry_is_a_typed_error(
    home: Path, store: SecretStore, keyring_backend: InMemoryKeyring
) -> None:
    save_identity(home, identity(), store)
    keyring_backend.entries.clear()
    with pytest.raises(IdentitySecretMissingError, match="not in the system keyring"):
        load_identity(home, store)


def test_wrong_passphrase_is_a_typed_error(
    home: Path, store: SecretStore, keyring_backend: InMemoryKeyring
) -> None:
    stored = save_identity(home, identity(), store)
    keyring_backend.entries[(SERVICE_NAME, stored.secret_name)] = base64.b64encode(
        b"\0" * 32
    ).decode()
    with pytest.raises(StoredKeyLockedError):
        load_identity(home, store)


def test_locked_keyring_on_load(home: Path, store: SecretStore) -> None:
    save_identity(home, identity(), store)
    with pytest.raises(SecretStoreUnavailable, match="Unlock it"):
        load_identity(home, SecretStore(LockedKeyring()))


def test_missing_key_file(home: Path, store: SecretStore) -> None:
    save_identity(home, identity(), store).key_file.unlink()
    with pytest.raises(IdentityStoreError, match="is missing"):
        load_identity(home, store)


@pytest.mark.parametrize(
    "manifest",
    [
        "{not json",
        "[]",
        json.dumps({"format": 1}),
        json.dumps(
            {
                "format": 1,
                "key_file": "../x.pem",
                "secret": "identity-key/" + "0" * 32,
                "certificates": "",
            }
        ),
    ],
)
def test_damaged_manifest(home: Path, store: SecretStore, manifest: str) -> None:
    save_identity(home, identity(), store)
    (identity_folder(home) / "identity.json").write_text(manifest)
    with pytest.raises(IdentityStoreError, match="damaged"):
        stored_identity(home)
    with pytest.raises(IdentityStoreError, match="damaged"):
        load_identity(home, store)


def test_unencrypted_key_swapped_in_is_refused(home: Path, store: SecretStore) -> None:
    from cryptography.hazmat.primitives import serialization

    stored = save_identity(home, identity(), store)
    stored.key_file.write_bytes(
        ME.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(IdentityError, match="damaged"):
        load_identity(home, store)


def test_locked_keyring_writes_nothing(home: Path) -> None:
    with pytest.raises(SecretStoreUnavailable):
        save_identity(home, identity(), SecretStore(LockedKeyring()))
    assert not home.exists()


def test_keyring_that_keeps_nothing_writes_nothing(home: Path) -> None:
    with pytest.raises(SecretStoreUnavailable, match="did not keep"):
        save_identity(home, identity(), SecretStore(ForgetfulKeyring()))
    assert not home.exists()


def test_failed_write_leaves_the_old_identity_and_no_new_secret(
    home: Path,
    store: SecretStore,
    keyring_backend: InMemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old = save_identity(home, identity(), store)
    real_replace = os.replace

    def fail_on_manifest(source: str, target: object) -> None:
        if str(target).endswith("identity.json"):
            raise OSError(28, "No space left on device")
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(identity_store.os, "replace", fail_on_manifest)
    with pytest.raises(IdentityStoreError, match=r"No space left on device\. Nothing was changed"):
        save_identity(home, identity(NEW_ME), store)
    monkeypatch.undo()
    assert load_identity(home, store).cert == ME.cert
    assert only_secret(keyring_backend)[0] == old.secret_name
    assert [p.name for p in files_under(home)] == sorted([old.key_file.name, "identity.json"])


def test_crash_before_the_manifest_is_replaced_keeps_the_old_identity(
    home: Path, store: SecretStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_identity(home, identity(), store)
    real_replace = os.replace

    class Crash(BaseException):
        pass

    def crash_on_manifest(source: str, target: object) -> None:
        if str(target).endswith("identity.json"):
            raise Crash  # the process dies here: no clean-up runs
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(identity_store.os, "replace", crash_on_manifest)
    with pytest.raises(Crash):
        save_identity(home, identity(NEW_ME), store)
    monkeypatch.undo()
    assert load_identity(home, store).cert == ME.cert
    # The next import clears what the crash left behind.
    fresh = save_identity(home, identity(NEW_ME), store)
    assert [p.name for p in files_under(home)] == sorted([fresh.key_file.name, "identity.json"])


def test_remove_deletes_files_and_keyring_entry(
    home: Path, store: SecretStore, keyring_backend: InMemoryKeyring
) -> None:
    save_identity(home, identity(), store)
    assert remove_identity(home, store) is True
    assert files_under(home) == []
    assert keyring_backend.entries == {}
    assert stored_identity(home) is None
    assert remove_identity(home, store) is False


def test_remove_with_a_locked_keyring_changes_nothing(home: Path, store: SecretStore) -> None:
    save_identity(home, identity(), store)
    with pytest.raises(SecretStoreUnavailable):
        remove_identity(home, SecretStore(LockedKeyring()))
    assert load_identity(home, store).cert == ME.cert


def test_remove_clears_a_damaged_store(home: Path, store: SecretStore) -> None:
    save_identity(home, identity(), store)
    (identity_folder(home) / "identity.json").write_text("{damaged")
    assert remove_identity(home, store) is True
    assert files_under(home) == []
