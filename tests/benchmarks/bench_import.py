"""``certs import`` of bundles whose certificates name many addresses:
``PYTHONPATH=. python tests/benchmarks/bench_import.py``.

Builds PEM bundles of 40 certificates naming 8,000 addresses each (the hostile case: each
is refused after counting, without reading an address), 1,000 each (the most that is
read), and 10 each, and times ``smime-guard certs import`` of each into an empty store.
"""

import argparse
import datetime as dt
import platform
import tempfile
import time
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from desktop_app.app.main import main
from tests.factories.certs import NOW, TestCA, private_key


def bundle(ca: TestCA, certificates: int, addresses: int) -> bytes:
    key = private_key("rsa2048")
    parts = []
    for n in range(certificates):
        names = [x509.RFC822Name(f"u{n}.{m}@x{m % 97}.org") for m in range(addresses)]
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, f"c{n}")]))
            .issuer_name(ca.name)
            .public_key(key.public_key())
            .serial_number(1000 + n)
            .not_valid_before(NOW - dt.timedelta(days=1))
            .not_valid_after(NOW + dt.timedelta(days=365))
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .sign(ca.key, hashes.SHA256())  # type: ignore[arg-type]
        )
        parts.append(cert.public_bytes(serialization.Encoding.PEM))
    return b"".join(parts)


def main_benchmark() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--certificates", type=int, default=40)
    args = parser.parse_args()
    print(f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}")
    ca = TestCA("Import Benchmark CA")
    for addresses in (8_000, 1_000, 10):
        data = bundle(ca, args.certificates, addresses)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bundle.pem"
            path.write_bytes(data)
            start = time.perf_counter()
            code = main(["--home", str(Path(folder) / "home"), "certs", "import", str(path)])
            took = time.perf_counter() - start
        print(
            f"{args.certificates} certificates x {addresses:>5,} addresses "
            f"({len(data) / 1e6:5.1f} MB): import {took:6.2f} s, exit {code}"
        )


if __name__ == "__main__":
    main_benchmark()
