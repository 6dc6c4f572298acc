"""The secrets module: system keyrings only, every failure closed, no value in any message."""

import logging
from pathlib import Path

import keyring
import keyring.backend
import pytest
from keyring.backends import SecretService, chainer, fail, kwallet, null

from desktop_app.services import secrets
from desktop_app.services.secrets import (
    SERVICE_NAME,
    SecretStore,
    SecretStoreUnavailable,
    checked_secret_store,
    system_secret_store,
    trusted_backend,
)
from tests.services.keyrings import (
    EncryptedKeyring,
    ForgetfulKeyring,
    InMemoryKeyring,
    LockedKeyring,
    PlaintextKeyring,
    SomePluginKeyring,
)

SECRET = "s3cret-value-that-must-not-leak"


def test_round_trip_under_the_service_name() -> None:
    backend = InMemoryKeyring()
    store = SecretStore(backend)
    assert store.get("entry") is None
    store.set("entry", SECRET)
    assert store.get("entry") == SECRET
    assert backend.entries == {(SERVICE_NAME, "entry"): SECRET}
    store.delete("entry")
    assert store.get("entry") is None


def test_deleting_a_missing_entry_is_not_an_error() -> None:
    SecretStore(InMemoryKeyring()).delete("never-set")


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()])
def test_no_keyring_backends_are_refused_with_what_to_do(backend: object) -> None:
    with pytest.raises(SecretStoreUnavailable) as caught:
        checked_secret_store(backend)  # type: ignore[arg-type]
    message = caught.value.message
    assert "keyring.backends" not in message  # staff read no Python class names
    assert "GNOME Keyring" in message
    assert "Windows" in message


def test_keyrings_alt_plaintext_backend_is_refused() -> None:
    with pytest.raises(SecretStoreUnavailable, match=r"keyrings\.alt\.file\.PlaintextKeyring"):
        checked_secret_store(PlaintextKeyring())


def test_file_backend_is_refused_by_class_name_wherever_it_lives() -> None:
    with pytest.raises(SecretStoreUnavailable, match="keeps secrets in a file"):
        checked_secret_store(EncryptedKeyring())


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(SecretStoreUnavailable, match="not a system keyring smime-guard knows"):
        checked_secret_store(SomePluginKeyring())


def test_secret_service_backend_is_accepted_without_touching_d_bus() -> None:
    backend = SecretService.Keyring()
    assert trusted_backend(backend) is backend


@pytest.mark.parametrize(
    ("chained", "expected"),
    [
        ([], "No system keyring is available"),
        ([PlaintextKeyring()], "keeps secrets in a file"),
        ([SomePluginKeyring()], "No system keyring is available"),
    ],
)
def test_chainer_without_a_system_keyring_is_refused(
    monkeypatch: pytest.MonkeyPatch, chained: list[object], expected: str
) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", chained)
    with pytest.raises(SecretStoreUnavailable, match=expected):
        checked_secret_store(chainer.ChainerBackend())


def test_chainer_is_replaced_by_its_system_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    # keyrings.alt's file backends have a positive priority, so a chainer would read them.
    system = SecretService.Keyring()
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [PlaintextKeyring(), system])
    assert trusted_backend(chainer.ChainerBackend()) is system


# A platform with no keyring of its own: the store falls back to keyring's discovery.
ELSEWHERE = "plan9"


def test_system_store_refuses_keyrings_default_on_a_headless_box(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(keyring, "get_keyring", fail.Keyring)
    with pytest.raises(SecretStoreUnavailable, match=r"^No system keyring is available\."):
        system_secret_store(ELSEWHERE)


def test_system_store_refuses_when_backend_selection_breaks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken() -> None:
        raise RuntimeError("bad keyringrc.cfg")

    monkeypatch.setattr(keyring, "get_keyring", broken)
    with pytest.raises(SecretStoreUnavailable, match="No system keyring"):
        system_secret_store(ELSEWHERE)


def test_system_store_uses_a_system_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyring, "get_keyring", SecretService.Keyring)
    assert system_secret_store(ELSEWHERE).backend_name == "keyring.backends.SecretService.Keyring"


