"""Sealing a big message, whole process, against OpenSSL: ``python tests/benchmarks/bench_seal.py``.

Makes a temporary home with an identity and a store holding 10 RSA-2048 recipients, and a
random attachment (25 MB; 250 MB with ``--large``). Then, alternating, ``--rounds`` times:

* ``seal --no-sign`` as one new Python process running the seal command's own code
  (``run_seal``: argument parsing, the identity unlocked from its encrypted key file, the
  store, the status decision, sealing and the atomic writes). The keyring cannot be shared
  with a child process, so the child is handed the passphrase in a file and serves it from
  an in-memory keyring (test-only; never done by the product);
* the same through ``seal_message`` directly, as a library caller would (no identity
  unlock, no CLI);
* ``openssl cms -encrypt -aes256 -outform SMIME`` of the same inner MIME message (built
  once with ``build_inner_mime``) to the same 11 certificates (10 recipients and the
  sender, whom the seal always adds).

The signed seal runs in the same rotation. Prints the median wall time of each, the ratio
to OpenSSL, the median CPU time (user + system; steadier than wall time when the machine
is busy) and each process's peak RSS, also relative to the inner MIME message. The seal
command streams the attachment from its file (read twice when signing: once for the
digest, once to encrypt); ``seal_message`` here is given it in memory. The
children may cache compiled modules (in the temporary folder), as an installed program
does, even where PYTHONDONTWRITEBYTECODE is set. ``--profile`` runs the seal once in
this process under cProfile, then under tracemalloc, and prints where time and memory go.
Goals (issue 3): under 0.5 s and within 2x OpenSSL at 25 MB, within 1.3x at 250 MB, peak
memory under 3x the MIME message.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import tracemalloc
import types
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))  # for tests.factories and tests.services (run as a script)

from cryptography.hazmat.primitives import serialization  # noqa: E402

from desktop_app.core.identity import identity_of  # noqa: E402
from desktop_app.core.mime.compose import Attachment, InnerMessage, build_inner_mime  # noqa: E402
from desktop_app.core.pki.certstore import CertStore, Source  # noqa: E402
from desktop_app.services.identity_store import save_identity  # noqa: E402
from desktop_app.services.paths import store_path  # noqa: E402
from desktop_app.services.secrets import SecretStore  # noqa: E402
from tests.factories.certs import TestCA  # noqa: E402
from tests.services.keyrings import InMemoryKeyring  # noqa: E402

SENDER = "me@clinic.example"
RECIPIENTS = [f"doctor{n}@clinic.example" for n in range(10)]
BODY = "Befund und Bilder anbei.\n"
MB = 1_000_000

# Runs in the child process. argv: mode (cli | direct), config file, "sign" | "no-sign".
DRIVER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path

    mode, config_file, signing = sys.argv[1:4]
    config = json.loads(Path(config_file).read_text())
    sys.path.insert(0, config["repo"])
    home, out_dir = Path(config["home"]), Path(config["out_dir"])

    if mode == "cli":
        from desktop_app.cli.parser import build_parser
        from desktop_app.cli.seal_command import run_seal
        from desktop_app.services.secrets import SecretStore
        from tests.services.keyrings import InMemoryKeyring

        keyring = InMemoryKeyring()
        keyring.entries = {(s, u): p for s, u, p in config["keyring"]}
        recipients = [a for address in config["to"] for a in ("--to", address)]
        arguments = build_parser().parse_args(
            ["seal", "--from", config["sender"], *recipients, "--subject", "Befund",
             "--body-file", config["body"], "--attach", config["attachment"],
             "--out-dir", str(out_dir), *(["--no-sign"] if signing == "no-sign" else [])]
        )
        code = run_seal(arguments, home, open_secrets=lambda: SecretStore(keyring))
        sys.exit(code)

    import datetime as dt
    from cryptography.hazmat.primitives import serialization
    from cryptography import x509
    from desktop_app.core.identity import identity_of
    from desktop_app.core.mime.compose import Attachment, InnerMessage
    from desktop_app.core.pki.certstore import CertStore
    from desktop_app.core.recipients.addresses import parse_address_list, parse_mailbox
    from desktop_app.core.recipients.evidence import CertificateJudge
    from desktop_app.core.recipients.status import Draft
    from desktop_app.core.smime.seal import OutgoingMessage, seal_message
    from desktop_app.services.paths import store_path

    now = dt.datetime.now(dt.UTC)
    cert = x509.load_pem_x509_certificate(Path(config["cert"]).read_bytes())
    key = serialization.load_pem_private_key(Path(config["key"]).read_bytes(), None)
    identity = identity_of(cert, key, (), source="bench")
    attachment = Path(config["attachment"])
    body = InnerMessage(
        Path(config["body"]).read_text(),
        attachments=(Attachment(attachment.name, attachment.read_bytes()),),
    )
    draft = Draft(to=parse_address_list(", ".join(config["to"])), cc=(), bcc=(),
                  sender=parse_mailbox(config["sender"]))
    with CertStore.open(store_path(home)) as store:
        keys = [m.key for m in (*draft.to, draft.sender)]
        evidence = CertificateJudge(store, now).collect(keys)
        result = seal_message(
            OutgoingMessage(draft, "Befund", body), evidence=evidence, identity=identity,
            certificate_for=store.certificate, at=now, sign=signing == "sign",
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    for number, envelope in enumerate(result.envelopes, 1):
        (out_dir / f"{number:02d}.eml").write_bytes(envelope.eml)
    """
)


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss: int  # bytes
    cpu: float  # user + system seconds: less disturbed than wall time on a busy machine


