"""What a test needs from the machine: skipped where it is missing, a failure on CI.

A developer without ``gpgsm`` or a Secret Service can still run the rest of the suite; CI
(``CI=true``) installs everything (``.ci/install-test-deps.sh``), so there a missing peer,
keyring or binding is a fault of the set-up and must not pass unseen as a skip.
"""

from __future__ import annotations

import os
import shutil

import pytest


def on_ci() -> bool:
    """True when the suite runs as CI does (``CI=true``, as CI services and .ci/run set it)."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def require(available: bool, reason: str) -> None:
    """Skip the test for ``reason`` unless ``available``; on CI fail it instead."""
    if available:
        return
    if on_ci():
        pytest.fail(
            f"{reason}; on CI every test must run (see .ci/install-test-deps.sh)", pytrace=False
        )
    pytest.skip(reason)


def require_program(program: str, package: str) -> str:
    """The path of ``program``, or skip (on CI: fail) naming the Debian package with it."""
    path = shutil.which(program)
    require(path is not None, f"{program} is not installed (Debian package {package})")
    assert path is not None
    return path


def require_real_keyring() -> None:
    """Needs the throwaway Secret Service that ``.ci/secret-service.sh`` starts."""
    require(
        os.environ.get("SMIME_GUARD_REAL_KEYRING") == "1",
        "needs a real Secret Service: run inside .ci/secret-service.sh, which sets "
        "SMIME_GUARD_REAL_KEYRING=1",
    )
