"""Asking the directory for the SMTP address of X.500 recipients, once each, off the GUI thread."""

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from PySide6.QtCore import QObject

from desktop_app.core.recipients.addresses import Mailbox
from desktop_app.core.recipients.legacy_dn import legacy_dn_key, legacy_dns
from desktop_app.core.recipients.status import Draft
from desktop_app.ui.background import BackgroundRunner


class LegacyDnResolver(Protocol):
    """The part of the window's lookup that knows X.500 addresses (``LookupService``)."""

    def resolve_legacy_dns(self, legacy_dns: Sequence[str]) -> Mapping[str, Mailbox]:
        """SMTP mailboxes for X.500 addresses, by ``legacy_dn_key``; those it knows."""
        ...


class LegacyDnResolution:
    """The X.500 addresses of one draft asked of the directory, and those still waiting.

    Until the directory answers, such a recipient is pending (never covered); then
    ``answered`` gets the SMTP mailboxes it knows, by ``legacy_dn_key``. One not resolved
    stays X.500, which the rule calls unresolved; removed and typed again, it is asked
    again. Not on a channel: a later ask must not make an earlier answer stale, or its
    tokens would wait for ever.
    """

    def __init__(
        self,
        runner: BackgroundRunner,
        lookup: Callable[[], LegacyDnResolver],
        answered: Callable[[Mapping[str, Mailbox]], None],
        owner: QObject,
    ) -> None:
        self._runner = runner
        self._lookup = lookup
        self._answered = answered
        self._owner = owner
        self._asked: set[str] = set()  # legacyDN keys asked of the directory
        self._waiting: set[str] = set()  # ... whose answer has not come yet

    def ask(self, draft: Draft) -> None:
        """Ask about the X.500 recipients of ``draft`` not asked yet."""
        written = legacy_dns(draft.recipients)
        self._asked &= {legacy_dn_key(dn) for dn in written} | self._waiting
        wanted = [dn for dn in written if legacy_dn_key(dn) not in self._asked]
        if not wanted:
            return
        asked = {legacy_dn_key(dn) for dn in wanted}
        self._asked |= asked
        self._waiting |= asked
        lookup = self._lookup
        self._runner.run(
            lambda: lookup().resolve_legacy_dns(wanted),
            lambda resolved: self._on_answer(asked, resolved),
            failure=lambda _error: self._on_answer(asked, {}),
            owner=self._owner,
        )

    def waiting(self, draft: Draft) -> frozenset[str]:
        """The keys of ``draft``'s recipients whose X.500 address waits for an answer."""
        return frozenset(
            m.key
            for m in draft.recipients
            if m.legacy_dn is not None and legacy_dn_key(m.legacy_dn) in self._waiting
        )

    def _on_answer(self, asked: set[str], resolved: Mapping[str, Mailbox]) -> None:
        self._waiting -= asked
        self._answered(resolved)
