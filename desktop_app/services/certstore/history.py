"""What the store learns about each correspondent over time: keys used and algorithms."""

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime

from desktop_app.services.certstore import schema
from desktop_app.services.certstore.schema import time_text
from desktop_app.services.certstore.store_errors import CertificateNotFound


class CorrespondentHistory:
    """Mixed into CertStore: the key last used per address and each key's capabilities.

    ``capabilities`` are the algorithm names a correspondent's client advertised in a
    verified signature (SMIMECapabilities), kept per certificate so sealing can choose
    AES-GCM or RSA-OAEP only for readers that said they can open it.
    """

    def _guarded(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def _batches(self, db: sqlite3.Connection, keys: list[str]) -> Iterator[list[str]]:
        raise NotImplementedError

    def record_use(self, address_key: str, fingerprint: str, used_at: datetime) -> None:
        """Remember that mail to ``address_key`` was encrypted with this stored certificate.

        A use older than the one already recorded is ignored.
        """
        self.record_uses([(address_key, fingerprint)], used_at)

    def record_uses(self, uses: Iterable[tuple[str, str]], used_at: datetime) -> None:
        """``record_use`` for each (address key, fingerprint), in one transaction: one
        durable commit for a whole message's readers rather than one per reader."""
        uses = list(uses)
        if not uses:
            return
        used = time_text(used_at)
        with self._transaction() as db:
            for address_key, fingerprint in uses:
                fingerprint = fingerprint.strip().lower()
                row = db.execute(
                    "SELECT spki FROM certificates WHERE fingerprint = ?", (fingerprint,)
                ).fetchone()
                if row is None:
                    raise CertificateNotFound(fingerprint)
                db.execute(schema.RECORD_USE, (address_key, row[0], fingerprint, used))

    def last_used_spki(self, address_keys: Iterable[str]) -> dict[str, str]:
        """Key (SPKI SHA-256) last used for each address; addresses never used are left out."""
        wanted = list(dict.fromkeys(address_keys))
        result: dict[str, str] = {}
        with self._guarded() as db:
            for batch in self._batches(db, wanted):
                sql = schema.LAST_USED.format(marks=", ".join("?" * len(batch)))
                result.update(db.execute(sql, batch).fetchall())
        return result

    def record_capabilities(
        self,
        fingerprint: str,
        names: Iterable[str],
        seen_at: datetime,
        *,
        signed_at: datetime | None = None,
    ) -> bool:
        """Remember the algorithms advertised with a stored certificate; True if stored.

        ``signed_at`` is the signingTime of the signature they came with. They replace what
        is stored only when signed later than it (RFC 8551 2.5.2): a replayed older message
        cannot switch the next seal to what it advertised. Without a signing time they
        replace only capabilities that had none either, and then by ``seen_at``.
        """
        fingerprint = fingerprint.strip().lower()
        signed = None if signed_at is None else time_text(signed_at)
        with self._transaction() as db:
            known = db.execute(
                "SELECT 1 FROM certificates WHERE fingerprint = ?", (fingerprint,)
            ).fetchone()
            if known is None:
                raise CertificateNotFound(fingerprint)
            cursor = db.execute(
                schema.RECORD_CAPABILITIES,
                (fingerprint, json.dumps(list(names)), time_text(seen_at), signed),
            )
            return cursor.rowcount > 0

    def capabilities(self, fingerprints: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """Advertised algorithm names per fingerprint; certificates with none are left out."""
        wanted = list(dict.fromkeys(f.strip().lower() for f in fingerprints))
        result: dict[str, tuple[str, ...]] = {}
        with self._guarded() as db:
            for batch in self._batches(db, wanted):
                sql = schema.CAPABILITIES.format(marks=", ".join("?" * len(batch)))
                for fingerprint, names in db.execute(sql, batch):
                    result[fingerprint] = tuple(str(name) for name in json.loads(names))
        return result
