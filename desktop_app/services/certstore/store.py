"""The certificate store: recipient certificates, trust anchors, intermediates and CRLs in SQLite.

Address keys given to and returned by the store are normalised keys
(``desktop_app.core.recipients.normalise.address_key``); the store compares them
exactly and never normalises, so the caller must. Times are parameters, never read
from the clock; they must be timezone-aware and come back as UTC.
"""

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from operator import attrgetter
from pathlib import Path
from types import TracebackType
from typing import Final, Self

from cryptography import x509

from desktop_app.core.messages import text
from desktop_app.core.pki.parsing import PARSE_ERRORS
from desktop_app.core.pki.stored import Candidate, Source, StoredCertificate
from desktop_app.core.pki.trust import TrustContext
from desktop_app.services.certstore import schema
from desktop_app.services.certstore.history import CorrespondentHistory
from desktop_app.services.certstore.schema import parse_time, time_text
from desktop_app.services.certstore.store_errors import CertificateNotFound, StoreError

# A directory entry outranks a certificate learnt from mail; a deliberate import by the
# user outranks both. Re-adding a certificate never weakens its recorded source.
_SOURCE_RANK: Final = {Source.HARVESTED: 0, Source.DIRECTORY: 1, Source.IMPORTED: 2}
_SOURCES: Final = {source.value: source for source in Source}

# Well below the 999 variables of the oldest SQLite builds, and large enough that 1,000
# keys take two queries; the connection's real limit is also honoured.
_MAX_BATCH: Final = 500


def _store_error(path: Path, error: sqlite3.Error) -> StoreError:
    return StoreError(text(schema.error_key(error), path=path), path)


