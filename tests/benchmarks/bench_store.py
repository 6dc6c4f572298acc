"""Certificate store lookups at scale: ``python tests/benchmarks/bench_store.py``.

Fills a temporary store with recipient certificates (100,000 by default) and prints the
median time of ``CertStore.candidates`` for 10 and 1,000 address keys.
"""

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from desktop_app.core.pki.stored import Source
from desktop_app.services.certstore.store import CertStore

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
DOMAINS = 50
BENCHMARK_CA = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Benchmark CA")])


def address(n: int) -> str:
    return f"user{n}@example{n % DOMAINS}.org"


def certificates(
    count: int,
    addresses: int,
    issuer_key: ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey | None = None,
    issuer: x509.Name = BENCHMARK_CA,
) -> Iterator[x509.Certificate]:
    """``count`` certificates spread over ``addresses`` mailboxes (some get several).

    Key generation dominates certificate making, so every certificate carries the same
    subject key; by default an Ed25519 issuer signs them (the fastest signature
    cryptography has). Pass a CA's key and name to get certificates that chain to it.
    """
    issuer_key = issuer_key or ed25519.Ed25519PrivateKey.generate()
    subject_key = ec.generate_private_key(ec.SECP256R1()).public_key()
    digest = None if isinstance(issuer_key, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    basic = x509.BasicConstraints(ca=False, path_length=None)
    eku = x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION])
    for n in range(count):
        mailbox = address(n % addresses)
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, mailbox)]))
            .issuer_name(issuer)
            .public_key(subject_key)
            .serial_number(n + 1)
            .not_valid_before(NOW - dt.timedelta(days=30))
            .not_valid_after(NOW + dt.timedelta(days=30 + n % 700))
            .add_extension(basic, critical=True)
            .add_extension(x509.SubjectAlternativeName([x509.RFC822Name(mailbox)]), critical=False)
            .add_extension(eku, critical=False)
        )
        yield builder.sign(issuer_key, digest)


def median_ms(store: CertStore, keys: list[str], runs: int) -> tuple[float, int]:
    found = store.candidates(keys)  # warm the page cache once
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        store.candidates(keys)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), sum(len(v) for v in found.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--certificates", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    addresses = max(1, args.certificates * 4 // 5)
    rng = random.Random(1)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite"
        with CertStore.open(path) as store:
            start = time.perf_counter()
            made = list(certificates(args.certificates, addresses))
            generated = time.perf_counter() - start
            start = time.perf_counter()
            added = store.add_certificates(((c, Source.DIRECTORY) for c in made), NOW)
            inserted = time.perf_counter() - start
            del made
            print(f"generated {args.certificates:,} certificates in {generated:.1f} s")
            print(
                f"stored {added:,} certificates for {addresses:,} addresses in {inserted:.1f} s "
                f"({path.stat().st_size / 1e6:.0f} MB before checkpoint)"
            )
            for size in (10, 1_000):
                # Nine in ten keys have certificates, as in a real address book.
                keys = [address(rng.randrange(addresses)) for _ in range(size * 9 // 10)]
                keys += [f"stranger{n}@example.net" for n in range(size - len(keys))]
                ms, hits = median_ms(store, keys, args.runs)
                print(
                    f"candidates() for {size:>5,} keys: {ms:7.2f} ms "
                    f"(median of {args.runs}; {hits:,} certificates found)"
                )


if __name__ == "__main__":
    main()
