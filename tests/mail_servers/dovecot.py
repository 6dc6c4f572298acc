"""A real Dovecot IMAP server for tests: unprivileged, on free ports of 127.0.0.1, thrown away.

Debian's ``dovecot-imapd`` runs from a config written into a temporary folder (its sockets,
state, log, Maildirs, TLS certificate and passwd-file user database all live there), with
``dovecot -F`` so the test owns the master process. As root (CI containers) it runs as
``nobody``; otherwise as the current user. The passwd-file holds a pool of users
written before it starts; each test takes one, so it gets an empty mailbox of its own.

Listeners: ``imap_port`` speaks plaintext IMAP with STARTTLS on offer, ``imaps_port`` implicit
TLS. XOAUTH2 is offered too: Dovecot checks the bearer token against the passwd-file like a
password, so a user's "token" is simply a second passdb entry.
"""

from __future__ import annotations

import contextlib
import imaplib
import os
import pwd
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.ews_server.tls import HOST, LocalTls, make_local_tls
from tests.mail_servers.token_introspection import OAUTH2_CONFIG, Introspection

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
START_TIMEOUT_SECONDS = 15.0
USERS = 100  # mailboxes one server can hand out


class DovecotUnavailableError(RuntimeError):
    """Dovecot is not installed or did not start (its log is in the message)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class MailUser:
    """A mailbox on the test server: its login, password and XOAUTH2 bearer token."""

    login: str
    password: str
    token: str


_CONFIG = """\
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
protocols = imap
listen = {host}
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = 1
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
ssl_min_protocol = TLSv1.2
# Plaintext logins only to 127.0.0.1 and only because the client refuses them elsewhere.
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
mail_location = maildir:{folder}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {folder}/passwd
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {folder}/tokens
}}
# Bearer tokens of an OAuth authority, checked by introspection (RFC 7662) over HTTP on
# 127.0.0.1 against the test's own view of which tokens are valid.
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {folder}/oauth2.conf.ext
}}
userdb {{
  driver = passwd-file
  args = {folder}/passwd
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
  mailbox Drafts {{
    special_use = \\Drafts
    auto = subscribe
  }}
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = {host}
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = {host}
    port = {imaps_port}
    ssl = yes
  }}
}}
# No brute-force delays: a test that tries a wrong password must not slow the next ones.
auth_failure_delay = 0
service anvil {{
  chroot =
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


@dataclass
class DovecotServer:
    """One Dovecot master process and its folder; ``stop``/``start`` keep the ports."""

    folder: Path
    tls: LocalTls
    imap_port: int = field(default_factory=free_port)
    imaps_port: int = field(default_factory=free_port)
    host: str = HOST
    _process: subprocess.Popen[bytes] | None = None
    _account: tuple[int, int] = (0, 0)
    _users: list[MailUser] = field(default_factory=list)
    _introspection: Introspection = field(default_factory=lambda: Introspection())
    _handed_out: int = 0

    @property
    def log_path(self) -> Path:
        return self.folder / "dovecot.log"

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"

    def _write_config(self) -> None:
        uid, gid = self._account
        config = _CONFIG.format(
            folder=self.folder,
            host=self.host,
            user=pwd.getpwuid(uid).pw_name,
            group=_group_name(gid),
            cert=self.tls.cert_file,
            key=self.tls.key_file,
            imap_port=self.imap_port,
            imaps_port=self.imaps_port,
        )
        (self.folder / "dovecot.conf").write_text(config)
        (self.folder / "oauth2.conf.ext").write_text(
            OAUTH2_CONFIG.format(port=self._introspection.port)
        )
        self._write_users()
        for name in ("run", "state", "mail"):
            (self.folder / name).mkdir(exist_ok=True)
        self._give_away()

    def _give_away(self) -> None:
        """As root: hand the folder to the unprivileged account Dovecot runs as."""
        if os.geteuid() != 0:
            return
        uid, gid = self._account
        for root, folders, files in os.walk(self.folder):
            os.chown(root, uid, gid)
            for name in (*folders, *files):
                os.chown(os.path.join(root, name), uid, gid)

    def start(self) -> None:
        if not os.path.exists(DOVECOT):
            raise DovecotUnavailableError(
                "dovecot is not installed (apt-get install dovecot-imapd)"
            )
        self._account = _run_as()
        self._write_config()
        uid, gid = self._account
        root = os.geteuid() == 0
        self._process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.folder / "dovecot.conf")],
            cwd=self.folder,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            user=uid if root else None,
            group=gid if root else None,
            extra_groups=[] if root else None,
            # Its own process group, so stopping it ends its login and imap children too.
            start_new_session=True,
        )
        self._wait_until_listening()

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                output = (
                    self._process.stdout.read().decode(errors="replace")
                    if self._process.stdout
                    else ""
                )
                self._process = None
                raise DovecotUnavailableError(f"dovecot exited: {output}\n{self.log_text()}")
            if all(_answers(self.host, port) for port in (self.imap_port, self.imaps_port)):
                return
            time.sleep(0.05)
        self.stop()
        raise DovecotUnavailableError(f"dovecot did not listen in time:\n{self.log_text()}")

    def stop(self) -> None:
        """End the master process and its children (its process group), then wait until
        the ports are free."""
        process, self._process = self._process, None
        if process is None:
            return
        # A master still starting up may not act on SIGTERM yet: then SIGKILL after a second
        # (a throwaway server has nothing to save).
        for sig, patience in ((signal.SIGTERM, 1.0), (signal.SIGKILL, 10.0)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            try:
                process.wait(timeout=patience)
                break
            except subprocess.TimeoutExpired:
                continue
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # children the master left behind
        if process.stdout is not None:
            process.stdout.close()
        deadline = time.monotonic() + 10
        while _answers(self.host, self.imap_port) and time.monotonic() < deadline:
            time.sleep(0.05)

    def accept_bearer(self, check: Callable[[str], str | None]) -> None:
        """Which OAuth access tokens Dovecot accepts: ``check`` names the user a token
        belongs to, or None for a token that is not valid."""
        self._introspection.check = check

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def _write_users(self) -> None:
        """Every user the tests may ask for, written before Dovecot starts: it rereads a
        changed passwd-file at most once a second, so a user added while it runs may stay
        unknown to the next login."""
        if not self._users:
            self._users = [
                MailUser(
                    f"user{number:03d}-{secrets.token_hex(3)}@example.test",
                    f"pw-{secrets.token_hex(8)}",
                    f"tok-{secrets.token_hex(12)}",
                )
                for number in range(USERS)
            ]
        uid, gid = self._account
        for name in ("passwd", "tokens"):
            lines = []
            for user in self._users:
                secret = user.password if name == "passwd" else user.token
                home = self.folder / "mail" / user.login
                lines.append(f"{user.login}:{{PLAIN}}{secret}:{uid}:{gid}::{home}::\n")
            (self.folder / name).write_text("".join(lines), encoding="utf-8")

    def add_user(self) -> MailUser:
        """A user not handed out before: an empty mailbox (INBOX, Sent and Drafts)."""
        user = self._users[self._handed_out]
        self._handed_out += 1
        return user

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.tls.ca_file))

    @contextlib.contextmanager
    def session(self, user: MailUser) -> Iterator[imaplib.IMAP4]:
        """A logged-in test-side IMAP session (to plant and inspect messages)."""
        client = imaplib.IMAP4(self.host, self.imap_port, timeout=10)
        try:
            client.login(user.login, user.password)
            yield client
        finally:
            with contextlib.suppress(OSError, imaplib.IMAP4.error):
                client.logout()

    def deliver(self, user: MailUser, raw: bytes, folder: str = "INBOX") -> None:
        """Put ``raw`` into ``folder`` as if it had been delivered."""
        with self.session(user) as client:
            status, _ = client.append(folder, None, None, raw)
            assert status == "OK", status

    def messages(self, user: MailUser, folder: str) -> list[tuple[bytes, bytes]]:
        """(flags, raw message) of every message in ``folder``, oldest first."""
        found = []
        with self.session(user) as client:
            client.select(folder, readonly=True)
            _, data = client.uid("SEARCH", "ALL")
            for uid in data[0].split():
                _, parts = client.uid("FETCH", uid, "(FLAGS BODY.PEEK[])")
                item = parts[0]
                assert isinstance(item, tuple)
                found.append((item[0], item[1]))
        return found


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _run_as() -> tuple[int, int]:
    if os.geteuid() != 0:
        return os.geteuid(), os.getegid()
    nobody = pwd.getpwnam("nobody")
    return nobody.pw_uid, nobody.pw_gid


