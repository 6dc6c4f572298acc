"""A local HTTPS server for the bundle tests: serves one file with an ETag, answers 304."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.ews_server.tls import HOST, make_local_tls


@dataclass
class Served:
    body: bytes = b""
    statuses: list[int] = field(default_factory=list)
    conditional: list[str] = field(default_factory=list)  # If-None-Match values received


@contextmanager
def bundle_server(folder: Path) -> Iterator[tuple[str, Path, Served]]:
    """``(url, ca_file, served)``; set ``served.body`` to change what is offered."""
    tls = make_local_tls(folder)
    served = Served()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            etag = '"' + hashlib.sha256(served.body).hexdigest()[:16] + '"'
            asked = self.headers.get("If-None-Match")
            if asked:
                served.conditional.append(asked)
            if asked == etag:
                served.statuses.append(304)
                self.send_response(304)
                self.end_headers()
                return
            served.statuses.append(200)
            self.send_response(200)
            self.send_header("ETag", etag)
            self.send_header("Content-Type", "application/pkcs7-mime")
            self.send_header("Content-Length", str(len(served.body)))
            self.end_headers()
            self.wfile.write(served.body)

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer((HOST, 0), Handler)
    server.socket = tls.server_context().wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://{HOST}:{server.server_port}/bundle.p7m", tls.ca_file, served
    finally:
        server.shutdown()
        server.server_close()
