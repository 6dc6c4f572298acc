"""A real HTTP server on 127.0.0.1 that serves CRLs and answers OCSP, with faults.

Start it with ``RevocationServer()`` as a context manager; ``url(path)`` gives the
address to put in certificates. Each path is a ``Route``: a CRL (bytes) for GET, or an
OCSP responder (a function from the parsed request to DER bytes) for POST, and a fault.
``hits`` counts requests per path, so tests count fetches instead of timing them.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection

from cryptography import x509
from cryptography.x509 import ocsp


class Fault(Enum):
    NONE = "none"
    TIMEOUT = "timeout"  # answers only after ``stall`` seconds
    NOT_FOUND = "404"
    OVERSIZED = "oversized"  # sends ``size`` bytes of zeros, with no Content-Length
    GARBAGE = "garbage"


OcspResponder = Callable[[ocsp.OCSPRequest, bytes | None], bytes]


@dataclass
class Route:
    """What one path answers. ``crl``: DER served on GET; ``ocsp``: answers POSTs from the
    request and its nonce; ``delay``: seconds before any answer (slow but working);
    ``hold``: the answer waits until this event is set (at most 20 s)."""

    crl: bytes | None = None
    ocsp: OcspResponder | None = None
    fault: Fault = Fault.NONE
    delay: float = 0.0
    stall: float = 3.0
    size: int = 200_000
    hold: threading.Event | None = None


class RevocationServer:
    """Serves ``routes`` on a free port of 127.0.0.1 from a thread."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                del format, args  # quiet

            def do_GET(self) -> None:
                server._answer(self, None)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                server._answer(self, self.rfile.read(length))

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._http.daemon_threads = True
        self._thread = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._http.server_address[1]}/{path.lstrip('/')}"

    def __enter__(self) -> RevocationServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.shutdown()
        self._http.server_close()

    def _answer(self, handler: BaseHTTPRequestHandler, body: bytes | None) -> None:
        path = handler.path.lstrip("/")
        with self._lock:
            self.hits[path] += 1
        route = self.routes.get(path)
        if route is None or route.fault is Fault.NOT_FOUND:
            return self._send(handler, 404, b"not here")
        if route.delay:
            time.sleep(route.delay)
        if route.hold is not None:
            route.hold.wait(20)
        if route.fault is Fault.TIMEOUT:
            time.sleep(route.stall)
            return self._send(handler, 200, route.crl or b"")
        if route.fault is Fault.GARBAGE:
            return self._send(handler, 200, b"\x30\x82\xff\xff garbage, not DER")
        if route.fault is Fault.OVERSIZED:
            handler.send_response(200)
            handler.send_header("Connection", "close")
            handler.end_headers()
            try:
                for _ in range(route.size // 1000):
                    handler.wfile.write(b"\0" * 1000)
            except OSError:
                pass  # the client hung up, as it should
            return None
        if body is not None and route.ocsp is not None:
            request = ocsp.load_der_ocsp_request(body)
            try:
                nonce = request.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce
            except x509.ExtensionNotFound:
                nonce = None
            return self._send(handler, 200, route.ocsp(request, nonce))
        return self._send(handler, 200, route.crl or b"")

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, data: bytes) -> None:
        try:
            handler.send_response(status)
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except OSError:
            pass  # the client gave up (a timeout test)


def serve_in_child(routes: dict[str, Route], connection: Connection) -> None:
    """Serve ``routes`` in this (child) process: sends the base URL, waits for any message,
    then sends the number of requests seen. For benchmarks, so that the server's threads
    do not compete with the measured process for its interpreter lock."""
    with RevocationServer() as server:
        server.routes.update(routes)
        connection.send(server.url(""))
        connection.recv()
        connection.send(sum(server.hits.values()))