def _no_discovery(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record any use of keyring's discovery of installed backends."""
    used: list[str] = []

    def discover(*_: object) -> None:
        used.append("discovery")
        raise AssertionError("keyring discovered backends")

    monkeypatch.setattr(keyring, "get_keyring", discover)
    monkeypatch.setattr(keyring.backend, "get_all_keyring", discover)
    return used


def test_on_linux_the_secret_service_is_taken_without_discovering_backends(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    used = _no_discovery(monkeypatch)
    monkeypatch.setattr(SecretService.Keyring, "viable", True)

    assert system_secret_store("linux").backend_name == "keyring.backends.SecretService.Keyring"
    assert used == []


def test_on_linux_without_the_secret_service_kwallet_is_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    used = _no_discovery(monkeypatch)
    monkeypatch.setattr(SecretService.Keyring, "viable", False)
    monkeypatch.setattr(kwallet.DBusKeyring, "viable", True)

    assert system_secret_store("linux").backend_name == "keyring.backends.kwallet.DBusKeyring"
    assert used == []


def test_on_linux_with_no_usable_keyring_discovery_names_what_there_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(SecretService.Keyring, "viable", False)
    monkeypatch.setattr(kwallet.DBusKeyring, "viable", False)
    monkeypatch.setattr(keyring, "get_keyring", lambda: PlaintextKeyring())

    with pytest.raises(SecretStoreUnavailable, match="PlaintextKeyring"):
        system_secret_store("linux")


@pytest.mark.parametrize(
    ("configured", "refusal"),
    [
        ("keyring.backends.fail.Keyring", r"^No system keyring is available\."),
        ("tests.services.keyrings.PlaintextKeyring", "PlaintextKeyring"),
    ],
)
def test_a_backend_named_in_the_environment_is_honoured_and_judged(
    monkeypatch: pytest.MonkeyPatch, configured: str, refusal: str
) -> None:
    used = _no_discovery(monkeypatch)
    monkeypatch.setattr(SecretService.Keyring, "viable", True)  # not taken: the user chose
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", configured)

    with pytest.raises(SecretStoreUnavailable, match=refusal):
        system_secret_store("linux")
    assert used == []


def test_a_backend_named_in_keyrings_config_file_is_honoured(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    config = tmp_path / "python_keyring" / "keyringrc.cfg"
    config.parent.mkdir()
    config.write_text("[backend]\ndefault-keyring = keyring.backends.fail.Keyring\n")
    monkeypatch.setattr(SecretService.Keyring, "viable", True)  # not taken: the user chose

    with pytest.raises(SecretStoreUnavailable, match=r"^No system keyring is available\."):
        system_secret_store("linux")

    config.write_text("[backend]\ndefault-keyring = tests.services.keyrings.PlaintextKeyring\n")
    with pytest.raises(SecretStoreUnavailable, match="PlaintextKeyring"):
        system_secret_store("linux")


@pytest.mark.parametrize(
    "operation",
    [
        lambda store: store.get("entry"),
        lambda store: store.set("entry", SECRET),
        lambda store: store.delete("entry"),
    ],
    ids=["get", "set", "delete"],
)
def test_backend_failures_fail_closed_without_the_value(
    operation: object, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=secrets.__name__)
    store = SecretStore(LockedKeyring())
    with pytest.raises(SecretStoreUnavailable) as caught:
        operation(store)  # type: ignore[operator]
    assert "Failed to unlock the collection" in caught.value.message
    assert "LockedKeyring" not in caught.value.message  # no Python class name
    assert caught.value.message.startswith("The system keyring could not be used: ")
    assert SECRET not in caught.value.message
    assert SECRET not in caplog.text


def test_values_are_never_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    store = SecretStore(InMemoryKeyring())
    store.set("entry", SECRET)
    store.get("entry")
    store.delete("entry")
    assert "entry" in caplog.text
    assert SECRET not in caplog.text


def test_a_backend_that_keeps_nothing_reads_back_none() -> None:
    store = SecretStore(ForgetfulKeyring())
    store.set("entry", SECRET)
    assert store.get("entry") is None


def test_test_backends_are_never_picked_by_keyring_discovery() -> None:
    # Defining them put them in keyring's class registry; not viable keeps them out of
    # get_keyring() (asking keyring itself would probe the real D-Bus session).
    for backend in (InMemoryKeyring, PlaintextKeyring, EncryptedKeyring, LockedKeyring):
        assert backend.viable is False
        assert backend.priority < fail.Keyring.priority
