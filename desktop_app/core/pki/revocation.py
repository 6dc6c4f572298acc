"""Revocation rules: is a CRL or an OCSP answer usable for a certificate, and what it says.

Pure: the time is a parameter and nothing here touches the network. An answer that
cannot be relied on (wrong signer, out of date, unknown critical extension) says
UNKNOWN with the reason, never GOOD: a list that does not verify revokes nothing and
clears nothing.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import AuthorityInformationAccessOID

from desktop_app.core.messages import text
from desktop_app.core.pki.parsing import PARSE_ERRORS
from desktop_app.core.pki.trust import TrustContext, crl_signed_by

# Clocks disagree a little; an answer dated this far ahead is still taken.
CLOCK_SKEW: Final = timedelta(minutes=5)
# What cryptography raises for outside data it cannot parse (see DESIGN.md).
_MAX_URL = 2048


class RevocationState(StrEnum):
    """What is known about a certificate's revocation."""

    GOOD = "good"
    REVOKED = "revoked"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class RevocationAnswer:
    """One answer about a certificate.

    ``reason``: for UNKNOWN, why (a sentence); otherwise where the answer came from.
    ``valid_until``: the answer may be reused until then (a CRL's or OCSP nextUpdate).
    ``authority``: when the answer is about an intermediate CA above the certificate
    (see ``chain_revocation``), that CA's name.
    """

    state: RevocationState
    reason: str = ""
    revoked_on: datetime | None = None
    valid_until: datetime | None = None
    authority: str = ""

    @property
    def known(self) -> bool:
        return self.state is not RevocationState.UNKNOWN


def unknown(reason: str) -> RevocationAnswer:
    return RevocationAnswer(RevocationState.UNKNOWN, reason)


@dataclass(frozen=True, slots=True)
class RevocationSources:
    """Where a certificate says its revocation can be checked (plain HTTP only)."""

    crl_urls: tuple[str, ...] = ()
    ocsp_urls: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.crl_urls or self.ocsp_urls)


def is_http_url(url: str) -> bool:
    """True for a plain ``http://`` URL of sane length without spaces or control codes.

    HTTPS would need its own trust decisions for the responder's server certificate;
    CRLs and OCSP answers are signed, so HTTP is what RFC 5280 and 6960 expect.
    """
    return (
        url[:7].lower() == "http://"
        and len(url) > 7
        and len(url) <= _MAX_URL
        and url.isascii()
        and all(32 < ord(c) < 127 for c in url)
    )


def revocation_sources(certificate: x509.Certificate) -> RevocationSources:
    """The HTTP CRL distribution points and OCSP responders ``certificate`` names."""
    return RevocationSources(_crl_urls(certificate), _ocsp_urls(certificate))


def _crl_urls(certificate: x509.Certificate) -> tuple[str, ...]:
    try:
        points = certificate.extensions.get_extension_for_class(x509.CRLDistributionPoints)
    except x509.ExtensionNotFound:
        return ()
    except PARSE_ERRORS:
        return ()
    urls: list[str] = []
    for point in points.value:
        # A point with its own cRLIssuer (indirect) or only some reasons cannot by
        # itself say "not revoked".
        if point.crl_issuer or point.reasons or not point.full_name:
            continue
        urls += [
            name.value
            for name in point.full_name
            if isinstance(name, x509.UniformResourceIdentifier) and is_http_url(name.value)
        ]
    return tuple(dict.fromkeys(urls))


def _ocsp_urls(certificate: x509.Certificate) -> tuple[str, ...]:
    try:
        access = certificate.extensions.get_extension_for_class(x509.AuthorityInformationAccess)
    except x509.ExtensionNotFound:
        return ()
    except PARSE_ERRORS:
        return ()
    urls = [
        description.access_location.value
        for description in access.value
        if description.access_method == AuthorityInformationAccessOID.OCSP
        and isinstance(description.access_location, x509.UniformResourceIdentifier)
        and is_http_url(description.access_location.value)
    ]
    return tuple(dict.fromkeys(urls))


