"""The compose windows' evidence gatherer, made on first use by a background operation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop_app.core.notices import Notice
    from desktop_app.core.recipients.addresses import Mailbox
    from desktop_app.core.recipients.status import Draft
    from desktop_app.services.certificates.compose_sources import ConfiguredSources
    from desktop_app.services.certificates.directories import OrganisationDirectory
    from desktop_app.services.certificates.evidence_gatherer import EvidenceGatherer
    from desktop_app.services.certstore.store import CertStore


class ComposeEvidence:
    """Opens the store and makes the windows' ``EvidenceGatherer`` on first use; asks the
    account's directory for X.500 addresses and MailTips.

    Called only by background operations, which run one at a time on one thread.
    """

    def __init__(
        self,
        store: Path,
        directory: Path | None,
        clock: Callable[[], dt.datetime],
        *,
        exchange: Callable[[CertStore], OrganisationDirectory] | None = None,
        fetch_revocation: bool = False,
        sources: Callable[[CertStore], ConfiguredSources] | None = None,
        pins_home: Path | None = None,
    ) -> None:
        """``exchange``: makes the account's directory (Exchange's, or Microsoft Graph's
        for an m365 account) over the store, when an account is set up; it is asked
        instead of the folder ``directory``. ``fetch_revocation``: ask CRL distribution
        points and OCSP responders (the policy is not "off"). ``sources``: makes the LDAP
        directories and admin bundles set up, asked after the account's directory.
        ``pins_home``: the home whose pinned certificates the evidence carries."""
        self._store_path = store
        self._directory = directory
        self._clock = clock
        self._exchange = exchange
        self._fetch_revocation = fetch_revocation
        self._sources = sources
        self._pins_home = pins_home
        self._lookup: EvidenceGatherer | None = None
        self._exchange_directory: OrganisationDirectory | None = None
        self._close: list[Callable[[], None]] = []

    def __call__(self) -> EvidenceGatherer:
        if self._lookup is None:
            from desktop_app.services.certificates.directories import FolderDirectory
            from desktop_app.services.certificates.evidence_gatherer import EvidenceGatherer
            from desktop_app.services.certificates.source import CertificateSource
            from desktop_app.services.certstore.store import CertStore

            store = CertStore.open(self._store_path)
            self._close.append(store.close)
            # The account's directory (or the demo's folder) first, then the configured
            # sources.
            directories: list[CertificateSource] = []
            if self._exchange is not None:
                exchange = self._exchange(store)
                self._close.insert(0, exchange.close)
                directories.append(exchange)
                self._exchange_directory = exchange
            elif self._directory is not None:
                directories.append(FolderDirectory(self._directory))
            configured = None
            if self._sources is not None:
                configured = self._sources(store)
                self._close.insert(0, configured.close)
            revocation = None
            if self._fetch_revocation:
                from desktop_app.services.revocation.checker import RevocationChecker
                from desktop_app.services.revocation.crl_cache import crl_cache_beside

                revocation = RevocationChecker(crl_cache_beside(self._store_path))
            self._lookup = EvidenceGatherer(
                store,
                self._clock,
                directories,
                revocation,
                pins_home=self._pins_home,
                configured=configured,
            )
        return self._lookup

    def resolve_legacy_dns(self, legacy_dns: Sequence[str]) -> dict[str, Mailbox]:
        """SMTP mailboxes for X.500 addresses from the Exchange directory; {} without one."""
        self()
        if self._exchange_directory is None:
            return {}
        return dict(self._exchange_directory.resolve_legacy_dns(legacy_dns))

    def send_warnings(self, draft: Draft) -> tuple[Notice, ...]:
        """The Exchange MailTips warnings for ``draft``; none without an account."""
        self()
        if self._exchange_directory is None:
            return ()
        return self._exchange_directory.send_warnings(draft)

    def close(self) -> None:
        while self._close:
            self._close.pop(0)()
        self._lookup = None
        self._exchange_directory = None

    @property
    def exchange(self) -> Callable[[CertStore], OrganisationDirectory] | None:
        return self._exchange

    def use_exchange(self, exchange: Callable[[CertStore], OrganisationDirectory] | None) -> None:
        """Ask this directory from the next lookup on (after a sign-in); background only."""
        self.close()
        self._exchange = exchange
