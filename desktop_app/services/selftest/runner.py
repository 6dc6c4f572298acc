"""Running the self-test's checks in order and collecting one result per check.

A check is a function that returns a short description of what it found, or raises. Any
exception fails only that check, so one broken part (a missing Qt plugin, a locked
keyring) never hides what the other checks would have said.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.services.secrets import SecretStore, system_secret_store

log = logging.getLogger(__name__)

Check = tuple[str, Callable[[], str]]


class CheckFailed(Exception):
    """A check found a fault; the message says what, in words for an administrator."""


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class SelfTestSettings:
    """Where the checks look, and how they reach the keyring (tests pass an in-memory one).

    ``system_policy`` and ``system_trust_anchors`` default to the platform's admin
    locations (see ``services.paths``).
    """

    resources: Path
    home: Path
    secret_store: Callable[[], SecretStore] = system_secret_store
    system_policy: Path | None = None
    system_trust_anchors: Path | None = None
    qt_platform: str = "offscreen"
    extra: tuple[Check, ...] = ()


def _detail(error: BaseException) -> str:
    if isinstance(error, UserFacingError):
        return error.message
    if isinstance(error, CheckFailed):
        return str(error)
    return f"{type(error).__name__}: {error}".rstrip(": ")


def run_checks(
    checks: Iterable[Check], report: Callable[[CheckResult], None] | None = None
) -> list[CheckResult]:
    """Run every check, even after one fails; ``report`` sees each result as it comes."""
    results = []
    for name, check in checks:
        try:
            result = CheckResult(name, True, check())
        except Exception as error:  # any failure of a check is that check's result
            log.warning("self-test check %s failed", name, exc_info=True)
            result = CheckResult(name, False, _detail(error))
        results.append(result)
        if report is not None:
            report(result)
    return results


def default_checks(settings: SelfTestSettings) -> list[Check]:
    """The checks of ``smime-guard --self-test``, in the order they are reported."""
    # Imported here: each check module loads what it tests (Qt, the CMS code) only when
    # the self-test runs, never when the command line starts.
    from desktop_app.services.selftest import admin_checks, qt_checks, smime_check

    return [
        (text("selftest.check_qt"), lambda: qt_checks.check_qt(settings.qt_platform)),
        (text("selftest.check_resources"), lambda: qt_checks.check_resources(settings.resources)),
        (text("selftest.check_round_trip"), smime_check.check_round_trip),
        (text("selftest.check_keyring"), lambda: admin_checks.check_keyring(settings.secret_store)),
        (
            text("selftest.check_policy"),
            lambda: admin_checks.check_policy(settings.home, settings.system_policy),
        ),
        (
            text("selftest.check_trust_anchors"),
            lambda: admin_checks.check_trust_anchors(settings.system_trust_anchors),
        ),
        *settings.extra,
    ]
