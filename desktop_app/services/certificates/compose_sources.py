"""The configured certificate sources as a compose window's directory (``FindingDirectory``).

Runs on the background helper's thread only, so a directory that is down or slow never
blocks the window: its recipients stay "checking" until the answer, then say why the
lookup failed. A failed answer is kept for ``RETRY_AFTER`` so that re-checking a draft on
every edit does not wait for a dead server each time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from desktop_app.services.certificates.cache import SourceCache
from desktop_app.services.certificates.consult import consult, keep_in_store
from desktop_app.services.certificates.directories import Found
from desktop_app.services.certificates.source import CertificateSource, FindingKind, SourceFinding

if TYPE_CHECKING:
    from desktop_app.services.certstore.store import CertStore

log = logging.getLogger(__name__)

RETRY_AFTER = timedelta(seconds=30)


class SourcesDirectory:
    """Findings from every configured source; certificates found are kept in the store."""

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

    def findings(self, address_keys: Sequence[str]) -> Found:
        now = self._clock()
        found: list[tuple[str, SourceFinding]] = []
        ask = []
        for key in dict.fromkeys(address_keys):
            failed = self._failed.get(key)
            if failed is not None and now - failed[0] < self._retry_after:
                found += [(key, finding) for finding in failed[1]]
            else:
                ask.append(key)
        if ask:
            consulted = consult(self._sources, ask)
            keep_in_store(self._store, consulted, now)
            for key, said in consulted.findings.items():
                found += [(key, finding) for finding in said]
                unreachable = any(f.kind is FindingKind.UNREACHABLE for f in said)
                if unreachable and key not in consulted.certificates:
                    self._failed[key] = (now, said)
                else:
                    self._failed.pop(key, None)
        return found

    def close(self) -> None:
        for source, _ in self._sources:
            source.close()
