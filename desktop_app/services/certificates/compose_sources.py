"""The configured certificate sources (LDAP directories, admin bundles) for compose windows.

Runs on the background helper's thread only, so a directory that is down or slow never
blocks the window: its recipients stay "checking" until the answer, then say why the
lookup failed. The sources are asked together through ``consult``, after the account's
directory; certificates they publish are kept in the store, and a failed answer is kept
for ``RETRY_AFTER`` so that re-checking a draft on every edit does not wait for a dead
server each time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from desktop_app.services.certificates.cache import SourceCache
from desktop_app.services.certificates.consult import Consulted, consult, keep_in_store
from desktop_app.services.certificates.source import CertificateSource, FindingKind, SourceFinding

if TYPE_CHECKING:
    from desktop_app.services.certstore.store import CertStore

log = logging.getLogger(__name__)

RETRY_AFTER = timedelta(seconds=30)


class ConfiguredSources:
    """What every configured source says; certificates found are kept in the store.

    An address some source could not be asked about, and no source published a
    certificate for, keeps all the sources' answers for ``retry_after``.
    """

    def __init__(
        self,
        sources: Sequence[tuple[CertificateSource, SourceCache]],
        store: CertStore,
        clock: Callable[[], datetime],
        *,
        retry_after: timedelta = RETRY_AFTER,
    ) -> None:
        self._sources = sources
        self._store = store
        self._clock = clock
        self._retry_after = retry_after
        self._failed: dict[str, tuple[datetime, list[SourceFinding]]] = {}

    def ask(self, address_keys: Sequence[str]) -> Consulted:
        now = self._clock()
        said = Consulted()
        ask = []
        for key in dict.fromkeys(address_keys):
            failed = self._failed.get(key)
            if failed is not None and now - failed[0] < self._retry_after:
                for finding in failed[1]:
                    said.add(key, finding)
            else:
                ask.append(key)
        if ask:
            consulted = consult(self._sources, ask)
            keep_in_store(self._store, consulted, now)
            for key, findings in consulted.findings.items():
                unreachable = any(f.kind is FindingKind.UNREACHABLE for f in findings)
                if unreachable and key not in consulted.certificates:
                    self._failed[key] = (now, findings)
                else:
                    self._failed.pop(key, None)
            said.take(consulted)
        return said

    def close(self) -> None:
        for source, _ in self._sources:
            source.close()
