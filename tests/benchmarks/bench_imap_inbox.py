"""IMAP inbox listing: ``PYTHONPATH=<checkout> python tests/benchmarks/bench_imap_inbox.py``.

Starts real Dovecot with 500 messages in INBOX and puts a TCP proxy in front of it that
delays every chunk by half the round-trip time in each direction (50 ms per request by
default). Then times what the main window does for its first page (through the imap
kind's mailbox port, as the window reads it): connect, STARTTLS, sign in, EXAMINE, UID
SEARCH and one UID FETCH of 50 header sets; and the page after it.
Goal: under 2 s to the first page at 50 ms.

While the listing runs on a worker thread, the main thread plays the GUI thread: it wakes
every 5 ms, and the longest gap between wake-ups is reported as the worst stall a window
would have seen.
"""

from __future__ import annotations

import argparse
import contextlib
import platform
import socket
import threading
import time
from collections.abc import Callable

from desktop_app.services.accounts.inbox_source import AccountMessageListSource
from desktop_app.services.imap.connection import open_imap
from desktop_app.services.imap.ports import ImapPortMailbox
from desktop_app.services.imap.settings import AuthMechanism, Credential, ImapAccount, MailServer
from tests.mail_servers.dovecot import running_dovecot

TICK = 0.005


class LatencyProxy:
    """127.0.0.1:<port> -> target, each chunk delayed by ``one_way`` seconds."""

    def __init__(self, target_port: int, one_way: float) -> None:
        self._target = target_port
        self._one_way = one_way
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self._target))
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                time.sleep(self._one_way)
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._listener.close()


def _with_stall_watch(work: Callable[[], object]) -> tuple[float, float]:
    """Wall time of ``work`` on a thread, and the longest gap of a 5 ms ticker meanwhile."""
    done = threading.Event()
    started = time.perf_counter()

    def run() -> None:
        try:
            work()
        finally:
            done.set()

    threading.Thread(target=run).start()
    worst, last = 0.0, time.perf_counter()
    while not done.is_set():
        time.sleep(TICK)
        now = time.perf_counter()
        worst, last = max(worst, now - last - TICK), now
    return time.perf_counter() - started, worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    arguments = parser.parse_args()
    with running_dovecot() as dovecot:
        user = dovecot.add_user()
        with dovecot.session(user) as client:
            for number in range(arguments.messages):
                message = (
                    f"From: Sender {number} <s{number}@clinic.example>\r\n"
                    f"To: {user.login}\r\nSubject: Message {number}\r\n"
                    f"Date: Mon, 07 Dec 2026 09:00:00 +0000\r\n"
                    f"Message-ID: <m{number}@clinic.example>\r\n\r\nBody {number}.\r\n"
                ).encode()
                client.append("INBOX", None, None, message)
        proxy = LatencyProxy(dovecot.imap_port, arguments.latency_ms / 2000)
        account = ImapAccount(
            user.login,
            MailServer("127.0.0.1", proxy.port),
            MailServer("127.0.0.1", 1),
            user.login,
            ca_file=dovecot.tls.ca_file,
        )
        credential = Credential(AuthMechanism.PASSWORD, user.password)
        # What the main window reads: the imap kind's port, paged by offset.
        source = AccountMessageListSource(
            lambda: ImapPortMailbox(lambda: open_imap(account, credential)), user.login
        )
        pages: list[int] = []
        first, stall = _with_stall_watch(lambda: pages.append(len(source.list_page(0).messages)))
        second, _ = _with_stall_watch(lambda: pages.append(len(source.list_page(50).messages)))
        source.close()
        proxy.close()
    print(
        f"machine: {platform.machine()} {platform.python_implementation()} "
        f"{platform.python_version()}"
    )
    print(
        f"messages in INBOX: {arguments.messages}; latency per request: {arguments.latency_ms} ms"
    )
    print(f"first page ({pages[0]} messages, sign-in included): {first * 1000:.0f} ms")
    print(f"next page ({pages[1]} messages, same connection): {second * 1000:.0f} ms")
    print(f"worst stall of a 5 ms ticker meanwhile: {stall * 1000:.1f} ms")


if __name__ == "__main__":
    main()
