"""Tables of the certificate store, how values are written to their columns, and migrations."""

import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from desktop_app.core.pki.certificates import (
    email_addresses,
    fingerprint_sha256,
    is_ca,
    spki_sha256,
)
from desktop_app.core.pki.parsing import PARSE_ERRORS

# PRAGMA application_id marks a file as ours ("SMGS"), so that a database of another
# program at the chosen path is refused instead of having our tables added to it.
APPLICATION_ID: Final = 0x534D4753

# MIGRATIONS[n] takes a store from schema version n to n + 1 (PRAGMA user_version).
# Steps are only ever appended: a released step must never change, because stores
# already migrated by it will not run it again.
MIGRATIONS: Final[tuple[tuple[str, ...], ...]] = (
    (
        # Times are ISO 8601 UTC text of fixed width ("2026-06-01T12:00:00.000000Z"), so
        # text order is time order and the file stays readable with the sqlite3 shell.
        # serial is decimal text: serial numbers may be up to 20 octets, beyond INTEGER.
        """
        CREATE TABLE certificates (
            fingerprint TEXT PRIMARY KEY NOT NULL,
            der BLOB NOT NULL,
            spki TEXT NOT NULL,
            subject TEXT NOT NULL,
            issuer TEXT NOT NULL,
            serial TEXT NOT NULL,
            not_before TEXT NOT NULL,
            not_after TEXT NOT NULL,
            source TEXT NOT NULL CHECK (source IN ('imported', 'harvested', 'directory')),
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            is_ca INTEGER NOT NULL CHECK (is_ca IN (0, 1)),
            role TEXT NOT NULL CHECK (role IN ('recipient', 'intermediate', 'anchor'))
        )
        """,
        # trust_context() reads the few anchors and intermediates among many recipients.
        "CREATE INDEX certificates_by_role ON certificates (role)",
        # The primary key leads with address: it is the index that candidates() seeks in,
        # and WITHOUT ROWID makes it the table itself, so a lookup reads one b-tree.
        """
        CREATE TABLE certificate_addresses (
            address TEXT NOT NULL,
            fingerprint TEXT NOT NULL
                REFERENCES certificates (fingerprint) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            PRIMARY KEY (address, fingerprint)
        ) WITHOUT ROWID
        """,
        # For listing a certificate's addresses in order, and so that deleting a
        # certificate does not scan every address row to cascade.
        """
        CREATE INDEX certificate_addresses_by_fingerprint
            ON certificate_addresses (fingerprint, position)
        """,
        """
        CREATE TABLE crls (
            issuer_der BLOB PRIMARY KEY NOT NULL,
            issuer TEXT NOT NULL,
            der BLOB NOT NULL,
            last_update TEXT NOT NULL,
            stored_at TEXT NOT NULL
        )
        """,
        # No foreign key to certificates: what was last used stays known even if the
        # certificate is later removed, which is exactly when "the key changed" matters.
        """
        CREATE TABLE address_usage (
            address TEXT PRIMARY KEY NOT NULL,
            spki TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            last_used TEXT NOT NULL
        ) WITHOUT ROWID
        """,
    ),
    (
        # Algorithms a correspondent advertised in a verified signature (a JSON list of
        # names), per certificate: sealing picks GCM or OAEP only for readers that can.
        """
        CREATE TABLE capabilities (
            fingerprint TEXT PRIMARY KEY NOT NULL
                REFERENCES certificates (fingerprint) ON DELETE CASCADE,
            names TEXT NOT NULL,
            updated TEXT NOT NULL
        ) WITHOUT ROWID
        """,
    ),
    (
        # The signingTime of the signature the capabilities came from (NULL: it had none),
        # so that an older (replayed) signature never replaces newer ones. Rows stored
        # before this step take the time they were stored: their signature was no later.
        "ALTER TABLE capabilities ADD COLUMN signed_at TEXT",
        "UPDATE capabilities SET signed_at = updated",
    ),
)

SCHEMA_VERSION: Final = len(MIGRATIONS)


