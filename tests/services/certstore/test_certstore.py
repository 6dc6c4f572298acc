"""The certificate store: schema, persistence, lookups, trust material and damaged files."""

import datetime as dt
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtensionOID
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.pki.certificates import fingerprint_sha256, spki_sha256
from desktop_app.core.pki.stored import Source
from desktop_app.core.recipients.normalise import address_key
from desktop_app.services.certstore.schema import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    parse_time,
    time_text,
)
from desktop_app.services.certstore.store import CertificateNotFound, CertStore, StoreError
from tests.factories.certs import NOW, TestCA

UTC = dt.UTC
DAY = dt.timedelta(days=1)


@pytest.fixture(scope="module")
def ca() -> TestCA:
    return TestCA()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "profile" / "certificates.sqlite"


@pytest.fixture
def store(path: Path) -> Iterator[CertStore]:
    with CertStore.open(path) as opened:
        yield opened


def _raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def _sidecars(path: Path) -> list[Path]:
    return [p for p in path.parent.iterdir() if p != path]


# opening


def test_open_makes_folder_schema_and_wal(path: Path) -> None:
    CertStore.open(path).close()
    db = _raw(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"certificates", "certificate_addresses", "crls", "address_usage"} <= tables
    plan = db.execute(
        "EXPLAIN QUERY PLAN SELECT fingerprint FROM certificate_addresses WHERE address = ?",
        ("a@example.org",),
    ).fetchall()
    assert any("USING PRIMARY KEY" in row[-1] for row in plan), plan


def test_reopen_keeps_everything(path: Path, ca: TestCA) -> None:
    alice = ca.issue(["alice@example.org"]).cert
    with CertStore.open(path) as store:
        store.add_certificate(alice, Source.DIRECTORY, NOW)
        store.add_trust_anchor(ca.cert, NOW)
        store.add_crl(ca.crl([7]), NOW)
        store.record_use("alice@example.org", fingerprint_sha256(alice), NOW)
    with CertStore.open(path) as store:
        (found,) = store.candidates(["alice@example.org"])["alice@example.org"]
        assert found.fingerprint == fingerprint_sha256(alice)
        assert found.source is Source.DIRECTORY
        assert found.first_seen == NOW and found.first_seen.tzinfo is not None
        assert store.certificate(found.fingerprint) == alice
        context = store.trust_context()
        assert context.anchors == (ca.cert,)
        assert len(context.crls) == 1
        assert store.last_used_spki(["alice@example.org"]) == {
            "alice@example.org": spki_sha256(alice)
        }


def test_corrupt_file_is_refused_and_left_untouched(path: Path) -> None:
    path.parent.mkdir(parents=True)
    garbage = os.urandom(8192)
    path.write_bytes(garbage)
    with pytest.raises(StoreError) as caught:
        CertStore.open(path)
    assert str(path) in str(caught.value)
    assert caught.value.path == path
    assert path.read_bytes() == garbage
    assert _sidecars(path) == []


def test_damage_found_later_raises_store_error(path: Path, ca: TestCA) -> None:
    with CertStore.open(path) as store:
        store.add_certificates(
            [(ca.issue([f"p{n}@example.org"]).cert, Source.IMPORTED) for n in range(40)], NOW
        )
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:] = b"\xff" * (len(data) - page)  # keep page 1 (header and schema) only
    path.write_bytes(bytes(data))
    with CertStore.open(path) as store, pytest.raises(StoreError) as caught:
        store.list_certificates()
    assert "damaged" in str(caught.value)


def test_directory_as_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        CertStore.open(tmp_path)
    assert str(tmp_path) in str(caught.value)


def test_folder_that_cannot_be_made_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError):
        CertStore.open(blocker / "store.sqlite")


def test_newer_schema_is_refused_and_left_untouched(path: Path) -> None:
    CertStore.open(path).close()
    db = _raw(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError) as caught:
        CertStore.open(path)
    assert "newer" in str(caught.value) and str(path) in str(caught.value)
    assert path.read_bytes() == before


