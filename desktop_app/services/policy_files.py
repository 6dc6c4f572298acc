"""Finding and reading the policy files: the system-wide one first, then the home folder's."""

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.messages import text
from desktop_app.core.policy.model import (
    DEFAULT_POLICY,
    STRICTEST_POLICY,
    Policy,
    PolicyError,
    tighten,
)
from desktop_app.core.policy.parse import parse_policy
from desktop_app.services.paths import APP_NAME

POLICY_FILE_NAME = "policy.toml"
MAX_POLICY_BYTES = 1_000_000


def system_policy_path() -> Path:
    """Where an administrator puts the policy for every user of this computer."""
    if sys.platform == "win32":
        base = Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData"))
        return base / APP_NAME / POLICY_FILE_NAME
    if sys.platform == "darwin":
        return Path("/Library/Application Support") / APP_NAME / POLICY_FILE_NAME
    return Path("/etc") / APP_NAME / POLICY_FILE_NAME


@dataclass(frozen=True, slots=True)
class PolicyLoad:
    """The policy in force, the files it came from, and what was wrong with them.

    When ``errors`` is not empty, ``policy`` is the strictest policy.
    """

    policy: Policy
    sources: tuple[Path, ...] = ()
    errors: tuple[PolicyError, ...] = ()


def _read(path: Path) -> Policy | None:
    """The policy in ``path``; None when there is no such file."""
    try:
        if path.stat().st_size > MAX_POLICY_BYTES:
            raise PolicyError(text("policy.too_large", source=path), source=str(path))
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise PolicyError(
            text("policy.unreadable", source=path, reason=reason), source=str(path)
        ) from None
    try:
        source_text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PolicyError(text("policy.not_utf8", source=path), source=str(path)) from None
    return parse_policy(source_text, source=str(path))


def load_policy(home: Path, *, system_path: Path | None = None) -> PolicyLoad:
    """The policy for this user: the system file, narrowed by the home folder's file.

    The home folder's file may only make the system policy stricter (see ``tighten``);
    without a system file it is the policy. Neither file: the defaults. Any file that
    exists but cannot be used: the strictest policy, with the error to show.
    """
    paths = (system_path or system_policy_path(), home / POLICY_FILE_NAME)
    found: list[tuple[Path, Policy]] = []
    errors: list[PolicyError] = []
    for path in paths:
        try:
            policy = _read(path)
        except PolicyError as error:
            errors.append(error)
            continue
        if policy is not None:
            found.append((path, policy))
    sources = tuple(path for path, _ in found)
    if errors:
        return PolicyLoad(STRICTEST_POLICY, sources, tuple(errors))
    if not found:
        return PolicyLoad(DEFAULT_POLICY)
    policy = found[0][1]
    for _, narrower in found[1:]:
        policy = tighten(policy, narrower)
    return PolicyLoad(policy, sources)


def policy_warning(load: PolicyLoad) -> str:
    """What the main window says when a policy file could not be used ("" when all were)."""
    if not load.errors:
        return ""
    return text("policy.using_strictest", error=load.errors[0].message)
