"""The bundle's manifest: address -> certificates, with the date of the export it came from.

An export (written by ``packaging/admin/Export-SmimeCertificates.ps1``) is
``{"exported": ISO 8601, "recipients": [{"address", "proxy_addresses": ["smtp:..."],
"certificates": [base64 of DER or PKCS#7]}]}``. The manifest keeps each certificate as
DER in base64, one per entry, so a client reads it without the PKCS#7 step.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.serialization import Encoding

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.core.pki.certificates import load_certificates
from desktop_app.core.recipients.normalise import address_key

FORMAT = "smime-guard-bundle/1"
MAX_RECIPIENTS = 200_000


class BundleError(UserFacingError):
    """An export or a bundle that cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class BundleEntry:
    address: str  # the primary SMTP address
    aliases: tuple[str, ...]  # normalised keys: the address and its smtp: proxies
    certificates: tuple[bytes, ...]  # DER


@dataclass(frozen=True, slots=True)
class Manifest:
    exported: datetime
    entries: tuple[BundleEntry, ...]

    def by_key(self) -> dict[str, BundleEntry]:
        found: dict[str, BundleEntry] = {}
        for entry in self.entries:
            for alias in entry.aliases:
                found.setdefault(alias, entry)
        return found


def _time(value: object, where: str) -> datetime:
    if not isinstance(value, str):
        raise BundleError(text("bundle.bad_export", where=where, reason="no “exported” date"))
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BundleError(
            text("bundle.bad_export", where=where, reason=f"“{value}” is not an ISO 8601 date")
        ) from None
    if moment.utcoffset() is None:
        raise BundleError(
            text("bundle.bad_export", where=where, reason="the date needs a time zone")
        )
    return moment


def _aliases(address: str, proxies: object) -> tuple[str, ...]:
    keys = [address_key(address)]
    for proxy in proxies if isinstance(proxies, list) else ():
        if isinstance(proxy, str) and proxy.lower().startswith("smtp:"):
            try:
                keys.append(address_key(proxy[5:]))
            except UserFacingError:
                continue
    return tuple(dict.fromkeys(keys))


@dataclass(frozen=True, slots=True)
class ReadExport:
    manifest: Manifest
    skipped: tuple[str, ...]  # why values or recipients were left out


def read_export(data: bytes, *, where: str) -> ReadExport:
    """The manifest of an export; unreadable certificates and addresses are skipped and
    said, a document that is not an export at all is refused."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise BundleError(text("bundle.bad_export", where=where, reason=str(error))) from None
    if not isinstance(document, dict) or not isinstance(document.get("recipients"), list):
        raise BundleError(text("bundle.bad_export", where=where, reason="no “recipients” list"))
    exported = _time(document.get("exported"), where)
    recipients = document["recipients"]
    if len(recipients) > MAX_RECIPIENTS:
        raise BundleError(text("bundle.bad_export", where=where, reason="too many recipients"))
    entries: list[BundleEntry] = []
    skipped: list[str] = []
    for row in recipients:
        address = row.get("address") if isinstance(row, dict) else None
        if not isinstance(address, str):
            skipped.append(text("bundle.skipped_address", address=address))
            continue
        try:
            aliases = _aliases(address, row.get("proxy_addresses")) if address else ()
        except UserFacingError:
            aliases = ()
        if not aliases:
            skipped.append(text("bundle.skipped_address", address=address))
            continue
        ders: list[bytes] = []
        values = row.get("certificates") or []
        for number, value in enumerate(values if isinstance(values, list) else [], 1):
            try:
                raw = base64.b64decode(str(value), validate=True)
                found = load_certificates(raw, source_name=f"{address} #{number}")
            except (binascii.Error, ValueError, UserFacingError):
                skipped.append(text("bundle.skipped_value", address=address, number=number))
                continue
            ders += [c.public_bytes(Encoding.DER) for c in found]
        entries.append(BundleEntry(address, aliases, tuple(dict.fromkeys(ders))))
    return ReadExport(Manifest(exported, tuple(entries)), tuple(skipped))


def manifest_bytes(manifest: Manifest) -> bytes:
    document: dict[str, Any] = {
        "format": FORMAT,
        "exported": manifest.exported.isoformat(),
        "recipients": [
            {
                "address": entry.address,
                "aliases": list(entry.aliases),
                "certificates": [base64.b64encode(der).decode() for der in entry.certificates],
            }
            for entry in manifest.entries
        ],
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")


def parse_manifest(data: bytes) -> Manifest:
    """The manifest signed inside a bundle (already verified by the caller)."""
    try:
        document = json.loads(data.decode("utf-8"))
        if document.get("format") != FORMAT:
            raise ValueError("format")
        entries = tuple(
            BundleEntry(
                str(row["address"]),
                tuple(str(alias) for alias in row["aliases"]),
                tuple(base64.b64decode(value, validate=True) for value in row["certificates"]),
            )
            for row in document["recipients"]
        )
        exported = _time(document["exported"], "bundle")
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError, binascii.Error):
        raise BundleError(text("bundle.bad_manifest")) from None
    return Manifest(exported, entries)