def test_database_of_another_program_is_refused_and_left_untouched(path: Path) -> None:
    path.parent.mkdir(parents=True)
    db = _raw(path)
    db.execute("CREATE TABLE notes (body TEXT)")
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError) as caught:
        CertStore.open(path)
    assert "another program" in str(caught.value)
    assert path.read_bytes() == before


def test_busy_store_raises_store_error(path: Path, ca: TestCA) -> None:
    with CertStore.open(path, busy_timeout=0.05) as store:
        other = _raw(path)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreError) as caught:
                store.add_certificate(ca.issue().cert, Source.IMPORTED, NOW)
        finally:
            other.rollback()
            other.close()
        assert "busy" in str(caught.value)
        assert store.add_certificate(ca.issue().cert, Source.IMPORTED, NOW)  # usable again


# certificates and candidates


def test_candidates_compare_normalised_keys_exactly(store: CertStore, ca: TestCA) -> None:
    cert = ca.issue(["Alice@Example.ORG"]).cert
    store.add_certificate(cert, Source.IMPORTED, NOW)
    # The store keys on address_key(); normalising what the user typed is the caller's job.
    assert store.candidates(["Alice@Example.ORG"]) == {"Alice@Example.ORG": ()}
    key = address_key("ALICE@example.org")
    assert [c.fingerprint for c in store.candidates([key])[key]] == [fingerprint_sha256(cert)]


def test_several_certificates_per_address_newest_expiry_first(store: CertStore, ca: TestCA) -> None:
    certs = [
        ca.issue(["bob@example.org"], key_kind="p256", slot=n, not_after=NOW + n * DAY).cert
        for n in (30, 90, 60)
    ]
    assert store.add_certificates([(c, Source.HARVESTED) for c in certs], NOW) == 3
    result = store.candidates(["bob@example.org", "nobody@example.org", "bob@example.org"])
    assert list(result) == ["bob@example.org", "nobody@example.org"]
    assert result["nobody@example.org"] == ()
    bob = result["bob@example.org"]
    assert [c.not_after for c in bob] == [NOW + 90 * DAY, NOW + 60 * DAY, NOW + 30 * DAY]
    assert len({c.spki for c in bob}) == 3
    assert all(c.address == "bob@example.org" for c in bob)


def test_certificate_for_two_addresses_is_found_under_each(store: CertStore, ca: TestCA) -> None:
    cert = ca.issue(["carol@example.org", "c.smith@example.org"]).cert
    store.add_certificate(cert, Source.IMPORTED, NOW)
    result = store.candidates(["carol@example.org", "c.smith@example.org"])
    assert [len(v) for v in result.values()] == [1, 1]
    (listed,) = store.list_certificates()
    assert listed.addresses == ("carol@example.org", "c.smith@example.org")


def test_readding_keeps_first_seen_and_strongest_source(store: CertStore, ca: TestCA) -> None:
    cert = ca.issue(["dave@example.org"]).cert
    assert store.add_certificate(cert, Source.HARVESTED, NOW) is True
    assert store.add_certificate(cert, Source.IMPORTED, NOW + DAY) is False
    assert store.add_certificate(cert, Source.HARVESTED, NOW + 2 * DAY) is False
    assert store.add_certificate(cert, Source.DIRECTORY, NOW - DAY) is False  # older mail
    (found,) = store.candidates(["dave@example.org"])["dave@example.org"]
    assert found.source is Source.IMPORTED
    assert (found.first_seen, found.last_seen) == (NOW - DAY, NOW + 2 * DAY)


def test_add_certificates_is_one_transaction(store: CertStore, ca: TestCA) -> None:
    def items() -> Iterator[tuple[x509.Certificate, Source]]:
        yield ca.issue(["erin@example.org"]).cert, Source.IMPORTED
        raise RuntimeError("source failed half way")

    with pytest.raises(RuntimeError):
        store.add_certificates(items(), NOW)
    assert store.list_certificates() == ()