@dataclass(frozen=True)
class Setup:
    folder: Path
    config: Path
    inner_mime: Path
    certificates: list[Path]  # recipients and the sender, for OpenSSL
    out_dir: Path

    @property
    def env(self) -> dict[str, str]:
        """The children's environment: compiled modules cached (in this run's folder), as
        in an installed program, even where PYTHONDONTWRITEBYTECODE is set."""
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(self.folder / "pycache")
        return env


# Starts the measured process from a small process. Peak RSS is inherited through fork and
# exec (Linux keeps the larger of the old and new address space's peak), so a process started
# straight from this one, which holds the attachment, would report this one's peak instead.
LAUNCHER = textwrap.dedent(
    """
    import os, sys, time
    report, command = sys.argv[1], sys.argv[2:]
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    cpu = usage.ru_utime + usage.ru_stime
    with open(report, "w") as out:
        out.write(f"{seconds} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)} {cpu}")
    """
)


def measured(command: list[str], env: dict[str, str] | None = None) -> Run:
    """Wall time and peak RSS of one whole process, from its fork to its exit."""
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as report:
        launcher = [sys.executable, "-S", "-c", LAUNCHER, report.name, *command]
        result = subprocess.run(launcher, capture_output=True, check=False, env=env)
        seconds, peak_kib, code, cpu = report.read().split()
    if result.returncode != 0 or int(code) != 0:
        error = result.stderr.decode(errors="replace")
        raise SystemExit(f"{' '.join(command[:4])} ... exited {code}\n{error}")
    return Run(float(seconds), int(peak_kib) * 1024, float(cpu))  # Linux reports KiB


