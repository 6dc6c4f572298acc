"""Sealing as users run it, against OpenSSL in the same run.

    bash .ci/secret-service.sh python tests/benchmarks/bench_seal.py [--large]

Makes a temporary home whose identity's passphrase is kept in the real OS keyring (the
Secret Service that ``.ci/secret-service.sh`` starts), a store holding 10 RSA-2048
recipients and a random attachment (25 MB; ``--large`` adds 250 MB). Then, alternating,
``--rounds`` times, each as a whole new process:

* ``openssl cms -encrypt -aes256 -outform SMIME`` of the same inner MIME message to the same
  11 certificates (the 10 recipients and the sender, whom the seal always adds);
* the installed ``smime-guard seal --no-sign`` (the venv's console script, so start-up,
  imports, the keyring, the store, the one rule, sealing and the durable writes all count);
* ``openssl cms -sign`` piped into ``openssl cms -encrypt`` (signed, detached, SHA-256);
* the installed ``smime-guard seal`` (signed).

Prints the median wall time of each, its ratio to the OpenSSL job that does the same work
(and, for the signed seal, to the encryption alone), the median CPU time (user + system)
and the peak RSS of the process (of the larger of the two for the OpenSSL pipe). Which
checkout's code runs is decided as for the user: the installed package, or ``PYTHONPATH``.
Goals (issue 12): unsigned at most 1.5x, signed at most 1.8x OpenSSL at 25 MB; at most
1.0x at 250 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))  # for tests.factories (run as a script)

from cryptography.hazmat.primitives import serialization  # noqa: E402

from desktop_app.core.identity import identity_of  # noqa: E402
from desktop_app.core.mime.compose import Attachment, InnerMessage, build_inner_mime  # noqa: E402
from desktop_app.services.certstore.store import CertStore, Source  # noqa: E402
from desktop_app.services.identity_store import remove_identity, save_identity  # noqa: E402
from desktop_app.services.paths import store_path  # noqa: E402
from desktop_app.services.secrets import SecretStoreUnavailable, system_secret_store  # noqa: E402
from tests.factories.certs import TestCA  # noqa: E402

SENDER = "me@clinic.example"
RECIPIENTS = [f"doctor{n}@clinic.example" for n in range(10)]
BODY = "Befund und Bilder anbei.\n"
MB = 1_000_000

OPENSSL_ENCRYPT = "openssl cms -encrypt"
SEAL_UNSIGNED = "smime-guard seal --no-sign"
OPENSSL_SIGNED = "openssl cms -sign | -encrypt"
SEAL_SIGNED = "smime-guard seal (signed)"
# Each seal is compared with the OpenSSL job that does the same work.
BASELINE = {SEAL_UNSIGNED: OPENSSL_ENCRYPT, SEAL_SIGNED: OPENSSL_SIGNED}


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss: int  # bytes
    cpu: float  # user + system seconds: less disturbed than wall time on a busy machine


# Starts the measured process from a small process. Peak RSS is inherited through fork and
# exec (Linux keeps the larger of the old and new address space's peak), so a process started
# straight from this one, which has held the attachment, would report this one's peak.
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


def measured(command: list[str], env: dict[str, str]) -> Run:
    """Wall time, CPU time and peak RSS of one whole process (and what it waited for)."""
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as report:
        launcher = [sys.executable, "-S", "-c", LAUNCHER, report.name, *command]
        result = subprocess.run(launcher, capture_output=True, check=False, env=env)
        seconds, peak_kib, code, cpu = report.read().split()
    if result.returncode != 0 or int(code) != 0:
        error = result.stderr.decode(errors="replace")
        raise SystemExit(f"{shlex.join(command)[:200]} ... exited {code}\n{error}")
    return Run(float(seconds), int(peak_kib) * 1024, float(cpu))  # Linux reports KiB


def installed_command() -> str:
    beside = Path(sys.executable).parent / "smime-guard"
    found = str(beside) if beside.is_file() else shutil.which("smime-guard")
    if found is None:
        raise SystemExit("smime-guard is not installed here: pip install -e . first")
    return found


@dataclass(frozen=True)
class Setup:
    folder: Path
    home: Path
    inner_mime: Path
    certificates: list[Path]  # recipients and the sender, for OpenSSL
    attachment: Path

    @property
    def out_dir(self) -> Path:
        return self.folder / "out"

    @property
    def env(self) -> dict[str, str]:
        """The children's environment: this one (the keyring session, PYTHONPATH), with the
        log in the run's folder and compiled modules cached, as an installed program has."""
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["XDG_STATE_HOME"] = str(self.folder / "state")
        return env


def prepare(folder: Path, size: int) -> Setup:
    now = dt.datetime.now(dt.UTC)
    dates = {"not_before": now - dt.timedelta(days=1), "not_after": now + dt.timedelta(days=30)}
    ca = TestCA("Benchmark Seal CA", **dates)  # type: ignore[arg-type]
    me = ca.issue([SENDER], slot=100, **dates)  # type: ignore[arg-type]
    people = [ca.issue([a], slot=101 + n, **dates) for n, a in enumerate(RECIPIENTS)]  # type: ignore[arg-type]
    home = folder / "home"
    # The real keyring: the passphrase of the stored key goes where a user's would.
    save_identity(home, identity_of(me.cert, me.key, (), source="bench"), system_secret_store())
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
    del inner
    return Setup(folder, home, folder / "inner.mime", certificates, attachment)


