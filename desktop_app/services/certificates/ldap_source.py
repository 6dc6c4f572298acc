"""An LDAP directory (Active Directory, OpenLDAP) as a ``CertificateSource``, with ldap3.

Addresses are searched in batches: one search is an OR of up to ``BATCH`` addresses
(``mail`` or an ``smtp:`` proxy address), read in pages, so 200 recipients cost four
searches. Lists (AD ``group``, ``groupOfNames``) are expanded level by level over all
lists of the batch at once, nesting followed, cycles cut, at most ``member_cap`` members.
Referrals are not followed: they could lead to a server nobody set up or vetted.
"""

from __future__ import annotations

import logging
import math
import re
import ssl
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.services.certificates.config import DirectoryConfigError, SourceConfig
from desktop_app.services.certificates.ldap_entries import (
    ATTRIBUTES,
    SIZE_LIMITS,
    LdapEntry,
    address_filter,
    dn_filter,
    endpoint,
    entry_of,
    key_of,
)
from desktop_app.services.certificates.source import FindingKind, SourceFinding

log = logging.getLogger(__name__)

BATCH = 50  # addresses per search: short enough for AD's filter limits
PAGE = 200  # entries per page of a paged search
MEMBER_CAP = 500
TIMEOUT = 8.0
_REFERRAL = 10


class LdapUnreachable(UserFacingError):
    """The directory could not be asked (down, slow, TLS, refused sign-in)."""