def prepare(folder: Path, size: int) -> Setup:
    now = dt.datetime.now(dt.UTC)
    dates = {"not_before": now - dt.timedelta(days=1), "not_after": now + dt.timedelta(days=30)}
    ca = TestCA("Benchmark Seal CA", **dates)  # type: ignore[arg-type]
    me = ca.issue([SENDER], slot=100, **dates)  # type: ignore[arg-type]
    people = [ca.issue([a], slot=101 + n, **dates) for n, a in enumerate(RECIPIENTS)]  # type: ignore[arg-type]
    home = folder / "home"
    keyring = InMemoryKeyring()
    save_identity(home, identity_of(me.cert, me.key, (), source="bench"), SecretStore(keyring))
    certificates = []
    with CertStore.open(store_path(home)) as store:
        store.add_trust_anchor(ca.cert, now)
        for number, person in enumerate([*people, me]):
            store.add_certificate(person.cert, Source.IMPORTED, now)
            path = folder / f"recipient{number}.pem"
            path.write_bytes(person.pem)
            certificates.append(path)
    (folder / "me.pem").write_bytes(me.pem)
    (folder / "me.key").write_bytes(
        me.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    attachment = folder / "scan.bin"
    with attachment.open("wb") as out:
        for offset in range(0, size, 16 * 2**20):
            out.write(os.urandom(min(16 * 2**20, size - offset)))
    (folder / "body.txt").write_text(BODY)
    inner = build_inner_mime(
        InnerMessage(BODY, attachments=(Attachment("scan.bin", attachment.read_bytes()),))
    )
    (folder / "inner.mime").write_bytes(inner)
    (folder / "driver.py").write_text(DRIVER)
    out_dir = folder / "out"
    config = {
        "repo": str(REPO),
        "home": str(home),
        "out_dir": str(out_dir),
        "keyring": [[s, u, p] for (s, u), p in keyring.entries.items()],
        "sender": SENDER,
        "to": RECIPIENTS,
        "body": str(folder / "body.txt"),
        "attachment": str(attachment),
        "cert": str(folder / "me.pem"),
        "key": str(folder / "me.key"),
    }
    (folder / "config.json").write_text(json.dumps(config))
    return Setup(folder, folder / "config.json", folder / "inner.mime", certificates, out_dir)


def seal_command(setup: Setup, mode: str, *, sign: bool) -> list[str]:
    signing = "sign" if sign else "no-sign"
    driver = str(setup.folder / "driver.py")
    return [sys.executable, driver, mode, str(setup.config), signing]


def openssl_command(setup: Setup) -> list[str]:
    out = str(setup.folder / "openssl.eml")
    command = ["openssl", "cms", "-encrypt", "-aes256", "-outform", "SMIME"]
    return [*command, "-in", str(setup.inner_mime), "-out", out, *map(str, setup.certificates)]


def one(setup: Setup, command: list[str]) -> Run:
    shutil.rmtree(setup.out_dir, ignore_errors=True)
    return measured(command, setup.env)


def report(label: str, runs: list[Run], mime_size: int, baseline: float | None) -> None:
    median = statistics.median(r.seconds for r in runs)
    cpu = statistics.median(r.cpu for r in runs)
    peak = max(r.peak_rss for r in runs)
    ratio = f"  {median / baseline:4.2f}x OpenSSL" if baseline else " " * 15
    print(
        f"  {label:<34} median {median:6.3f} s (min {min(r.seconds for r in runs):.3f})"
        f"{ratio}   cpu {cpu:6.3f} s   peak RSS {peak / 2**20:6.1f} MiB"
        f" = {peak / mime_size:4.2f}x the MIME"
    )


def benchmark(size: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-seal-") as name:
        setup = prepare(Path(name), size)
        mime_size = setup.inner_mime.stat().st_size
        print(
            f"attachment {size / MB:.0f} MB, inner MIME {mime_size / MB:.1f} MB, "
            f"{len(RECIPIENTS)} RSA-2048 recipients + the sender, {rounds} rounds"
        )
        commands = {
            "openssl cms -encrypt -aes256": openssl_command(setup),
            "seal --no-sign (run_seal)": seal_command(setup, "cli", sign=False),
            "seal_message, unsigned": seal_command(setup, "direct", sign=False),
            "seal, signed (run_seal)": seal_command(setup, "cli", sign=True),
        }
        runs: dict[str, list[Run]] = {label: [] for label in commands}
        for command in commands.values():  # warm the module cache and the page cache
            one(setup, command)
        sealed_size = sum(path.stat().st_size for path in setup.out_dir.glob("*.eml"))
        for _ in range(rounds):
            for label, command in commands.items():
                runs[label].append(one(setup, command))
        runs["python -c pass (start-up)"] = [
            one(setup, [sys.executable, "-c", "pass"]) for _ in range(rounds)
        ]
        runs["true (the measuring floor)"] = [one(setup, ["true"]) for _ in range(rounds)]
        baseline = statistics.median(r.seconds for r in runs["openssl cms -encrypt -aes256"])
        for label, measured_runs in runs.items():
            report(label, measured_runs, mime_size, baseline if "seal" in label else None)
        print(f"  sealed .eml {sealed_size / MB:.1f} MB")


def profile(size: int, top: int) -> None:
    """One unsigned seal in this process under cProfile, then under tracemalloc."""
    with tempfile.TemporaryDirectory(prefix="bench-seal-") as name:
        setup = prepare(Path(name), size)
        command = seal_command(setup, "cli", sign=False)
        sys.argv = [command[1], *command[2:]]
        code = compile(DRIVER, "driver.py", "exec")
        profiler = cProfile.Profile()
        with contextlib.suppress(SystemExit):
            namespace = {"__name__": "__main__"}
            profiler.runctx(code, namespace, namespace)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(top)
        shutil.rmtree(setup.out_dir, ignore_errors=True)
        peak = _traced_peak(code)
        mime_size = setup.inner_mime.stat().st_size
        print(f"tracemalloc peak {peak.highest / 2**20:.1f} MiB = {peak.highest / mime_size:.2f}x")
        if peak.snapshot is None:
            print("the traced total never grew by 4 MiB: no large block was alive at once")
            return
        print("live blocks of 1 MiB or more at the peak, by where they were allocated:")
        for stat in peak.snapshot.statistics("traceback"):
            if stat.size < 2**20:
                break
            print(f"  {stat.size / 2**20:7.1f} MiB")
            for frame in stat.traceback.format(limit=4, most_recent_first=True):
                print(f"      {frame.strip()}")


@dataclass
class _Peak:
    current: int = 0  # the traced total at the last snapshot
    snapshot: tracemalloc.Snapshot | None = None
    highest: int = 0  # tracemalloc's own peak of the traced total


def _traced_peak(code: types.CodeType) -> _Peak:
    """Run ``code`` under tracemalloc; snapshot the live blocks whenever a new high is seen.

    tracemalloc keeps only the peak's size, not what was alive then; a watcher thread takes a
    snapshot each time the traced total has grown by 4 MiB since the last one (none when it
    never does: a streamed seal).
    """
    peak = _Peak()
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.002):
            current, _ = tracemalloc.get_traced_memory()
            if current > peak.current + 4 * 2**20:
                peak.snapshot, peak.current = tracemalloc.take_snapshot(), current

    tracemalloc.start(8)
    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with contextlib.suppress(SystemExit):
            namespace = {"__name__": "__main__"}
            exec(code, namespace, namespace)
    finally:
        done.set()
        watcher.join()
        _, peak.highest = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--size-mb", type=int, default=25, help="attachment size (MB)")
    parser.add_argument("--large", action="store_true", help="also run with 250 MB")
    parser.add_argument("--profile", action="store_true", help="profile one unsigned seal")
    arguments = parser.parse_args()
    if shutil.which("openssl") is None:
        raise SystemExit("openssl is not installed (Debian package openssl)")
    if arguments.profile:
        profile(arguments.size_mb * MB, top=25)
        return
    benchmark(arguments.size_mb * MB, arguments.rounds)
    if arguments.large:
        benchmark(250 * MB, max(1, min(arguments.rounds, 3)))


if __name__ == "__main__":
    main()
