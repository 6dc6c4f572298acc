"""Self-test checks of what the administrator and the desktop provide: keyring, policy, CAs."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path

from desktop_app.core.messages import text
from desktop_app.core.pki.certificates import load_certificates
from desktop_app.services.paths import system_trust_anchor_folder
from desktop_app.services.policy_files import POLICY_FILE_NAME, load_policy, system_policy_path
from desktop_app.services.secrets import SecretStore
from desktop_app.services.selftest.runner import CheckFailed
from desktop_app.services.trust_anchors import CERTIFICATE_SUFFIXES

PROBE_NAME = "self-test probe"


def check_keyring(secret_store: Callable[[], SecretStore]) -> str:
    """The system keyring is a real one and keeps, returns and forgets a throwaway secret."""
    store = secret_store()  # SecretStoreUnavailable says which keyring is missing, and why
    value = secrets.token_hex(16)
    store.set(PROBE_NAME, value)
    try:
        if store.get(PROBE_NAME) != value:
            raise CheckFailed(text("selftest.keyring_not_returned", backend=store.backend_name))
    finally:
        store.delete(PROBE_NAME)
    if store.get(PROBE_NAME) is not None:
        raise CheckFailed(text("selftest.keyring_not_forgotten", backend=store.backend_name))
    return text("selftest.keyring_ok", backend=store.backend_name)


def check_policy(home: Path, system_path: Path | None = None) -> str:
    """The policy files (system-wide, then the user's) parse; none at all is fine."""
    system = system_path or system_policy_path()
    loaded = load_policy(home, system_path=system)
    if loaded.errors:
        raise CheckFailed("; ".join(error.message for error in loaded.errors))
    policy = loaded.policy
    in_force = text(
        "selftest.policy_in_force",
        require_encryption=policy.require_encryption.value,
        domains=len(policy.internal_domains),
    )
    if not loaded.sources:
        looked = f"{system}, {home / POLICY_FILE_NAME}"
        return text("selftest.no_policy", looked=looked, in_force=in_force)
    files = ", ".join(str(path) for path in loaded.sources)
    return text("selftest.policy_parsed", files=files, in_force=in_force)


def check_trust_anchors(folder: Path | None = None) -> str:
    """Every certificate file in the system trust-anchor folder reads; no folder is fine."""
    folder = folder or system_trust_anchor_folder()
    if not folder.is_dir():
        return text("selftest.no_trust_anchors", folder=folder)
    files = sorted(
        path
        for path in folder.iterdir()
        if path.is_file() and path.suffix.lower() in CERTIFICATE_SUFFIXES
    )
    count = 0
    for path in files:
        try:
            certificates = load_certificates(path.read_bytes(), source_name=str(path))
        except OSError as error:
            raise CheckFailed(
                text("selftest.file_unreadable", path=path, reason=error.strerror)
            ) from error
        if not certificates:
            raise CheckFailed(text("selftest.no_certificate", path=path))
        count += len(certificates)
    return text("selftest.trust_anchors_ok", count=count, files=len(files), folder=folder)
