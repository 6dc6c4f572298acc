"""Reading ``policy.toml``: every key checked, every mistake reported with its line."""

import re
import tomllib
from collections.abc import Callable
from dataclasses import replace
from enum import StrEnum
from typing import Any, Final, TypeVar

from desktop_app.core.messages import text
from desktop_app.core.policy.model import (
    DEFAULT_POLICY,
    PhiMode,
    Policy,
    PolicyError,
    RequireEncryption,
    RevocationPolicy,
)
from desktop_app.core.recipients.normalise import AddressKeyError, domain_key

# Python 3.11's TOMLDecodeError has no line attribute; its message ends with this.
_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")
_MAX_LARGE_AUDIENCE = 100_000
_Choice = TypeVar("_Choice", bound=StrEnum)
_MAX_PATTERN = 500


def _line_of(source_text: str, key: str) -> int | None:
    """The line (1-based) where ``key`` is assigned or opens a table, if it can be found."""
    name = rf"[\"']?{re.escape(key)}[\"']?"
    pattern = re.compile(rf"^\s*(?:{name}\s*[=.]|\[+\s*{name}\s*[\].])")
    for number, line in enumerate(source_text.splitlines(), 1):
        if pattern.match(line):
            return number
    return None


def _domains(value: object, fail: Callable[[str], PolicyError]) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise fail(text("policy.not_domain_list"))
    domains = set()
    for item in value:
        written = item.strip().lstrip("@").rstrip(".")
        if not written or "@" in written or " " in written:
            raise fail(text("policy.bad_domain", domain=item))
        try:
            domains.add(domain_key(written))
        except AddressKeyError as error:
            raise fail(text("policy.bad_domain", domain=item)) from error
    return frozenset(domains)


def _choice(
    kind: type[_Choice],
) -> Callable[[object, Callable[[str], PolicyError]], _Choice]:
    """A parser for one of ``kind``'s values, written in any case; anything else names
    the choices."""
    choices = ", ".join(f"“{choice.value}”" for choice in kind)

    def parse(value: object, fail: Callable[[str], PolicyError]) -> _Choice:
        if not isinstance(value, str):
            raise fail(text("policy.bad_choice", choices=choices))
        try:
            return kind(value.strip().lower())
        except ValueError:
            raise fail(text("policy.bad_choice", choices=choices)) from None

    return parse


def _flag(value: object, fail: Callable[[str], PolicyError]) -> bool:
    # TOML booleans only: "false" in quotes is a string, and a truthy one at that.
    if not isinstance(value, bool):
        raise fail(text("policy.not_boolean"))
    return value


def _count(value: object, fail: Callable[[str], PolicyError]) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(text("policy.not_count", maximum=_MAX_LARGE_AUDIENCE))
    if not 1 <= value <= _MAX_LARGE_AUDIENCE:
        raise fail(text("policy.not_count", maximum=_MAX_LARGE_AUDIENCE))
    return value


_phi_mode: Final = _choice(PhiMode)


def _mrn_patterns(value: object, fail: Callable[[str], PolicyError]) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise fail(text("policy.mrn_not_table"))
    patterns = []
    for name, pattern in value.items():
        if not isinstance(pattern, str):
            raise fail(text("policy.mrn_not_text", name=name))
        if len(pattern) > _MAX_PATTERN:
            raise fail(text("policy.mrn_too_long", name=name, maximum=_MAX_PATTERN))
        try:
            compiled = re.compile(pattern)
        except (re.error, RecursionError, OverflowError) as error:
            raise fail(text("policy.mrn_bad_regex", name=name, reason=error)) from None
        if compiled.fullmatch(""):
            raise fail(text("policy.mrn_matches_empty", name=name))
        patterns.append((str(name), pattern))
    return tuple(patterns)


def _phi(value: object, fail: Callable[[str], PolicyError]) -> dict[str, Any]:
    """``phi = "warn"``, or a [phi] table with ``mode`` and a [phi.mrn] table of patterns."""
    if not isinstance(value, dict):
        return {"phi": _phi_mode(value, fail)}
    found: dict[str, Any] = {}
    for key, item in value.items():
        if key == "mode":
            found["phi"] = _phi_mode(item, fail)
        elif key == "mrn":
            found["mrn_patterns"] = _mrn_patterns(item, fail)
        else:
            raise fail(text("policy.phi_table", setting=key))
    return found


_PARSERS: Final[dict[str, Callable[[object, Callable[[str], PolicyError]], Any]]] = {
    "internal_domains": _domains,
    "require_encryption": _choice(RequireEncryption),
    "allow_unencrypted_override": _flag,
    "always_sign": _flag,
    "large_audience": _count,
    "phi": _phi,  # may set several fields: see _phi
    "protect_headers": _flag,
    "revocation": _choice(RevocationPolicy),
}

# [[directory]] tables name certificate sources (services.certificates.config reads them).
SECTIONS_READ_ELSEWHERE: Final = frozenset({"directory"})


def parse_policy(source_text: str, *, source: str) -> Policy:
    """The policy written in ``source_text`` (TOML); keys left out keep their defaults.

    ``source`` names the file in messages. Unknown keys are errors, not ignored: a
    misspelt ``require_encrytion`` must not silently leave encryption optional.

    Raises:
        PolicyError: the text is not TOML, or a key is unknown or has a wrong value; the
            error names the line and the key.
    """
    try:
        table = tomllib.loads(source_text)
    except tomllib.TOMLDecodeError as error:
        match = _TOML_POSITION.search(str(error))
        line = int(match.group(1)) if match else None
        if line is None and "end of document" in str(error):
            line = max(1, len(source_text.splitlines()))
        reason = _TOML_POSITION.sub("", str(error)).strip()
        message = text("policy.not_toml", source=source, line=line or "?", reason=reason)
        raise PolicyError(message, source=source, line=line) from None

    def failure(key: str) -> Callable[[str], PolicyError]:
        line = _line_of(source_text, key)

        def fail(reason: str) -> PolicyError:
            message = text(
                "policy.bad_value", source=source, line=line or "?", setting=key, reason=reason
            )
            return PolicyError(message, source=source, line=line, field=key)

        return fail

    values: dict[str, Any] = {}
    for key, value in table.items():
        if key in SECTIONS_READ_ELSEWHERE:
            continue
        parser = _PARSERS.get(key)
        if parser is None:
            raise failure(key)(text("policy.unknown_key", known=", ".join(_PARSERS)))
        parsed = parser(value, failure(key))
        if key == "phi":
            values.update(parsed)
        else:
            values[key] = parsed
    return replace(DEFAULT_POLICY, **values)
