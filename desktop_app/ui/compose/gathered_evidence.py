"""What a compose window's lookups have answered so far, as evidence for the one rule.

An address not answered yet, or whose X.500 address still waits for the directory, is a
pending lookup ("still checking"): that is the only place the window tracks it.
"""

from collections.abc import Iterable, Sequence
from dataclasses import replace

from desktop_app.core.policy.model import RevocationPolicy
from desktop_app.core.recipients.status import Evidence, Lookup


class GatheredEvidence:
    """The lookups' answers by address key, the keys last used and the user's pins."""

    def __init__(self) -> None:
        self._known: dict[str, Lookup] = {}
        self._last_used: dict[str, str] = {}
        self._pinned: dict[str, str] = {}  # the user's pins, as the last lookup read them

    def add(self, evidence: Evidence) -> None:
        """Keep a lookup's answer; it read the pins of its addresses afresh."""
        self._known.update(evidence.lookups)
        self._last_used.update(evidence.last_used_spki)
        for key in evidence.lookups:
            self._pinned.pop(key, None)
        self._pinned.update(evidence.pinned)

    def add_failure(self, keys: Iterable[str], failure: str) -> None:
        """A lookup failed: addresses with no answer yet are unresolved, with ``failure``."""
        for key in keys:
            self._known.setdefault(key, Lookup(failure=failure))

    def forget(self, key: str) -> None:
        """Drop the answer for ``key``: it is pending until it is looked up again."""
        self._known.pop(key, None)
        self._last_used.pop(key, None)

    def evidence(
        self, keys: Sequence[str], revocation: RevocationPolicy, *, waiting: frozenset[str]
    ) -> Evidence:
        """The evidence for ``keys`` and the members of lists among them; ``waiting``: keys
        whose X.500 address the directory has not resolved yet."""
        # A list's members come with the list's own answer; the rule judges each of them.
        members = [m.key for key in keys for m in self._known.get(key, Lookup()).members or ()]
        return Evidence(
            lookups={
                key: _still_checking(self._known.get(key), waiting=key in waiting)
                for key in dict.fromkeys([*keys, *members])
            },
            last_used_spki={key: self._last_used[key] for key in keys if key in self._last_used},
            revocation=revocation,
            pinned=dict(self._pinned),  # list members' pins too
        )


def _still_checking(known: Lookup | None, *, waiting: bool) -> Lookup:
    """What a lookup answered, or "still checking" when it has not answered yet or its
    X.500 address still waits for the directory."""
    if known is None:
        return Lookup(pending=True)
    return replace(known, pending=True) if waiting else known
