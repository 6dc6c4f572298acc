"""The kinds of certificate source, by the ``type`` a configuration names: the one table.

A new kind is one module with a ``CertificateSource`` and one line in ``SOURCE_KINDS``;
the configuration files, ``check``, ``seal``, ``directory lookup`` and the compose window
then use it like the others.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop_app.services.certificates.config import SourceConfig
    from desktop_app.services.certificates.source import CertificateSource
    from desktop_app.services.mail_access import MailAccess


@dataclass(frozen=True, slots=True)
class SourceSetting:
    """What a source may need to be built: ``access`` (the home, the keyring, the clock),
    a timeout per network operation (None: the kind's own)."""

    access: MailAccess
    timeout: float | None = None


def _nothing_missing(table: Mapping[str, Any]) -> str | None:
    return None


@dataclass(frozen=True, slots=True)
class SourceKind:
    """How one kind of source is made. ``missing``: what a configuration table lacks for
    this kind (None when complete); ``answers_kept``: how long its answers are cached
    (None: the cache's default)."""

    build: Callable[[SourceConfig, SourceSetting], CertificateSource]
    missing: Callable[[Mapping[str, Any]], str | None] = _nothing_missing
    answers_kept: timedelta | None = None


def _ldap(config: SourceConfig, setting: SourceSetting) -> CertificateSource:
    from desktop_app.services.certificates.ldap_source import TIMEOUT, LdapSource

    def password() -> str | None:
        return setting.access.secrets().get(config.secret_name)

    return LdapSource(config, password, timeout=setting.timeout or TIMEOUT)


def _ldap_missing(table: Mapping[str, Any]) -> str | None:
    if table.get("url") and table.get("base_dn"):
        return None
    return "an LDAP directory needs url and base_dn"


def _bundle(config: SourceConfig, setting: SourceSetting) -> CertificateSource:
    from desktop_app.services.certificates.bundle_source import BundleSource

    return BundleSource(config, setting.access.home, setting.access.clock)


def _bundle_missing(table: Mapping[str, Any]) -> str | None:
    if (table.get("url") or table.get("path")) and table.get("signer"):
        return None
    return "a bundle needs url or path, and signer"


SOURCE_KINDS: dict[str, SourceKind] = {
    "ldap": SourceKind(_ldap, _ldap_missing),
    # A bundle is read from its local copy: its answers need no time to live.
    "bundle": SourceKind(_bundle, _bundle_missing, answers_kept=timedelta(0)),
}