def test_certificate_by_fingerprint(store: CertStore, ca: TestCA) -> None:
    cert = ca.issue(["frank@example.org"]).cert
    store.add_certificate(cert, Source.IMPORTED, NOW)
    assert store.certificate(fingerprint_sha256(cert).upper()) == cert
    with pytest.raises(CertificateNotFound) as caught:
        store.certificate("00" * 32)
    assert isinstance(caught.value, KeyError)
    assert "00" * 32 in str(caught.value)


def test_malformed_extensions_are_stored_without_addresses(store: CertStore, ca: TestCA) -> None:
    cert = ca.issue(
        ["gina@example.org"], malformed_extension=ExtensionOID.SUBJECT_ALTERNATIVE_NAME
    ).cert
    assert store.add_certificate(cert, Source.HARVESTED, NOW)
    (listed,) = store.list_certificates()
    assert listed.fingerprint == fingerprint_sha256(cert)
    assert listed.addresses == () and listed.is_ca is False
    assert store.candidates(["gina@example.org"]) == {"gina@example.org": ()}


def test_list_orders_by_first_address_then_expiry(store: CertStore, ca: TestCA) -> None:
    late = ca.issue(["amy@example.org"], key_kind="p256", slot=1, not_after=NOW + 90 * DAY).cert
    early = ca.issue(["amy@example.org"], key_kind="p256", slot=2, not_after=NOW + 10 * DAY).cert
    zed = ca.issue(["zed@example.org"]).cert
    nameless = ca.issue([], common_name="No Mail").cert
    for cert in (zed, nameless, late, early):
        store.add_certificate(cert, Source.IMPORTED, NOW)
    store.add_certificate(ca.intermediate("Sub CA").cert, Source.HARVESTED, NOW)
    listed = store.list_certificates()
    assert [c.fingerprint for c in listed] == [
        fingerprint_sha256(c) for c in (early, late, zed, nameless)
    ]
    assert listed[0].subject == "CN=amy@example.org"
    assert listed[0].issuer == "CN=Test Root CA"
    assert listed[0].serial == early.serial_number
    assert listed[0].not_after == NOW + 10 * DAY
    everything = store.list_certificates(include_authorities=True)
    assert len(everything) == 5 and everything[-1].is_ca