def issued_by(child: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        child.verify_directly_issued_by(issuer)
    except (*PARSE_ERRORS, InvalidSignature):
        return False
    return True


def issuer_of(certificate: x509.Certificate, trust: TrustContext) -> x509.Certificate | None:
    """The anchor or intermediate whose key signed ``certificate``, if one is known."""
    for authority in (*trust.anchors, *trust.intermediates):
        try:
            named = authority.subject == certificate.issuer
        except PARSE_ERRORS:
            continue
        if named and issued_by(certificate, authority):
            return authority
    return None


# -- CRLs --------------------------------------------------------------------------------


class SignatureMemo:
    """Which issuer's key signed which CRL, worked out once per pair.

    A CRL of several megabytes is hashed whole to check its signature; without this, each
    certificate of a large draft would check the same list again. Keep one for as long
    as the same CRL objects are in use (the judge's trust context, one fetch batch).
    """

    def __init__(self) -> None:
        # Keyed by identity; the objects are kept so that an identity is never reused.
        self._seen: dict[tuple[int, int], tuple[object, object, bool]] = {}

        self._issuers: dict[tuple[int, int], tuple[object, object, x509.Certificate | None]] = {}
        self._fingerprints: dict[int, tuple[object, str]] = {}
        self._answers: dict[tuple[int, datetime], tuple[object, RevocationAnswer]] = {}

    def signed_by(self, crl: x509.CertificateRevocationList, issuer: x509.Certificate) -> bool:
        key = (id(crl), id(issuer))
        seen = self._seen.get(key)
        if seen is None:
            seen = (crl, issuer, crl_signed_by(crl, issuer))
            self._seen[key] = seen
        return seen[2]

    # For the intermediate CAs of a trust context, which every recipient's chain shares:
    # an issuer's signature is checked, and a certificate hashed, once.

    def issuer_of(
        self, certificate: x509.Certificate, trust: TrustContext
    ) -> x509.Certificate | None:
        key = (id(certificate), id(trust))
        seen = self._issuers.get(key)
        if seen is None:
            seen = (certificate, trust, issuer_of(certificate, trust))
            self._issuers[key] = seen
        return seen[2]

    def fingerprint(self, certificate: x509.Certificate) -> str:
        seen = self._fingerprints.get(id(certificate))
        if seen is None:
            seen = (certificate, certificate.fingerprint(hashes.SHA256()).hex())
            self._fingerprints[id(certificate)] = seen
        return seen[1]

    def answer(
        self,
        certificate: x509.Certificate,
        now: datetime,
        compute: Callable[[], RevocationAnswer],
    ) -> RevocationAnswer:
        """``compute()``'s answer about ``certificate`` at ``now``, worked out once."""
        key = (id(certificate), now)
        seen = self._answers.get(key)
        if seen is None:
            seen = (certificate, compute())
            self._answers[key] = seen
        return seen[1]


def _may_sign_crls(issuer: x509.Certificate) -> bool:
    try:
        usage = issuer.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return True
    except PARSE_ERRORS:
        return False
    return usage.crl_sign


def _is_ca(certificate: x509.Certificate) -> bool:
    try:
        return certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return False


def _unsupported_crl_kind(
    crl: x509.CertificateRevocationList, certificate: x509.Certificate
) -> str | None:
    """Why a complete-CRL reader cannot use ``crl`` for ``certificate`` (a delta,
    partitioned, indirect, of another scope, an unknown critical extension), or None.

    A list of CA certificates only (an authority revocation list) does settle an
    intermediate CA, and one of end-entity certificates only does not.
    """
    for extension in crl.extensions:
        value = extension.value
        if isinstance(value, x509.DeltaCRLIndicator):
            return "delta CRL"
        if isinstance(value, x509.IssuingDistributionPoint) and (
            value.indirect_crl
            or value.only_some_reasons
            or value.only_contains_attribute_certs
            or (value.only_contains_ca_certs and not _is_ca(certificate))
            or (value.only_contains_user_certs and _is_ca(certificate))
        ):
            return "partial or indirect CRL"
        if extension.critical and isinstance(value, x509.UnrecognizedExtension):
            return f"unknown critical extension {extension.oid.dotted_string}"
    return None


def _unsupported_entry(entry: x509.RevokedCertificate) -> str | None:
    for extension in entry.extensions:
        if isinstance(extension.value, x509.CertificateIssuer):
            return "indirect CRL entry"
        if extension.critical and isinstance(extension.value, x509.UnrecognizedExtension):
            return f"unknown critical entry extension {extension.oid.dotted_string}"
    return None


def crl_answer(
    crl: x509.CertificateRevocationList,
    certificate: x509.Certificate,
    issuer: x509.Certificate,
    now: datetime,
    *,
    where: str,
    memo: SignatureMemo | None = None,
) -> RevocationAnswer:
    """What ``crl`` says about ``certificate`` (issued by ``issuer``) at ``now``.

    Usable only when it names the issuer, is signed with the issuer's key (and the issuer
    may sign CRLs), is a complete list this reader understands, and is current
    (lastUpdate not ahead of ``now``, nextUpdate present and not passed). ``where`` names
    the list in reasons. Never raises for any list.
    """
    try:
        return _crl_answer(crl, certificate, issuer, now, where, memo or SignatureMemo())
    except PARSE_ERRORS:
        return unknown(text("revocation.crl_unreadable", where=where))


def _crl_answer(
    crl: x509.CertificateRevocationList,
    certificate: x509.Certificate,
    issuer: x509.Certificate,
    now: datetime,
    where: str,
    memo: SignatureMemo,
) -> RevocationAnswer:
    if crl.issuer != certificate.issuer or crl.issuer != issuer.subject:
        return unknown(text("revocation.crl_wrong_issuer", where=where))
    if not _may_sign_crls(issuer):
        return unknown(text("revocation.crl_issuer_may_not_sign", where=where))
    if not memo.signed_by(crl, issuer):
        return unknown(text("revocation.crl_bad_signature", where=where))
    kind = _unsupported_crl_kind(crl, certificate)
    if kind is not None:
        return unknown(text("revocation.crl_unsupported", where=where, kind=kind))
    next_update = crl.next_update_utc
    if next_update is None:
        return unknown(text("revocation.crl_no_next_update", where=where))
    if next_update < now:
        date = f"{next_update:%Y-%m-%d}"
        return unknown(text("revocation.crl_out_of_date", where=where, date=date))
    if crl.last_update_utc > now + CLOCK_SKEW:
        return unknown(text("revocation.crl_not_yet_valid", where=where))
    entry = crl.get_revoked_certificate_by_serial_number(certificate.serial_number)
    source = text("revocation.source_crl", where=where)
    if entry is None:
        return RevocationAnswer(RevocationState.GOOD, source, valid_until=next_update)
    kind = _unsupported_entry(entry)
    if kind is not None:
        return unknown(text("revocation.crl_unsupported", where=where, kind=kind))
    return RevocationAnswer(
        RevocationState.REVOKED, source, entry.revocation_date_utc, valid_until=next_update
    )


def settle(answers: Iterable[RevocationAnswer]) -> RevocationAnswer | None:
    """One answer from several: revoked wins, then good, then the first unknown."""
    listed = list(answers)
    for state in (RevocationState.REVOKED, RevocationState.GOOD, RevocationState.UNKNOWN):
        found = next((answer for answer in listed if answer.state is state), None)
        if found is not None:
            return found
    return None
