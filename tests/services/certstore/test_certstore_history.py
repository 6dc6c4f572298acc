"""What the store remembers per correspondent: advertised algorithms, and schema upgrades."""

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from desktop_app.core.pki.certificates import fingerprint_sha256
from desktop_app.core.pki.stored import Source
from desktop_app.services.certstore import schema
from desktop_app.services.certstore.store import CertificateNotFound, CertStore
from tests.factories.certs import NOW, TestCA

CA = TestCA("History Root")
ANN = CA.issue(["ann@clinic.example"])


def test_capabilities_are_kept_per_certificate_and_newest_wins(tmp_path: Path) -> None:
    fingerprint = fingerprint_sha256(ANN.cert)
    with CertStore.open(tmp_path / "s.sqlite") as store:
        store.add_certificate(ANN.cert, Source.HARVESTED, NOW)
        assert store.capabilities([fingerprint]) == {}
        store.record_capabilities(fingerprint, ["aes256-gcm", "aes256-cbc"], NOW)
        store.record_capabilities(fingerprint.upper(), ["aes128-cbc"], NOW.replace(year=2025))
    with CertStore.open(tmp_path / "s.sqlite") as store:
        assert store.capabilities([fingerprint, "ab" * 32]) == {
            fingerprint: ("aes256-gcm", "aes256-cbc")
        }
        with pytest.raises(CertificateNotFound):
            store.record_capabilities("ab" * 32, ["aes256-gcm"], NOW)


def test_a_store_of_the_first_schema_is_upgraded_and_keeps_its_certificates(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with CertStore.open(path) as store:
        store.add_certificate(ANN.cert, Source.IMPORTED, NOW)
    with sqlite3.connect(path) as db:  # put the file back to schema version 1
        db.execute("DROP TABLE capabilities")
        db.execute("PRAGMA user_version = 1")
    with CertStore.open(path) as store:
        assert [c.addresses for c in store.list_certificates()] == [("ann@clinic.example",)]
        store.record_capabilities(fingerprint_sha256(ANN.cert), ["aes256-gcm"], NOW)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION == 3


def test_capabilities_are_replaced_only_by_a_later_signature(tmp_path: Path) -> None:
    fingerprint = fingerprint_sha256(ANN.cert)
    with CertStore.open(tmp_path / "s.sqlite") as store:
        store.add_certificate(ANN.cert, Source.HARVESTED, NOW)
        assert store.record_capabilities(fingerprint, ["aes256-gcm"], NOW, signed_at=NOW)
        # A replayed older message, seen later, does not switch the algorithms back.
        later = NOW + timedelta(days=3)
        assert not store.record_capabilities(
            fingerprint, ["aes128-cbc"], later, signed_at=NOW - timedelta(days=30)
        )
        # Nor does one without a signing time.
        assert not store.record_capabilities(fingerprint, ["aes128-cbc"], later)
        assert store.capabilities([fingerprint]) == {fingerprint: ("aes256-gcm",)}
        assert store.record_capabilities(
            fingerprint, ["aes128-gcm"], later, signed_at=NOW + timedelta(days=1)
        )
        assert store.capabilities([fingerprint]) == {fingerprint: ("aes128-gcm",)}


def test_a_store_of_the_second_schema_keeps_capabilities_dated_when_stored(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v2.sqlite"
    fingerprint = fingerprint_sha256(ANN.cert)
    with CertStore.open(path) as store:
        store.add_certificate(ANN.cert, Source.HARVESTED, NOW)
    with sqlite3.connect(path) as db:  # put the file back to schema version 2
        db.execute("DROP TABLE capabilities")
        for statement in schema.MIGRATIONS[1]:
            db.execute(statement)
        db.execute(
            "INSERT INTO capabilities (fingerprint, names, updated) VALUES (?, ?, ?)",
            (fingerprint, '["aes256-gcm"]', schema.time_text(NOW)),
        )
        db.execute("PRAGMA user_version = 2")
    with CertStore.open(path) as store:
        assert store.capabilities([fingerprint]) == {fingerprint: ("aes256-gcm",)}
        before = NOW - timedelta(hours=1)
        assert not store.record_capabilities(fingerprint, ["aes128-cbc"], NOW, signed_at=before)
        assert store.record_capabilities(
            fingerprint, ["aes128-gcm"], NOW, signed_at=NOW + timedelta(hours=1)
        )
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 3