def _group_name(gid: int) -> str:
    import grp

    return grp.getgrgid(gid).gr_name


@contextlib.contextmanager
def running_dovecot(tls: LocalTls | None = None) -> Iterator[DovecotServer]:
    """A started server in a fresh folder; stopped and removed afterwards.

    ``tls``: the certificate to serve (copied in, so the unprivileged account can read
    it), to share a test CA with other servers; by default one of its own.
    The folder is made with ``tempfile`` rather than pytest's ``tmp_path`` because the
    unprivileged account must be able to reach it (pytest's base folder is private).
    """
    folder = Path(tempfile.mkdtemp(prefix="smime-guard-dovecot-"))
    os.chmod(folder, 0o755)
    if tls is None:
        tls = make_local_tls(folder / "tls")
    else:
        (folder / "tls").mkdir()
        files = (tls.ca_file, tls.cert_file, tls.key_file)
        for source in files:
            shutil.copyfile(source, folder / "tls" / source.name)
        tls = LocalTls(*(folder / "tls" / source.name for source in files))
    server = DovecotServer(folder, tls)
    try:
        server.start()
        yield server
    except BaseException:
        print(f"--- dovecot log ---\n{server.log_text()}")  # shown by pytest on failure
        raise
    finally:
        server.stop()
        server._introspection.close()
        shutil.rmtree(folder, ignore_errors=True)
