"""A real OpenLDAP ``slapd`` as an unprivileged process on a free port, for the tests.

The configuration is a throwaway ``slapd.conf`` (core, cosine, inetOrgPerson and a small
test schema with AD's ``proxyAddresses`` and ``group``); the data is loaded with
``slapadd`` before start. slapd logs every operation (``-d stats``) to a file, so a
test counts the searches the server really answered.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

SLAPD = Path("/usr/sbin/slapd")
SLAPADD = Path("/usr/sbin/slapadd")
SCHEMA = Path("/etc/ldap/schema")
HERE = Path(__file__).parent
SUFFIX = "dc=example,dc=org"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "root-secret"
READER_DN = f"cn=reader,{SUFFIX}"
READER_PASSWORD = "reader-secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def slapd_available() -> bool:
    return SLAPD.is_file() and SLAPADD.is_file()


def _config(folder: Path, size_limit: int, tls: tuple[Path, Path, Path] | None) -> str:
    lines = [
        f"include {SCHEMA / 'core.schema'}",
        f"include {SCHEMA / 'cosine.schema'}",
        f"include {SCHEMA / 'inetorgperson.schema'}",
        f"include {HERE / 'adtest.schema'}",
        f"pidfile {folder / 'slapd.pid'}",
        f"argsfile {folder / 'slapd.args'}",
        "modulepath /usr/lib/ldap",
        "moduleload back_mdb",
        f"sizelimit {size_limit}",
    ]
    if tls is not None:
        ca, cert, key = tls
        lines += [
            f"TLSCACertificateFile {ca}",
            f"TLSCertificateFile {cert}",
            f"TLSCertificateKeyFile {key}",
        ]
    lines += [
        "database mdb",
        f'suffix "{SUFFIX}"',
        f'rootdn "{ROOT_DN}"',
        f"rootpw {ROOT_PASSWORD}",
        f"directory {folder / 'db'}",
        "maxsize 104857600",
        "index objectClass eq",
        "index mail eq",
        "index proxyAddresses eq",
        "access to attrs=userPassword by anonymous auth by * none",
        "access to * by * read",
    ]
    return "\n".join(lines) + "\n"


@dataclass
class Slapd:
    """One running slapd; ``url`` is ldap://127.0.0.1:<port>."""

    folder: Path
    port: int
    process: subprocess.Popen[bytes] | None = None
    paused: bool = False
    tls_port: int | None = None
    log_file: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log_file = self.folder / "slapd.log"

    @property
    def url(self) -> str:
        return f"ldap://127.0.0.1:{self.port}"

    def searches(self) -> int:
        """Search operations slapd has logged so far (one per page of a paged search)."""
        return sum(1 for line in self.log_lines() if " SRCH base=" in line)

    def log_lines(self) -> list[str]:
        return self.log_file.read_text(errors="replace").splitlines()

    def pause(self) -> None:
        """Stop answering (the kernel still accepts connections): a hung server."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGSTOP)
        self.paused = True
        # The signal is asynchronous: wait until every thread is really stopped ("T").
        tasks = Path(f"/proc/{self.process.pid}/task")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            states = []
            for task in tasks.iterdir():
                try:
                    states.append((task / "stat").read_text().rsplit(")", 1)[1].split()[0])
                except (OSError, IndexError):
                    continue
            if states and all(state in ("T", "t") for state in states):
                return
            time.sleep(0.01)
        raise RuntimeError("slapd did not stop")

    def resume(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGCONT)
        self.paused = False

    def stop(self) -> None:
        if self.process is None:
            return
        if self.paused:
            self.resume()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


def start_slapd(
    folder: Path,
    ldif: str,
    *,
    size_limit: int = 5000,
    tls: tuple[Path, Path, Path] | None = None,
) -> Slapd:
    """Load ``ldif`` into a new database in ``folder`` and start slapd on a free port."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "db").mkdir(exist_ok=True)
    conf = folder / "slapd.conf"
    conf.write_text(_config(folder, size_limit, tls))
    seed = folder / "seed.ldif"
    seed.write_text(ldif)
    subprocess.run(
        [str(SLAPADD), "-f", str(conf), "-l", str(seed)],
        check=True,
        capture_output=True,
    )
    port = free_port()
    server = Slapd(folder, port)
    urls = f"ldap://127.0.0.1:{port}/"
    if tls is not None:
        server.tls_port = free_port()
        urls += f" ldaps://127.0.0.1:{server.tls_port}/"
    log = server.log_file.open("wb")
    server.process = subprocess.Popen(
        [str(SLAPD), "-f", str(conf), "-h", urls, "-d", "stats"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError("slapd stopped: " + server.log_file.read_text(errors="replace"))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.05)
    server.stop()
    raise RuntimeError("slapd did not start listening")