def inspect(db: sqlite3.Connection) -> tuple[int, str | None]:
    """Schema version of the open file and, if it must not be used, the message key why.

    These are the first reads of the file, so a file that is not SQLite fails here,
    before anything is written to it.
    """
    version: int = db.execute("PRAGMA user_version").fetchone()[0]
    application: int = db.execute("PRAGMA application_id").fetchone()[0]
    tables: int = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    fresh = version == 0 and tables == 0
    if application not in (0, APPLICATION_ID) or (application == 0 and not fresh):
        return version, "store.foreign"
    if version > SCHEMA_VERSION:
        return version, "store.newer"
    return version, None


def configure(db: sqlite3.Connection) -> None:
    """Per-connection settings; run only after ``inspect`` accepted the file."""
    db.execute("PRAGMA foreign_keys = ON")
    # candidates() seeks in the address and fingerprint indexes all over a large store;
    # with the default 2 MiB cache every call reads them again. A ceiling, not an
    # allocation: pages are cached only as they are read.
    db.execute("PRAGMA cache_size = -65536")
    # Readers (the compose window) then never wait for a writer (a harvest or import).
    db.execute("PRAGMA journal_mode = WAL")


def migrate(db: sqlite3.Connection, version: int) -> None:
    """Bring a store at ``version`` up to ``SCHEMA_VERSION``, inside the caller's transaction."""
    if version >= SCHEMA_VERSION:
        return
    for step in MIGRATIONS[version:]:
        for statement in step:
            db.execute(statement)
    # PRAGMA takes no parameters; both values are our own integers.
    db.execute(f"PRAGMA application_id = {int(APPLICATION_ID)}")
    db.execute(f"PRAGMA user_version = {int(SCHEMA_VERSION)}")


# Statements of the current schema. Values always go in as parameters.
INSERT_CERTIFICATE: Final = """
    INSERT INTO certificates (fingerprint, der, spki, subject, issuer, serial, not_before,
        not_after, source, first_seen, last_seen, is_ca, role)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
INSERT_ADDRESS: Final = (
    "INSERT OR IGNORE INTO certificate_addresses (address, fingerprint, position) VALUES (?, ?, ?)"
)
UPDATE_CERTIFICATE: Final = (
    "UPDATE certificates SET source = ?, role = ?, first_seen = ?, last_seen = ?"
    " WHERE fingerprint = ?"
)
PUT_CRL: Final = (
    "INSERT OR REPLACE INTO crls (issuer_der, issuer, der, last_update, stored_at)"
    " VALUES (?, ?, ?, ?, ?)"
)
AUTHORITIES: Final = (
    "SELECT role, der FROM certificates WHERE role IN ('anchor', 'intermediate')"
    " ORDER BY first_seen, fingerprint"
)
ALL_ADDRESSES: Final = (
    "SELECT fingerprint, address FROM certificate_addresses ORDER BY fingerprint, position"
)
# {marks} is only ever a run of "?" placeholders, one per key in the batch.
CANDIDATES: Final = """
    SELECT a.address, c.fingerprint, c.spki, c.not_after, c.source, c.first_seen, c.last_seen
    FROM certificate_addresses AS a JOIN certificates AS c ON c.fingerprint = a.fingerprint
    WHERE a.address IN ({marks})
"""
LAST_USED: Final = "SELECT address, spki FROM address_usage WHERE address IN ({marks})"
LIST_CERTIFICATES: Final = """
    SELECT c.fingerprint, c.subject, c.issuer, c.serial, c.not_before, c.not_after, c.source,
        c.first_seen, c.last_seen, c.is_ca
    FROM certificates AS c LEFT JOIN certificate_addresses AS a
        ON a.fingerprint = c.fingerprint AND a.position = 0
    WHERE c.is_ca = 0 OR ?
    ORDER BY a.address IS NULL, a.address, c.not_after, c.fingerprint