def seal_command(setup: Setup, command: str, *, sign: bool) -> list[str]:
    recipients = [a for address in RECIPIENTS for a in ("--to", address)]
    return [
        command,
        "--home",
        str(setup.home),
        "seal",
        "--from",
        SENDER,
        *recipients,
        "--subject",
        "Befund",
        "--body-file",
        str(setup.folder / "body.txt"),
        "--attach",
        str(setup.attachment),
        "--out-dir",
        str(setup.out_dir),
        *([] if sign else ["--no-sign"]),
    ]


def openssl_encrypt(setup: Setup) -> list[str]:
    out = str(setup.folder / "openssl.eml")
    command = ["openssl", "cms", "-encrypt", "-aes256", "-outform", "SMIME"]
    return [*command, "-in", str(setup.inner_mime), "-out", out, *map(str, setup.certificates)]


def openssl_signed(setup: Setup) -> list[str]:
    folder = setup.folder
    sign = [
        *("openssl", "cms", "-sign", "-md", "sha256", "-outform", "SMIME"),
        *("-in", str(setup.inner_mime), "-signer", str(folder / "me.pem")),
        *("-inkey", str(folder / "me.key")),
    ]
    encrypt = [
        *("openssl", "cms", "-encrypt", "-aes256", "-outform", "SMIME"),
        *("-out", str(folder / "openssl-signed.eml"), *map(str, setup.certificates)),
    ]
    return ["sh", "-c", f"set -e; {shlex.join(sign)} | {shlex.join(encrypt)}"]


def one(setup: Setup, command: list[str]) -> Run:
    shutil.rmtree(setup.out_dir, ignore_errors=True)
    return measured(command, setup.env)


def report(label: str, runs: dict[str, list[Run]], mime_size: int) -> None:
    mine = runs[label]
    median = statistics.median(r.seconds for r in mine)
    cpu = statistics.median(r.cpu for r in mine)
    peak = max(r.peak_rss for r in mine)
    ratio = ""
    if label in BASELINE:
        base = statistics.median(r.seconds for r in runs[BASELINE[label]])
        ratio = f"{median / base:5.2f}x {BASELINE[label]}"
        if label == SEAL_SIGNED:
            alone = statistics.median(r.seconds for r in runs[OPENSSL_ENCRYPT])
            ratio += f" ({median / alone:4.2f}x the encryption alone)"
    print(
        f"  {label:<28} median {median:6.3f} s (min {min(r.seconds for r in mine):.3f})"
        f"   cpu {cpu:6.3f} s   peak RSS {peak / 2**20:6.1f} MiB"
        f" = {peak / mime_size:4.2f}x the MIME   {ratio}"
    )


def benchmark(size: int, rounds: int, command: str) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-seal-") as name:
        setup = prepare(Path(name), size)
        try:
            mime_size = setup.inner_mime.stat().st_size
            print(
                f"attachment {size / MB:.0f} MB, inner MIME {mime_size / MB:.1f} MB, "
                f"{len(RECIPIENTS)} RSA-2048 recipients + the sender, {rounds} rounds"
            )
            commands = {
                OPENSSL_ENCRYPT: openssl_encrypt(setup),
                SEAL_UNSIGNED: seal_command(setup, command, sign=False),
                OPENSSL_SIGNED: openssl_signed(setup),
                SEAL_SIGNED: seal_command(setup, command, sign=True),
            }
            runs: dict[str, list[Run]] = {label: [] for label in commands}
            for command_line in commands.values():  # warm the module and page caches
                one(setup, command_line)
            sealed = sum(path.stat().st_size for path in setup.out_dir.glob("*.eml"))
            # sh has no pipefail: a failed `openssl cms -sign` would leave the encryption of
            # nothing to be timed. Each job's output must hold the whole message.
            for output in (setup.folder / "openssl.eml", setup.folder / "openssl-signed.eml"):
                if output.stat().st_size < mime_size:
                    raise SystemExit(f"{output.name} is shorter than the message: OpenSSL failed")
            if sealed < mime_size:
                raise SystemExit("smime-guard wrote less than the message")
            for _ in range(rounds):
                for label, command_line in commands.items():
                    runs[label].append(one(setup, command_line))
            for label in commands:
                report(label, runs, mime_size)
            print(f"  sealed .eml {sealed / MB:.1f} MB")
        finally:
            remove_identity(setup.home, system_secret_store())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--size-mb", type=int, default=25, help="attachment size (MB)")
    parser.add_argument("--large", action="store_true", help="also run with 250 MB")
    arguments = parser.parse_args()
    if shutil.which("openssl") is None:
        raise SystemExit("openssl is not installed (Debian package openssl)")
    try:
        backend = system_secret_store().backend_name
    except SecretStoreUnavailable as error:
        raise SystemExit(
            f"{error.message}\nRun it inside the test Secret Service: "
            "bash .ci/secret-service.sh python tests/benchmarks/bench_seal.py"
        ) from error
    command = installed_command()
    print(
        f"{command} with {backend}; {os.cpu_count()} CPUs, Python {platform.python_version()},"
        f" {platform.system()} {platform.machine()}"
    )
    benchmark(arguments.size_mb * MB, arguments.rounds, command)
    if arguments.large:
        benchmark(250 * MB, max(1, min(arguments.rounds, 3)), command)


if __name__ == "__main__":
    main()
