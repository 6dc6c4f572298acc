"""The ``check`` logic at scale: ``python tests/benchmarks/bench_check.py``.

Fills a temporary store with 100,000 recipient certificates issued by a trusted CA, then
times, for drafts of 10 and 1,000 recipients (1 in 10 without a certificate):

- parse: reading the To, Cc and Bcc fields into mailboxes (done once per typed token in
  the compose window);
- check, cold: looking every address up and judging each certificate for the first time
  (chain building, revocation);
- check, warm: the same draft checked again with every certificate already judged, as on
  each edit in the compose window: look-up, revocation (answered by the CA's current CRL
  in the store, so nothing is fetched) plus the one rule.
"""

import argparse
import datetime as dt
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_store import address, certificates

from desktop_app.core.pki.stored import Source
from desktop_app.core.policy.model import RevocationPolicy
from desktop_app.core.recipients.addresses import parse_address_list
from desktop_app.core.recipients.evidence import CertificateJudge, gather_evidence
from desktop_app.core.recipients.status import Draft, MessageStatus, decide
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.revocation.weigh import revocation_weighed
from tests.factories.certs import NOW, TestCA


def assess(draft: Draft, judge: CertificateJudge, store: CertStore) -> MessageStatus:
    """What ``check`` does after parsing: evidence, revocation, the one rule."""
    evidence = gather_evidence(draft, judge)
    weighed = revocation_weighed(evidence, judge, store, RevocationPolicy.PREFER, offline=False)
    return decide(draft, weighed)


def fields_for(count: int, addresses: int, rng: random.Random) -> tuple[str, str, str]:
    """A draft of ``count`` recipients split 60/30/10 over To, Cc and Bcc; 1 in 10 unknown."""
    mailboxes = [
        f"User {n} <{address(n)}>" if rng.random() < 0.9 else f"stranger{n}@example.net"
        for n in rng.sample(range(addresses), count)
    ]
    to_end, cc_end = count * 6 // 10, count * 9 // 10
    return (
        ", ".join(mailboxes[:to_end]),
        ", ".join(mailboxes[to_end:cc_end]),
        ", ".join(mailboxes[cc_end:]),
    )


def median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(store: CertStore, fields: tuple[str, str, str], runs: int) -> str:
    def parse() -> Draft:
        to, cc, bcc = (parse_address_list(value) for value in fields)
        return Draft(to=to, cc=cc, bcc=bcc)

    draft = parse()
    parse_ms = median_ms(parse, runs)
    cold = []
    for attempt in range(3):
        judge = CertificateJudge(store, NOW + dt.timedelta(seconds=attempt))
        start = time.perf_counter()
        status = assess(draft, judge, store)
        cold.append((time.perf_counter() - start) * 1000)
    warm_ms = median_ms(lambda: assess(draft, judge, store), runs)
    covered = sum(r.covered for r in status.recipients)
    unknown = sum(n.code == "revocation_unknown" for n in status.notices)
    return (
        f"{len(status.recipients):>5,} recipients: parse {parse_ms:7.2f} ms | "
        f"check cold {statistics.median(cold):7.1f} ms | check warm {warm_ms:6.2f} ms "
        f"| {covered:,} covered, {status.overall.value}, {unknown} revocation unknown"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--certificates", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    addresses = max(1_000, args.certificates * 4 // 5)
    rng = random.Random(7)
    ca = TestCA("Benchmark Root")
    print(f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}")
    with tempfile.TemporaryDirectory() as folder, CertStore.open(Path(folder) / "b.db") as store:
        start = time.perf_counter()
        store.add_trust_anchor(ca.cert, NOW)
        store.add_crl(ca.crl(range(1, 1_000, 97)), NOW)  # current: revocation is known
        made = certificates(args.certificates, addresses, ca.key, ca.name)  # type: ignore[arg-type]
        store.add_certificates(((cert, Source.DIRECTORY) for cert in made), NOW)
        filled = time.perf_counter() - start
        print(f"store of {args.certificates:,} certificates filled in {filled:.0f} s")
        for count in (10, 1_000):
            print(measure(store, fields_for(count, addresses, rng), args.runs))


if __name__ == "__main__":
    main()
