"""Which certificate sources are set up: the administrator's ``[[directory]]`` tables in the
system ``policy.toml``, then the user's own (``directories.json`` in the home folder).

The same fields in both places: ``name``, ``type`` (a kind of ``kinds.SOURCE_KINDS``:
``ldap`` or ``bundle``); for LDAP
``url``, ``base_dn``, optional ``bind_dn`` (its password lives only in the keyring),
``kerberos``, ``ca_file``; for a bundle ``url`` or ``path``, ``signer`` (the pinned
admin certificate, PEM) and optional ``ca_file``.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text

FILE_NAME = "directories.json"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class DirectoryConfigError(UserFacingError):
    """A directory cannot be set up as described; the message says why."""


@dataclass(frozen=True, slots=True)
class SourceConfig:
    """One configured source; ``admin`` when it comes from the system policy."""

    name: str
    type: str  # a kind of ``kinds.SOURCE_KINDS``: "ldap" or "bundle"
    url: str | None = None
    base_dn: str | None = None
    bind_dn: str | None = None
    kerberos: bool = False
    ca_file: str | None = None
    path: str | None = None
    signer: str | None = None
    admin: bool = False

    @property
    def label(self) -> str:
        return f"{self.type}:{self.name}"

    @property
    def secret_name(self) -> str:
        """The keyring entry of the bind password."""
        return f"directory:{self.name}"


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise DirectoryConfigError(text("directory.bad_name", name=name))
    return name


def _from_table(table: dict[str, Any], where: str, *, admin: bool) -> SourceConfig:
    def fail(reason: str) -> DirectoryConfigError:
        return DirectoryConfigError(text("directory.bad_table", path=where, reason=reason))

    known = set(SourceConfig.__dataclass_fields__) - {"admin"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise fail(f"unknown keys {', '.join(unknown)}")
    from desktop_app.services.certificates.kinds import SOURCE_KINDS

    kind = table.get("type")
    if not isinstance(kind, str) or kind not in SOURCE_KINDS:
        raise fail("type must be " + " or ".join(f"“{name}”" for name in SOURCE_KINDS))
    name = table.get("name")
    if not isinstance(name, str):
        raise fail("name is missing")
    if not _NAME.match(name):
        raise fail(text("directory.bad_name", name=name))
    for key, value in table.items():
        expected = bool if key == "kerberos" else str
        if not isinstance(value, expected):
            raise fail(f"{key} must be a {expected.__name__}")
    missing = SOURCE_KINDS[kind].missing(table)
    if missing is not None:
        raise fail(missing)
    return SourceConfig(**{**table, "name": check_name(name)}, admin=admin)


def admin_sources(policy_path: Path) -> tuple[SourceConfig, ...]:
    """The ``[[directory]]`` tables of the system policy; none without the file."""
    try:
        table = tomllib.loads(policy_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise DirectoryConfigError(
            text("directory.bad_table", path=policy_path, reason=str(error))
        ) from None
    tables = table.get("directory", [])
    if not isinstance(tables, list):
        raise DirectoryConfigError(
            text("directory.bad_table", path=policy_path, reason="use [[directory]] tables")
        )
    return tuple(_from_table(t, str(policy_path), admin=True) for t in tables)


def user_sources(home: Path) -> tuple[SourceConfig, ...]:
    path = home / FILE_NAME
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ()
    except (OSError, ValueError):
        raise DirectoryConfigError(text("directory.file_invalid", path=path)) from None
    if not isinstance(document, dict) or not isinstance(document.get("directories"), list):
        raise DirectoryConfigError(text("directory.file_invalid", path=path))
    return tuple(_from_table(t, str(path), admin=False) for t in document["directories"])


def all_sources(home: Path, policy_path: Path) -> tuple[SourceConfig, ...]:
    """The administrator's sources first, then the user's."""
    return (*admin_sources(policy_path), *user_sources(home))


def save_user_sources(home: Path, sources: tuple[SourceConfig, ...]) -> None:
    path = home / FILE_NAME
    rows = []
    for source in sources:
        row = {k: v for k, v in asdict(source).items() if v not in (None, False) and k != "admin"}
        rows.append(row)
    home.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".json.partial")
    partial.write_text(json.dumps({"directories": rows}, indent=2), encoding="utf-8")
    partial.replace(path)
