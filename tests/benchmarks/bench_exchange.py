"""Directory lookups at scale: ``PYTHONPATH=<checkout> python tests/benchmarks/bench_exchange.py``.

Starts the EWS test server with 200 mailboxes (each publishing one certificate) and an
injected latency per request, signs in with the real exchangelib stack, then times a
lookup of all 200 recipients: one ResolveNames per name, in parallel on the bounded
pool, then the core judging every certificate. Goal: under 1.5 s wall time at 50 ms.

While each lookup runs on a worker thread, the main thread plays the GUI thread: it
wakes every 5 ms, and the longest gap between wake-ups is reported as the worst stall a
window would have seen (the lookup holds the GIL while it parses and judges).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from desktop_app.core.recipients.addresses import parse_mailbox
from desktop_app.core.recipients.status import Draft, Evidence, RecipientStatus, decide
from desktop_app.services.certificates.consult import Consulted, evidence_for
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.exchange.account import AccountConfig, AuthType, ExchangeSettings
from desktop_app.services.exchange.ews_services import EwsDirectory
from desktop_app.services.exchange.gal_search import GalSearch
from desktop_app.services.exchange.session import open_connection, sign_in
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.secrets import SecretStore
from tests.ews_server import EwsTestServer
from tests.factories.certs import NOW, TestCA
from tests.services.keyrings import InMemoryKeyring

USER = "me@clinic.example"
PASSWORD = "benchmark password"
TICK = 0.005


def worst_stall(action: Callable[[], object]) -> tuple[float, float]:
    """Wall seconds of ``action`` on a worker thread, and the longest main-thread gap."""
    done = threading.Event()
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            action()
        except BaseException as error:  # reported on the main thread
            outcome.append(error)
        finally:
            done.set()

    start = time.perf_counter()
    worker = threading.Thread(target=run)
    worker.start()
    last, stall = time.perf_counter(), 0.0
    while not done.is_set():
        time.sleep(TICK)
        now = time.perf_counter()
        stall = max(stall, now - last - TICK)
        last = now
    worker.join()
    if outcome:
        raise outcome[0]
    return time.perf_counter() - start, stall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=200)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--workers", type=int, default=ExchangeSettings().workers)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs")
    ca = TestCA("Benchmark Root")
    addresses = [f"user{n}@clinic.example" for n in range(args.recipients)]
    certificates = [ca.issue([address]).der for address in addresses]
    settings = ExchangeSettings(timeout=30.0, workers=args.workers)
    keyring = SecretStore(InMemoryKeyring())
    with EwsTestServer(USER, USER, PASSWORD) as server, tempfile.TemporaryDirectory() as home:
        for address, der in zip(addresses, certificates, strict=True):
            server.state.mailbox(address, smime=[der])
        config = AccountConfig(USER, server.url, AuthType.BASIC)
        sign_in(MailAccess(Path(home)), config, PASSWORD, keyring, settings)
        server.state.faults.latency = args.latency_ms / 1000
        mailboxes = [parse_mailbox(address) for address in addresses]
        connection = open_connection(MailAccess(Path(home), secrets=lambda: keyring), settings)
        walls, stalls = [], []
        with CertStore.open(Path(home) / "store.sqlite3") as store:
            store.add_trust_anchor(ca.cert, NOW)
            search = GalSearch(EwsDirectory(connection), store, settings, lambda: NOW)
            results: list[RecipientStatus] = []

            def run() -> None:
                entries = search.search(mailboxes)
                consulted = Consulted()
                for entry in entries:
                    consulted.add(entry.mailbox.key, entry.finding)
                evidence = Evidence(evidence_for(consulted, NOW, store.trust_context()))
                results[:] = [
                    decide(Draft(to=(e.mailbox,)), evidence).recipients[0] for e in entries
                ]

            for _ in range(args.runs):
                wall, stall = worst_stall(run)
                covered = sum(result.covered for result in results)
                assert covered == args.recipients, f"only {covered} covered"
                walls.append(wall)
                stalls.append(stall)
        connection.close()
    serial = args.recipients * args.latency_ms / 1000
    print(
        f"{args.recipients} recipients, {args.latency_ms:.0f} ms latency, {args.workers} workers: "
        f"median {statistics.median(walls):.2f} s, best {min(walls):.2f} s "
        f"(one at a time would take over {serial:.0f} s); "
        f"worst main-thread stall {max(stalls) * 1000:.0f} ms (median "
        f"{statistics.median(stalls) * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()
