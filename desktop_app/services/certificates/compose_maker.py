"""Whether the window asks certificate sources, decided at start without loading them.

Only the configuration is read here (TOML and JSON); the sources and the certificate code
load on the background thread at the first lookup.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop_app.core.errors import UserFacingError

if TYPE_CHECKING:
    from desktop_app.services.certificates.compose_sources import ConfiguredSources
    from desktop_app.services.certstore.store import CertStore
    from desktop_app.services.mail_access import MailAccess

log = logging.getLogger(__name__)
COMPOSE_TIMEOUT = 5.0  # seconds per LDAP operation from the window


def sources_directory_maker(access: MailAccess) -> Callable[[CertStore], ConfiguredSources] | None:
    """The sources for compose windows, when any is configured (else None: nothing to ask)."""
    from desktop_app.services.certificates.config import all_sources
    from desktop_app.services.certificates.registry import configured_sources
    from desktop_app.services.policy_files import system_policy_path

    try:
        if not all_sources(access.home, system_policy_path()):
            return None
    except UserFacingError as error:
        log.warning("certificate sources not used: %s", error.message)
        return None

    def make(store: CertStore) -> ConfiguredSources:
        from desktop_app.services.certificates.compose_sources import ConfiguredSources

        sources = configured_sources(access, timeout=COMPOSE_TIMEOUT)
        return ConfiguredSources(sources, store, access.clock)

    return make