class CertStore(CorrespondentHistory):
    """One store file, open. Make it with ``CertStore.open``; close it, or use ``with``.

    Roles: a certificate whose basicConstraints says CA is kept as an *intermediate*
    (used only to build chains); any other is a *recipient* certificate; one added with
    ``add_trust_anchor`` becomes an *anchor* whatever it was, and stays one. Addresses are
    recorded for every non-CA certificate, so a self-signed end-entity certificate the user
    trusts directly is both an anchor and a candidate.

    Calls are serialised by a lock, so the GUI thread and the background helper may share
    one store.
    """

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self._path = path
        self._lock = threading.Lock()
        self._commits = 0

    @classmethod
    def open(cls, path: Path, *, busy_timeout: float = 5.0) -> Self:
        """Open the store at ``path``, making its folder and schema if needed.

        A file that is not SQLite, is damaged, belongs to another program or has a newer
        schema raises ``StoreError`` and is left unchanged. ``busy_timeout`` is how many
        seconds to wait for another process that is writing.
        """
        path = Path(path)
        if path.is_dir():
            raise StoreError(text("store.folder", path=path), path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(text("store.cannot_open", path=path), path) from error
        try:
            connection = sqlite3.connect(
                path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as error:
            raise _store_error(path, error) from error
        store = cls(connection, path)
        try:
            store._prepare()
        except BaseException:
            connection.close()
            raise
        return store

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _guarded(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._db
            except sqlite3.ProgrammingError:
                raise  # misuse (a closed store, wrong parameters) is a bug, not the file's fault
            except sqlite3.DatabaseError as error:
                raise _store_error(self._path, error) from error

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._guarded() as db:
            # IMMEDIATE takes the write lock at once: a deferred transaction that later
            # needs it can fail with "busy" without waiting for the timeout.
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("COMMIT")
                self._commits += 1
            except BaseException:
                # Also after a failed COMMIT (busy, disk full): a transaction left open
                # would make every later call fail.
                if db.in_transaction:
                    db.rollback()
                raise

    def revision(self) -> tuple[int, int]:
        """A value that changes whenever the content may have changed, here or elsewhere.

        Counts this object's commits and SQLite's ``data_version``, which moves when
        another connection (another process) commits. Caches compare it to know when to
        forget what they read.
        """
        with self._guarded() as db:
            (data_version,) = db.execute("PRAGMA data_version").fetchone()
        return self._commits, int(data_version)

    def _prepare(self) -> None:
        with self._guarded() as db:
            version = self._check(db)
            schema.configure(db)
        if version < schema.SCHEMA_VERSION:
            with self._transaction() as db:
                # Checked again under the write lock: another process may have migrated.
                schema.migrate(db, self._check(db))

    def _check(self, db: sqlite3.Connection) -> int:
        version, problem = schema.inspect(db)
        if problem is not None:
            message = text(problem, path=self._path, found=version, known=schema.SCHEMA_VERSION)
            raise StoreError(message, self._path)
        return version

    def add_certificate(self, cert: x509.Certificate, source: Source, seen_at: datetime) -> bool:
        """Store ``cert``; True if it was not stored before.

        Storing it again keeps the earliest ``first_seen`` and the latest ``last_seen`` (so
        mail harvested out of order is fine) and the stronger source: imported over
        directory over harvested.
        """
        return self.add_certificates([(cert, source)], seen_at) == 1

    def add_certificates(
        self, items: Iterable[tuple[x509.Certificate, Source]], seen_at: datetime
    ) -> int:
        """Store many certificates in one transaction; returns how many were new."""
        seen = time_text(seen_at)
        added = 0
        with self._transaction() as db:
            for cert, source in items:
                facts = schema.certificate_row(cert)
                role = "intermediate" if facts.is_ca else "recipient"
                added += self._upsert(db, facts, Source(source), role, seen)
        return added

    def add_trust_anchor(self, cert: x509.Certificate, seen_at: datetime) -> bool:
        """Trust ``cert`` as a root; True if it was not an anchor before (it may have been
        stored as an intermediate or recipient certificate, which it then becomes)."""
        seen = time_text(seen_at)
        facts = schema.certificate_row(cert)
        with self._transaction() as db:
            row = db.execute(
                "SELECT role FROM certificates WHERE fingerprint = ?", (facts.fingerprint,)
            ).fetchone()
            self._upsert(db, facts, Source.IMPORTED, "anchor", seen)
        return row is None or row[0] != "anchor"

    def _upsert(
        self,
        db: sqlite3.Connection,
        facts: schema.CertificateRow,
        source: Source,
        role: str,
        seen: str,
    ) -> bool:
        row = db.execute(
            "SELECT source, role, first_seen, last_seen FROM certificates WHERE fingerprint = ?",
            (facts.fingerprint,),
        ).fetchone()
        if row is None:
            db.execute(schema.INSERT_CERTIFICATE, facts.insert_values(source.value, role, seen))
            db.executemany(
                schema.INSERT_ADDRESS,
                [(address, facts.fingerprint, n) for n, address in enumerate(facts.addresses)],
            )
            return True
        old_source = Source(row[0])
        if _SOURCE_RANK[source] > _SOURCE_RANK[old_source]:
            old_source = source
        db.execute(
            schema.UPDATE_CERTIFICATE,
            (
                old_source.value,
                "anchor" if "anchor" in (role, row[1]) else row[1],
                min(row[2], seen),
                max(row[3], seen),
                facts.fingerprint,
            ),
        )
        return False

    def add_crl(self, crl: x509.CertificateRevocationList, seen_at: datetime) -> bool:
        """Keep ``crl`` if its issuer has none stored or an older one (by ``last_update``).

        Returns True if it was kept. Its signature is not checked here: the verdict code
        counts a CRL only when it verifies against the issuing CA.
        """
        values = schema.crl_values(crl, time_text(seen_at))
        issuer_der, last_update = values[0], values[3]
        with self._transaction() as db:
            row = db.execute(
                "SELECT last_update FROM crls WHERE issuer_der = ?", (issuer_der,)
            ).fetchone()
            if row is not None and row[0] >= last_update:
                return False
            db.execute(schema.PUT_CRL, values)
        return True

    def _batches(self, db: sqlite3.Connection, keys: list[str]) -> Iterator[list[str]]:
        size = min(_MAX_BATCH, db.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
        for start in range(0, len(keys), size):
            yield keys[start : start + size]

    def candidates(self, address_keys: Iterable[str]) -> dict[str, tuple[Candidate, ...]]:
        """Every certificate issued for each normalised address key.

        Every asked-for key is in the result, with an empty tuple when nothing is stored
        for it. Within a key, the certificate expiring last comes first.
        """
        wanted = list(dict.fromkeys(address_keys))
        found: dict[str, list[Candidate]] = {key: [] for key in wanted}
        with self._guarded() as db:
            for batch in self._batches(db, wanted):
                sql = schema.CANDIDATES.format(marks=", ".join("?" * len(batch)))
                for address, fingerprint, spki, not_after, source, first, last in db.execute(
                    sql, batch
                ):
                    # Positional, and a dict for the enum: this runs once per row, and
                    # keywords plus Source(...) cost about 2 ms more for 1,000 keys.
                    found[address].append(
                        Candidate(
                            address,
                            fingerprint,
                            spki,
                            parse_time(not_after),
                            _SOURCES[source],
                            parse_time(first),
                            parse_time(last),
                        )
                    )
        for values in found.values():
            if len(values) > 1:  # sorting here is cheaper than SQLite's temporary b-tree
                values.sort(key=attrgetter("fingerprint"))
                values.sort(key=attrgetter("not_after"), reverse=True)
        return {key: tuple(values) for key, values in found.items()}

    def certificate(self, fingerprint: str) -> x509.Certificate:
        """The stored certificate with this SHA-256 fingerprint (hex, any case)."""
        fingerprint = fingerprint.strip().lower()
        with self._guarded() as db:
            row = db.execute(
                "SELECT der FROM certificates WHERE fingerprint = ?", (fingerprint,)
            ).fetchone()
        if row is None:
            raise CertificateNotFound(fingerprint)
        return self._load(bytes(row[0]))

    def _load(self, der: bytes) -> x509.Certificate:
        try:
            return x509.load_der_x509_certificate(der)
        except PARSE_ERRORS as error:
            raise StoreError(text("store.damaged", path=self._path), self._path) from error

    def trust_context(self) -> TrustContext:
        """Anchors, intermediates and the newest CRL of each issuer."""
        with self._guarded() as db:
            rows = db.execute(schema.AUTHORITIES).fetchall()
            crl_rows = db.execute("SELECT der FROM crls ORDER BY issuer_der").fetchall()
        try:
            crls = tuple(x509.load_der_x509_crl(bytes(row[0])) for row in crl_rows)
        except PARSE_ERRORS as error:
            raise StoreError(text("store.damaged", path=self._path), self._path) from error
        return TrustContext(
            anchors=tuple(self._load(bytes(der)) for role, der in rows if role == "anchor"),
            intermediates=tuple(
                self._load(bytes(der)) for role, der in rows if role == "intermediate"
            ),
            crls=crls,
        )

    def list_certificates(
        self, *, include_authorities: bool = False
    ) -> tuple[StoredCertificate, ...]:
        """Recipient (non-CA) certificates by first address, then expiry.

        Certificates with no address come last. ``include_authorities`` adds the CA
        certificates (anchors and intermediates) as well.
        """
        with self._guarded() as db:
            addresses: dict[str, list[str]] = {}
            for fingerprint, address in db.execute(schema.ALL_ADDRESSES):
                addresses.setdefault(fingerprint, []).append(address)
            rows = db.execute(schema.LIST_CERTIFICATES, (int(include_authorities),)).fetchall()
        return tuple(
            StoredCertificate(
                fingerprint=row[0],
                addresses=tuple(addresses.get(row[0], ())),
                subject=row[1],
                issuer=row[2],
                serial=int(row[3]),
                not_before=parse_time(row[4]),
                not_after=parse_time(row[5]),
                source=Source(row[6]),
                first_seen=parse_time(row[7]),
                last_seen=parse_time(row[8]),
                is_ca=bool(row[9]),
            )
            for row in rows
        )

    def remove_certificate(self, fingerprint: str) -> bool:
        """Forget a certificate (its addresses and capabilities go with it); True if it was
        stored. Mail from its owner may bring it back as a harvested certificate."""
        with self._transaction() as db:
            removed = db.execute("DELETE FROM certificates WHERE fingerprint = ?", (fingerprint,))
            return removed.rowcount > 0
