"""The self-test of an installed copy: each check reports one line; all must pass."""

from desktop_app.services.selftest.runner import (
    Check,
    CheckFailed,
    CheckResult,
    SelfTestSettings,
    default_checks,
    run_checks,
)

__all__ = [
    "Check",
    "CheckFailed",
    "CheckResult",
    "SelfTestSettings",
    "default_checks",
    "run_checks",
]
