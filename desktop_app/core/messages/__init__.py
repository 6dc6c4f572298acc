"""User-visible strings, in one place and ready for translation.

Each area keeps its strings in its own module; keys are unique across all of them.

Plurals have one form of their own, understood by ``text`` alone: ``{count:p:ONE|OTHER}``
is ONE when ``count`` is 1 and OTHER otherwise, and either may name fields again, as in
``{count:p:The recipient|All {count} recipients}``. No template spells "(s)".
"""

import string
from typing import Final

from desktop_app.core.messages import (
    accounts,
    certificate_rules,
    certificates,
    command_line,
    compose,
    compose_flow,
    desktop,
    directories,
    exchange,
    exchange_mail,
    imap_mail,
    lifecycle_window,
    main_window,
    opening,
    phi,
    recipients,
    revocation,
    sending,
    smime,
    storage,
    training,
)

_AREAS = (
    command_line,
    certificates,
    smime,
    recipients,
    compose,
    compose_flow,
    sending,
    exchange,
    exchange_mail,
    training,
    opening,
    phi,
    desktop,
    certificate_rules,
    storage,
    revocation,
    main_window,
    directories,
    imap_mail,
    accounts,
    lifecycle_window,
)


def _merged() -> dict[str, str]:
    merged: dict[str, str] = {}
    for area in _AREAS:
        repeated = merged.keys() & area.MESSAGES.keys()
        if repeated:
            raise RuntimeError(f"message keys defined twice: {sorted(repeated)}")
        merged.update(area.MESSAGES)
    return merged


MESSAGES: Final[dict[str, str]] = _merged()


class _PluralFormatter(string.Formatter):
    """``str.format`` plus the plural form ``{count:p:ONE|OTHER}``."""

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec.startswith("p:"):
            one, _, other = format_spec[2:].partition("|")
            return one if value == 1 else other
        return str(super().format_field(value, format_spec))


_PLURALS = _PluralFormatter()


def text(key: str, **values: object) -> str:
    """The user-facing string for ``key`` with ``values`` filled in (plurals as above)."""
    template = MESSAGES[key]
    if ":p:" in template:
        return _PLURALS.vformat(template, (), values)
    return template.format(**values)
