"""User-visible strings, in one place and ready for translation.

Each area keeps its strings in its own module; keys are unique across all of them.
"""

from typing import Final

from desktop_app.core.messages import (
    accounts,
    certificate_rules,
    certificates,
    command_line,
    compose,
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


def text(key: str, **values: object) -> str:
    """The user-facing string for ``key`` with ``values`` filled in."""
    return MESSAGES[key].format(**values)
