"""Reading LDAP: which URLs are allowed, the search filters, and entries as plain data."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.core.recipients.normalise import address_key
from desktop_app.services.certificates.config import DirectoryConfigError
from desktop_app.services.certificates.source import PublishedValue

# Preferred first (MS-OXLDAP): S/MIME bundles, then plain certificates. OpenLDAP ignores
# "userSMIMECertificate;binary" (its syntax takes no ;binary), so the bare name is asked too.
CERTIFICATE_ATTRIBUTES = (
    "userSMIMECertificate;binary",
    "userSMIMECertificate",
    "userCertificate;binary",
)
ATTRIBUTES = ("mail", "proxyAddresses", "objectClass", "member", *CERTIFICATE_ATTRIBUTES)
_LIST_CLASSES = frozenset({"group", "groupofnames", "groupofuniquenames"})
SIZE_LIMITS = frozenset({4, 11})  # sizeLimitExceeded, adminLimitExceeded


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@dataclass(frozen=True, slots=True)
class LdapEndpoint:
    host: str
    port: int
    use_ssl: bool
    start_tls: bool


def endpoint(url: str) -> LdapEndpoint:
    """Where ``url`` points, and how it is protected; plain text only to 127.0.0.1."""
    parts = urlsplit(url)
    if parts.scheme not in ("ldap", "ldaps") or not parts.hostname:
        raise DirectoryConfigError(text("directory.bad_ldap_url", url=url))
    try:
        port = parts.port or (636 if parts.scheme == "ldaps" else 389)
    except ValueError:
        raise DirectoryConfigError(text("directory.bad_ldap_url", url=url)) from None
    secure = parts.scheme == "ldaps"
    return LdapEndpoint(
        parts.hostname, port, secure, not secure and not _is_loopback(parts.hostname)
    )


def _escape(value: str) -> str:
    from ldap3.utils.conv import escape_filter_chars

    return str(escape_filter_chars(value))


def address_filter(keys: Iterable[str]) -> str:
    terms = "".join(f"(mail={_escape(k)})(proxyAddresses=smtp:{_escape(k)})" for k in keys)
    return f"(|{terms})"


def dn_filter(dns: Iterable[str]) -> str:
    # entryDN (OpenLDAP) or distinguishedName (AD); matches are kept by DN afterwards,
    # since OpenLDAP's distinguishedName is also the supertype of "member".
    terms = "".join(f"(entryDN={_escape(dn)})(distinguishedName={_escape(dn)})" for dn in dns)
    return f"(|{terms})"


def key_of(value: str) -> str | None:
    try:
        return address_key(value)
    except UserFacingError:
        return None


@dataclass(frozen=True, slots=True)
class LdapEntry:
    dn: str
    mail: str | None
    aliases: frozenset[str]
    is_list: bool
    member_dns: tuple[str, ...]
    values: tuple[PublishedValue, ...]


def _text_values(raw: Mapping[str, list[bytes]], name: str) -> list[str]:
    found: list[str] = []
    for key, values in raw.items():
        if key.lower() == name.lower():
            found += [v.decode("utf-8", "replace") for v in values]
    return found


def entry_of(item: Mapping[str, Any]) -> LdapEntry:
    raw: Mapping[str, list[bytes]] = item.get("raw_attributes") or {}
    mails = _text_values(raw, "mail")
    aliases = {k for m in mails if (k := key_of(m))}
    for proxy in _text_values(raw, "proxyAddresses"):
        if proxy.lower().startswith("smtp:") and (k := key_of(proxy[5:])):
            aliases.add(k)
    classes = {c.lower() for c in _text_values(raw, "objectClass")}
    values: list[PublishedValue] = []
    seen: set[bytes] = set()
    for wanted in CERTIFICATE_ATTRIBUTES:
        for key, items in raw.items():
            if key.lower() != wanted.lower():
                continue
            for value in items:
                if value not in seen:
                    seen.add(value)
                    values.append(PublishedValue(wanted.split(";")[0], bytes(value)))
    members = tuple(_text_values(raw, "member"))
    return LdapEntry(
        str(item.get("dn", "")),
        mails[0] if mails else None,
        frozenset(aliases),
        bool(classes & _LIST_CLASSES),
        members,
        tuple(values),
    )
