"""How long directory answers are trusted: a small JSON file beside the certificate store.

The certificates themselves go into the store (source ``directory``); this file keeps,
per address, when the directory last answered, what the address is, and which
certificates it published then, so ``check --offline`` and the compose window can use
them within the time to live without asking the server again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509

from desktop_app.core.recipients.legacy_dn import legacy_dn_key
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.certstore.store_errors import CertificateNotFound
from desktop_app.services.json_files import (
    StorageError,
    read_json,
    write_json,
)
from desktop_app.services.paths import exchange_folder

log = logging.getLogger(__name__)

CACHE_FILE_NAME = "directory-cache.json"
CACHE_FORMAT = 1
LEGACY_DN_PREFIX = "x500:"


@dataclass(frozen=True, slots=True)
class CachedAnswer:
    """The directory's answer for one address key (or ``x500:`` legacyDN) at one time."""

    fetched: datetime
    kind: str
    address: str | None
    fingerprints: tuple[str, ...] = ()
    members: tuple[str, ...] = ()


def cache_key_of_legacy_dn(legacy_dn: str) -> str:
    return LEGACY_DN_PREFIX + legacy_dn_key(legacy_dn)


class DirectoryCache:
    """The answers file of one home folder; safe to use from several threads."""

    def __init__(self, home: Path, ttl: timedelta, clock: Callable[[], datetime]) -> None:
        self._path = exchange_folder(home) / CACHE_FILE_NAME
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._answers: dict[str, CachedAnswer] | None = None

    def _load(self) -> dict[str, CachedAnswer]:
        if self._answers is not None:
            return self._answers
        answers: dict[str, CachedAnswer] = {}
        try:
            document = read_json(self._path)
        except StorageError:
            log.warning("directory cache unreadable; starting afresh")
            document = None
        entries = document.get("entries", {}) if isinstance(document, dict) else {}
        if isinstance(document, dict) and document.get("format") == CACHE_FORMAT:
            for key, value in entries.items():
                try:
                    answers[key] = CachedAnswer(
                        fetched=datetime.fromisoformat(value["fetched"]),
                        kind=str(value["kind"]),
                        address=value.get("address"),
                        fingerprints=tuple(value.get("fingerprints", ())),
                        members=tuple(value.get("members", ())),
                    )
                except (KeyError, TypeError, ValueError):
                    continue  # one bad entry costs one lookup, not the file
        self._answers = answers
        return answers

    def known_addresses(self) -> tuple[str, ...]:
        """Addresses the directory knows as a mailbox or a list, for address completion."""
        with self._lock:
            answers = self._load()
        wanted = ("mailbox", "list")
        return tuple(
            answer.address or key
            for key, answer in answers.items()
            if not key.startswith(LEGACY_DN_PREFIX) and answer.kind in wanted
        )

    def fresh(self, key: str) -> CachedAnswer | None:
        """The answer for ``key`` if it is younger than the time to live."""
        with self._lock:
            answer = self._load().get(key)
        if answer is None or self._clock() - answer.fetched > self._ttl:
            return None
        return answer

    def remember(self, answers: Mapping[str, CachedAnswer]) -> None:
        """Record ``answers`` and write the file (dropping answers past their time)."""
        with self._lock:
            known = self._load()
            known.update(answers)
            oldest = self._clock() - self._ttl
            for key in [key for key, answer in known.items() if answer.fetched < oldest]:
                del known[key]
            document = {
                "format": CACHE_FORMAT,
                "entries": {
                    key: {
                        "fetched": answer.fetched.isoformat(),
                        "kind": answer.kind,
                        "address": answer.address,
                        "fingerprints": list(answer.fingerprints),
                        "members": list(answer.members),
                    }
                    for key, answer in sorted(known.items())
                },
            }
            write_json(self._path, document)


class CachedDirectory:
    """Certificates the directory published, from the cache and store only (no network)."""

    def __init__(self, cache: DirectoryCache, store: CertStore) -> None:
        self._cache = cache
        self._store = store

    def certificates(
        self, address_keys: Sequence[str]
    ) -> Mapping[str, tuple[x509.Certificate, ...]]:
        found: dict[str, tuple[x509.Certificate, ...]] = {}
        for key in address_keys:
            answer = self._cache.fresh(key)
            if answer is None or not answer.fingerprints:
                continue
            certificates = []
            for fingerprint in answer.fingerprints:
                try:
                    certificates.append(self._store.certificate(fingerprint))
                except CertificateNotFound:
                    continue  # removed from the store since: the store wins
            found[key] = tuple(certificates)
        return found