"""
# Capabilities are replaced only by a signature made later than the one they came from;
# one without a signing time replaces only capabilities that had none either.
RECORD_CAPABILITIES: Final = """
    INSERT INTO capabilities (fingerprint, names, updated, signed_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (fingerprint) DO UPDATE SET
        names = excluded.names, updated = excluded.updated, signed_at = excluded.signed_at
    WHERE (capabilities.signed_at IS NULL AND excluded.updated >= capabilities.updated)
        OR excluded.signed_at > capabilities.signed_at
"""
CAPABILITIES: Final = "SELECT fingerprint, names FROM capabilities WHERE fingerprint IN ({marks})"
RECORD_USE: Final = """
    INSERT INTO address_usage (address, spki, fingerprint, last_used) VALUES (?, ?, ?, ?)
    ON CONFLICT (address) DO UPDATE SET
        spki = excluded.spki, fingerprint = excluded.fingerprint, last_used = excluded.last_used
    WHERE excluded.last_used >= address_usage.last_used
"""


def time_text(value: datetime) -> str:
    """Column text of an aware ``value``: ISO 8601 UTC, fixed width, so text order is time order."""
    if value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}: the store needs timezone-aware times")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


# The aware UTC datetime of a column written by time_text ("Z" parses as UTC since 3.11).
# An alias, not a wrapper: candidates() calls it three times for every row it returns.
parse_time: Final = datetime.fromisoformat


def name_text(read: Callable[[], x509.Name]) -> str:
    """RFC 4514 text of the name ``read`` returns, or "" if cryptography rejects it."""
    # Names are parsed on access; a name is only shown, never keyed on, so "" is safe.
    try:
        return read().rfc4514_string()
    except PARSE_ERRORS:
        return ""


def _spki(cert: x509.Certificate, der: bytes) -> str:
    try:
        return spki_sha256(cert)
    except PARSE_ERRORS:
        # A key type cryptography cannot load cannot be encrypted to either; hashing the
        # SubjectPublicKeyInfo as encoded still tells one key from another.
        info = asn1_x509.Certificate.load(der)["tbs_certificate"]["subject_public_key_info"]
        return hashlib.sha256(info.dump()).hexdigest()


@dataclass(frozen=True, slots=True)
class CertificateRow:
    """The column values of one certificate (role, source and times are the caller's)."""

    fingerprint: str
    der: bytes
    spki: str
    subject: str
    issuer: str
    serial: str
    not_before: str
    not_after: str
    addresses: tuple[str, ...]
    is_ca: bool

    def insert_values(self, source: str, role: str, seen: str) -> tuple[object, ...]:
        """Parameters of ``INSERT_CERTIFICATE`` for a certificate first seen at ``seen``."""
        return (
            self.fingerprint, self.der, self.spki, self.subject, self.issuer, self.serial,
            self.not_before, self.not_after, source, seen, seen, int(self.is_ca), role,
        )  # fmt: skip


def certificate_row(cert: x509.Certificate) -> CertificateRow:
    """Read what the store keeps about ``cert``; a CA certificate is given no addresses."""
    der = cert.public_bytes(serialization.Encoding.DER)
    ca = is_ca(cert)
    return CertificateRow(
        fingerprint=fingerprint_sha256(cert),
        der=der,
        spki=_spki(cert, der),
        subject=name_text(lambda: cert.subject),
        issuer=name_text(lambda: cert.issuer),
        serial=str(cert.serial_number),
        not_before=time_text(cert.not_valid_before_utc),
        not_after=time_text(cert.not_valid_after_utc),
        addresses=() if ca else email_addresses(cert),
        is_ca=ca,
    )


def crl_values(
    crl: x509.CertificateRevocationList, stored_at: str
) -> tuple[bytes, str, bytes, str, str]:
    """Parameters of ``PUT_CRL``: issuer DER, issuer text, CRL DER, last update, stored at."""
    return (
        crl.issuer.public_bytes(),
        name_text(lambda: crl.issuer),
        crl.public_bytes(serialization.Encoding.DER),
        time_text(crl.last_update_utc),
        stored_at,
    )


_ERROR_KEYS: Final = {
    sqlite3.SQLITE_BUSY: "store.locked",
    sqlite3.SQLITE_LOCKED: "store.locked",
    sqlite3.SQLITE_FULL: "store.full",
    sqlite3.SQLITE_CANTOPEN: "store.cannot_open",
    sqlite3.SQLITE_READONLY: "store.cannot_open",
    sqlite3.SQLITE_PERM: "store.cannot_open",
    sqlite3.SQLITE_AUTH: "store.cannot_open",
    sqlite3.SQLITE_IOERR: "store.cannot_open",
}


def error_key(error: sqlite3.Error) -> str:
    """Message key for a failure SQLite reported; the file is assumed damaged if unsure."""
    code = getattr(error, "sqlite_errorcode", -1) & 0xFF  # primary code of an extended one
    return _ERROR_KEYS.get(code, "store.damaged")
