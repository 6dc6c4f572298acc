"""The one place where configured certificate sources are built, and asked for a draft.

A new kind of source is one module with a ``CertificateSource`` and one line in
``kinds.SOURCE_KINDS``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from desktop_app.services.certificates.cache import SourceCache
from desktop_app.services.certificates.config import SourceConfig, all_sources
from desktop_app.services.certificates.consult import Consulted, consult, keep_in_store
from desktop_app.services.certificates.kinds import SOURCE_KINDS, SourceSetting
from desktop_app.services.certificates.source import CertificateSource
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.policy_files import system_policy_path


def build_source(
    config: SourceConfig, access: MailAccess, *, timeout: float | None = None
) -> CertificateSource:
    """The source ``config`` describes (nothing is contacted yet)."""
    return SOURCE_KINDS[config.type].build(config, SourceSetting(access, timeout))


def configured_sources(
    access: MailAccess,
    *,
    policy_path: Path | None = None,
    timeout: float | None = None,
) -> list[tuple[CertificateSource, SourceCache]]:
    """Every configured source with its cache: the administrator's, then the user's."""
    home, clock = access.home, access.clock
    configs = all_sources(home, policy_path or system_policy_path())
    sources = []
    for config in configs:
        kept = SOURCE_KINDS[config.type].answers_kept
        cache = SourceCache(home, config.label, clock, **({} if kept is None else {"ttl": kept}))
        sources.append((build_source(config, access, timeout=timeout), cache))
    return sources


def ask_sources(
    sources: Sequence[tuple[CertificateSource, SourceCache]],
    keys: Sequence[str],
    store: CertStore,
    now: datetime,
    *,
    offline: bool,
) -> Consulted:
    """What the sources say about ``keys``; certificates found are kept in the store."""
    consulted = consult(sources, keys, offline=offline)
    keep_in_store(store, consulted, now)
    return consulted


def consult_sources(
    access: MailAccess,
    keys: Sequence[str],
    store: CertStore,
    *,
    offline: bool,
    warn: Callable[[str], None] | None = None,
) -> Consulted:
    """What every configured source says of ``keys`` (``check`` and ``seal``); ``offline``:
    only what is cached. Certificates found are kept in the store. ``warn`` hears what is
    wrong with a source itself (a refused bundle, the old one still in use)."""
    sources = configured_sources(access)
    if not sources:
        return Consulted()
    try:
        consulted = ask_sources(sources, keys, store, access.clock(), offline=offline)
    finally:
        for source, _ in sources:
            source.close()
    for source, _ in sources:
        if warn is not None and source.warning is not None:
            warn(source.warning)
    return consulted