class LdapSource:
    """One configured LDAP directory, over one connection opened on first need."""

    def __init__(
        self,
        config: SourceConfig,
        password: Callable[[], str | None] = lambda: None,
        *,
        timeout: float = TIMEOUT,
        member_cap: int = MEMBER_CAP,
    ) -> None:
        assert config.url is not None and config.base_dn is not None
        self._config = config
        self._endpoint = endpoint(config.url)
        self._password = password
        self._timeout = timeout
        self._member_cap = member_cap
        self._connection: Any = None

    @property
    def label(self) -> str:
        return self._config.label

    @property
    def warning(self) -> str | None:
        return None  # its faults are per lookup: the findings say them

    # -- connection ------------------------------------------------------------------------

    def _unreachable(self, reason: str) -> LdapUnreachable:
        return LdapUnreachable(text("directory.unreachable", name=self._config.name, reason=reason))

    def _open(self) -> Any:
        import ldap3
        from ldap3.core import exceptions as ldap_errors

        config, where = self._config, self._endpoint
        tls = None
        if where.use_ssl or where.start_tls:
            tls = ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=config.ca_file)
        server = ldap3.Server(
            where.host,
            port=where.port,
            use_ssl=where.use_ssl,
            tls=tls,
            get_info=ldap3.NONE,
            connect_timeout=self._timeout,
        )
        options: dict[str, Any] = {}
        if config.kerberos:
            try:
                import gssapi  # noqa: F401  (only its presence is checked here)
            except ImportError:
                raise DirectoryConfigError(text("directory.no_gssapi")) from None
            options = {"authentication": ldap3.SASL, "sasl_mechanism": ldap3.KERBEROS}
        elif config.bind_dn:
            password = self._password()
            if password is None:
                raise DirectoryConfigError(
                    text("directory.no_password", name=config.name, bind_dn=config.bind_dn)
                )
            options = {"user": config.bind_dn, "password": password, "authentication": ldap3.SIMPLE}
        connection = ldap3.Connection(
            server,
            read_only=True,
            auto_referrals=False,
            # ldap3 packs it into a socket option as whole seconds.
            receive_timeout=max(1, math.ceil(self._timeout)),
            raise_exceptions=False,
            **options,
        )
        try:
            connection.open()
            if where.start_tls and not connection.start_tls():
                raise LdapUnreachable(
                    text("directory.tls_failed", name=config.name, reason=connection.result)
                )
            if not connection.bind():
                connection.unbind()
                if connection.result.get("result") == 49:
                    raise LdapUnreachable(
                        text("directory.bind_refused", name=config.name, bind_dn=config.bind_dn)
                    )
                raise self._unreachable(str(connection.result.get("description")))
        except ldap_errors.LDAPStartTLSError as error:
            raise LdapUnreachable(
                text("directory.tls_failed", name=config.name, reason=error)
            ) from None
        except (ldap_errors.LDAPCommunicationError, ldap_errors.LDAPSocketCloseError) as error:
            if "CERTIFICATE_VERIFY_FAILED" in str(error):
                raise LdapUnreachable(
                    text(
                        "directory.tls_failed", name=config.name, reason=text("directory.untrusted")
                    )
                ) from None
            raise self._unreachable(self._reason(error)) from None
        except ssl.SSLError as error:
            raise LdapUnreachable(
                text("directory.tls_failed", name=config.name, reason=error.reason or error)
            ) from None
        return connection

    def _reason(self, error: Exception) -> str:
        from ldap3.core import exceptions as ldap_errors

        timed_out = isinstance(error, ldap_errors.LDAPResponseTimeoutError) or (
            isinstance(error, ldap_errors.LDAPSocketReceiveError) and "timed out" in str(error)
        )
        if timed_out:
            return text("directory.timed_out", seconds=self._timeout)
        # ldap3 nests the socket error's text in tuples: keep the innermost sentence.
        found = re.findall(r"'([^'()]+)'", str(error))
        if found:
            return str(found[0])
        return str(error).splitlines()[0] if str(error) else type(error).__name__

    def _connected(self) -> Any:
        if self._connection is None:
            self._connection = self._open()
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.unbind()
            except Exception:  # closing a broken connection may fail any way
                log.debug("unbind failed", exc_info=True)
            self._connection = None

    def test(self) -> None:
        self.close()
        connection = self._connected()
        try:
            self._search(connection, self._config.base_dn or "", "(objectClass=*)", scope="BASE")
        finally:
            self.close()

    # -- searching -------------------------------------------------------------------------

    def _search(
        self, connection: Any, base: str, search_filter: str, *, scope: str = "SUBTREE"
    ) -> list[LdapEntry]:
        """Every entry matching, page by page; raises LdapUnreachable or _Refused."""
        import ldap3
        from ldap3.core import exceptions as ldap_errors

        entries: list[LdapEntry] = []
        cookie: bytes | None = None
        while True:
            try:
                connection.search(
                    base,
                    search_filter,
                    search_scope=ldap3.BASE if scope == "BASE" else ldap3.SUBTREE,
                    attributes=list(ATTRIBUTES),
                    paged_size=PAGE if scope != "BASE" else None,
                    paged_cookie=cookie,
                    time_limit=int(self._timeout),
                )
            except (ldap_errors.LDAPCommunicationError, ldap_errors.LDAPSocketCloseError) as error:
                self._connection = None
                raise self._unreachable(self._reason(error)) from None
            result = connection.result or {}
            code = result.get("result", 0)
            if code == _REFERRAL:
                where = ", ".join(result.get("referrals") or ()) or "?"
                raise _Refused(text("directory.referral", name=self._config.name, where=where))
            if code in SIZE_LIMITS:
                raise _TooMany()
            if code != 0:
                reason = result.get("description") or str(code)
                raise _Refused(text("directory.refused", name=self._config.name, reason=reason))
            for item in connection.response or ():
                if item.get("type") == "searchResEntry":
                    entries.append(entry_of(item))
                else:
                    log.info("a search continuation reference was not followed")
            controls = result.get("controls") or {}
            paged = controls.get("1.2.840.113556.1.4.319", {}).get("value", {})
            cookie = paged.get("cookie") or None
            if not cookie:
                return entries

    def _by_address(self, connection: Any, keys: Sequence[str]) -> list[LdapEntry]:
        """Entries for ``keys``; a batch the server finds too big is asked in halves."""
        try:
            return self._search(connection, self._config.base_dn or "", address_filter(keys))
        except _TooMany:
            if len(keys) == 1:
                raise _Refused(
                    text("directory.refused", name=self._config.name, reason="sizeLimitExceeded")
                ) from None
            half = len(keys) // 2
            return self._by_address(connection, keys[:half]) + self._by_address(
                connection, keys[half:]
            )

    def _by_dn(self, connection: Any, dns: Sequence[str]) -> dict[str, LdapEntry]:
        wanted = {dn.lower() for dn in dns}
        found: dict[str, LdapEntry] = {}
        for start in range(0, len(dns), BATCH):
            chunk = dns[start : start + BATCH]
            try:
                entries = self._search(connection, self._config.base_dn or "", dn_filter(chunk))
            except _TooMany:
                entries = [
                    e
                    for dn in chunk
                    for e in self._search(connection, dn, "(objectClass=*)", scope="BASE")
                ]
            found.update({e.dn.lower(): e for e in entries if e.dn.lower() in wanted})
        return found

    def lookup(self, address_keys: Sequence[str]) -> Mapping[str, SourceFinding]:
        keys = list(dict.fromkeys(address_keys))
        findings: dict[str, SourceFinding] = {}
        try:
            connection = self._connected()
            for start in range(0, len(keys), BATCH):
                batch = keys[start : start + BATCH]
                try:
                    entries = self._by_address(connection, batch)
                except _Refused as refused:
                    findings.update({k: self._failed(refused.message) for k in batch})
                    continue
                findings.update(self._findings(connection, batch, entries))
        except LdapUnreachable as error:
            self.close()
            return {k: findings.get(k) or self._failed(error.message) for k in keys}
        return findings

    def _failed(self, reason: str) -> SourceFinding:
        return SourceFinding(FindingKind.UNREACHABLE, self.label, failure=reason)

    def _person(self, entry: LdapEntry) -> SourceFinding:
        return SourceFinding(FindingKind.PERSON, self.label, entry.values, primary=entry.mail)

    def _findings(
        self, connection: Any, keys: Sequence[str], entries: Sequence[LdapEntry]
    ) -> dict[str, SourceFinding]:
        by_key: dict[str, LdapEntry] = {}
        for entry in entries:
            for alias in entry.aliases:
                by_key.setdefault(alias, entry)
        lists = [by_key[k] for k in keys if k in by_key and by_key[k].is_list]
        graph = self._expand(connection, lists) if lists else {}
        findings: dict[str, SourceFinding] = {}
        for key in keys:
            found = by_key.get(key)
            if found is None:
                findings[key] = SourceFinding(FindingKind.UNKNOWN, self.label)
            elif found.is_list:
                findings[key] = self._list_finding(found, graph)
            else:
                findings[key] = self._person(found)
        return findings

    def _expand(self, connection: Any, lists: Sequence[LdapEntry]) -> dict[str, LdapEntry]:
        """Every entry reachable from ``lists`` by ``member``, by lower-case DN; one level
        of nesting per round of searches, each DN asked once (so a cycle ends)."""
        graph = {entry.dn.lower(): entry for entry in lists}
        frontier = [dn for entry in lists for dn in entry.member_dns]
        while frontier and len(graph) <= self._member_cap * 2:
            missing = list(dict.fromkeys(dn for dn in frontier if dn.lower() not in graph))
            if not missing:
                break
            found = self._by_dn(connection, missing[: self._member_cap * 2])
            graph.update(found)
            for dn in missing:
                graph.setdefault(dn.lower(), LdapEntry(dn, None, frozenset(), False, (), ()))
            frontier = [dn for e in found.values() if e.is_list for dn in e.member_dns]
        return graph

    def _list_finding(self, entry: LdapEntry, graph: Mapping[str, LdapEntry]) -> SourceFinding:
        address = entry.mail or entry.dn
        members: dict[str, SourceFinding] = {}
        incomplete: str | None = None
        visited: set[str] = set()
        stack = list(reversed(entry.member_dns))
        while stack:
            dn = stack.pop().lower()
            if dn in visited:
                continue
            visited.add(dn)
            member = graph.get(dn)
            if member is None or (member.mail is None and not member.is_list):
                incomplete = text("directory.member_no_address", address=address)
                continue
            if member.is_list:
                stack.extend(reversed(member.member_dns))
                continue
            key = key_of(member.mail or "")
            if key is None:
                incomplete = text("directory.member_no_address", address=address)
                continue
            if len(members) >= self._member_cap:
                incomplete = text("directory.list_cut", address=address, cap=self._member_cap)
                break
            members.setdefault(key, self._person(member))
        return SourceFinding(
            FindingKind.LIST,
            self.label,
            members=tuple(members),
            member_findings=members,
            primary=entry.mail,
            incomplete=incomplete,
        )


class _Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _TooMany(Exception):
    """The server's size limit cut the answer."""