def test_thousand_keys_are_batched_under_the_variable_limit(store: CertStore, ca: TestCA) -> None:
    issued = [ca.issue([f"user{n}@example.org"]).cert for n in range(0, 1000, 10)]
    store.add_certificates([(c, Source.DIRECTORY) for c in issued], NOW)
    keys = [f"user{n}@example.org" for n in range(1000)]
    # Lower this connection's limit so that one IN (...) of all keys would fail.
    store._db.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 7)
    result = store.candidates(keys)
    assert list(result) == keys
    hits = {key for key, found in result.items() if found}
    assert hits == {f"user{n}@example.org" for n in range(0, 1000, 10)}
    for n in range(0, 1000, 10):
        store.record_use(f"user{n}@example.org", fingerprint_sha256(issued[n // 10]), NOW)
    assert len(store.last_used_spki(keys)) == 100


def test_store_can_be_shared_with_a_worker_thread(store: CertStore, ca: TestCA) -> None:
    cert = ca.issue(["hal@example.org"]).cert
    worker = threading.Thread(target=store.add_certificate, args=(cert, Source.IMPORTED, NOW))
    worker.start()
    worker.join()
    assert len(store.candidates(["hal@example.org"])["hal@example.org"]) == 1


# trust material


def test_ca_certificates_are_intermediates_not_recipients(store: CertStore, ca: TestCA) -> None:
    sub = ca.intermediate("Issuing CA")
    store.add_certificate(sub.cert, Source.HARVESTED, NOW)
    store.add_trust_anchor(ca.cert, NOW)
    context = store.trust_context()
    assert context.intermediates == (sub.cert,)
    assert context.anchors == (ca.cert,)
    assert store.list_certificates() == ()


def test_intermediate_added_as_anchor_becomes_anchor(store: CertStore, ca: TestCA) -> None:
    sub = ca.intermediate("Promoted CA")
    assert store.add_certificate(sub.cert, Source.HARVESTED, NOW)
    assert store.add_trust_anchor(sub.cert, NOW + DAY) is True
    assert store.add_trust_anchor(sub.cert, NOW + DAY) is False
    store.add_certificate(sub.cert, Source.HARVESTED, NOW + 2 * DAY)  # does not demote it
    context = store.trust_context()
    assert (context.anchors, context.intermediates) == ((sub.cert,), ())


def test_trusted_end_entity_certificate_stays_a_candidate(store: CertStore, ca: TestCA) -> None:
    cert = ca.issue(["ivy@example.org"]).cert
    store.add_trust_anchor(cert, NOW)
    assert store.trust_context().anchors == (cert,)
    assert len(store.candidates(["ivy@example.org"])["ivy@example.org"]) == 1


def test_crl_replacement_keeps_the_newest_per_issuer(store: CertStore, ca: TestCA) -> None:
    other = TestCA("Other Root CA", slot=5)
    older = ca.crl([1], last_update=NOW - 3 * DAY)
    newer = ca.crl([1, 2], last_update=NOW - DAY)
    assert store.add_crl(older, NOW) is True
    assert store.add_crl(newer, NOW) is True
    assert store.add_crl(older, NOW + DAY) is False
    assert store.add_crl(newer, NOW + DAY) is False
    assert store.add_crl(other.crl(), NOW) is True
    crls = store.trust_context().crls
    assert len(crls) == 2
    (ours,) = [crl for crl in crls if crl.issuer == ca.name]
    assert ours.last_update_utc == NOW - DAY
    assert {r.serial_number for r in ours} == {1, 2}


# usage


def test_record_use_and_last_used_spki(store: CertStore, ca: TestCA) -> None:
    first = ca.issue(["jo@example.org"], key_kind="p256", slot=1).cert
    second = ca.issue(["jo@example.org"], key_kind="p256", slot=2).cert
    store.add_certificates([(first, Source.IMPORTED), (second, Source.IMPORTED)], NOW)
    assert store.last_used_spki(["jo@example.org"]) == {}
    store.record_use("jo@example.org", fingerprint_sha256(first), NOW)
    store.record_use("jo@example.org", fingerprint_sha256(second), NOW + DAY)
    store.record_use("jo@example.org", fingerprint_sha256(first), NOW - DAY)  # late report
    assert store.last_used_spki(["jo@example.org", "kim@example.org"]) == {
        "jo@example.org": spki_sha256(second)
    }
    with pytest.raises(CertificateNotFound):
        store.record_use("jo@example.org", "ab" * 32, NOW)


# times


def test_naive_times_are_refused(store: CertStore, ca: TestCA) -> None:
    with pytest.raises(ValueError, match="naive"):
        store.add_certificate(ca.issue().cert, Source.IMPORTED, NOW.replace(tzinfo=None))


def test_times_come_back_as_utc(store: CertStore, ca: TestCA) -> None:
    local = NOW.astimezone(dt.timezone(dt.timedelta(hours=2)))
    store.add_certificate(ca.issue(["lu@example.org"]).cert, Source.IMPORTED, local)
    (found,) = store.candidates(["lu@example.org"])["lu@example.org"]
    assert found.first_seen == NOW and found.first_seen.utcoffset() == dt.timedelta(0)


_aware = st.datetimes(
    min_value=dt.datetime(1950, 1, 2),
    max_value=dt.datetime(9999, 12, 30),
    timezones=st.builds(
        dt.timezone,
        st.timedeltas(min_value=-dt.timedelta(hours=23), max_value=dt.timedelta(hours=23)),
    ),
)


@given(_aware, _aware)
def test_time_text_round_trips_and_sorts_like_time(a: dt.datetime, b: dt.datetime) -> None:
    assert parse_time(time_text(a)) == a
    assert (time_text(a) < time_text(b)) == (a < b)
