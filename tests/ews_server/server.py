"""A real HTTP server on 127.0.0.1 that speaks enough EWS for the real exchangelib stack."""

from __future__ import annotations

import base64
import binascii
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from tests.ews_server import responses as r
from tests.ews_server.model import Fault, ServerState
from tests.ews_server.operations import OPERATIONS
from tests.ews_server.tls import LocalTls
from tests.ews_server.token_server import TokenState

SOAP_BODY = "{" + r.SOAP_NS + "}Body"
EWS_PATH = "/EWS/Exchange.asmx"
HOST = "127.0.0.1"
TIMEOUT_FAULT_DELAY = 5.0  # seconds a "timeout" fault keeps the client waiting


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps connections open between requests, as IIS does; exchangelib keeps
    # one session (one connection) per worker.
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle's algorithm on, the body would
    # wait for the client's delayed ACK (about 40 ms) on every request.
    disable_nagle_algorithm = True
    server: _EwsHttpServer
    _ntlm_context: Any = None  # per connection: the handler lives as long as it
    _ntlm_done = False

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output quiet

    def _send(
        self, status: int, body: bytes, content_type: str = "text/xml; charset=utf-8"
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _authorised(self) -> bool:
        """True if the request may proceed; otherwise the 401 answer has been sent."""
        scheme, _, value = self.headers.get("Authorization", "").partition(" ")
        if self.server.tokens is not None:
            return self._bearer(scheme, value)
        expected = self.server.credentials
        if expected is None or self._ntlm_done:
            return True
        if self.server.auth == "ntlm":
            return self._ntlm(scheme, value)
        if scheme.lower() == "basic":
            try:
                user, _, password = base64.b64decode(value, validate=True).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                user, password = "", ""
            if (user, password) == expected:
                return True
        self._refuse('Basic realm="127.0.0.1"')
        return False

    def _bearer(self, scheme: str, value: str) -> bool:
        """OAuth 2.0 as Exchange Online does it: a token the authority issued and still honours."""
        assert self.server.tokens is not None
        with self.server.tokens.lock:
            valid = scheme.lower() == "bearer" and value in self.server.tokens.valid_access
        if not valid:
            self._refuse('Bearer client_id="00000002-0000-0ff1-ce00-000000000000"')
        return valid

    def _ntlm(self, scheme: str, value: str) -> bool:
        """One step of NTLM's three-message handshake, which binds to the connection."""
        import spnego
        import spnego.exceptions

        if scheme.upper() != "NTLM" or not value:
            self._refuse("NTLM")
            return False
        token = base64.b64decode(value)
        if self._ntlm_context is None or token[8:9] == b"\x01":  # a NEGOTIATE message
            self._ntlm_context = spnego.server(protocol="ntlm")
        try:
            answer = self._ntlm_context.step(token)
        except spnego.exceptions.SpnegoError:
            self._ntlm_context = None
            self._refuse("NTLM")
            return False
        if self._ntlm_context.complete:
            self._ntlm_done = True
            return True
        self._refuse("NTLM " + base64.b64encode(answer or b"").decode("ascii"))
        return False

    def _refuse(self, challenge: str) -> None:
        self.server.state.record("401", b"")
        self.send_response(401)
        self.send_header("WWW-Authenticate", challenge)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if self.path.split("?")[0].lower() != EWS_PATH.lower():
            self._send(404, b"Not Found", "text/plain")
            return
        if not self._authorised():
            return
        try:
            root = ElementTree.fromstring(body)
            request = next(iter(root.find(SOAP_BODY) or []))
        except (ElementTree.ParseError, StopIteration):
            self._send(400, b"Bad Request", "text/plain")
            return
        operation = request.tag.rpartition("}")[2]
        state = self.server.state
        state.record(operation, body)
        if state.faults.latency:
            time.sleep(state.faults.latency)
        fault = state.faults.take(operation)
        if fault is not None and self._inject(fault):
            return
        handler = OPERATIONS.get(operation)
        if handler is None:
            self._send(500, r.soap_fault("ErrorInvalidRequest", f"{operation} is not supported."))
            return
        status, reply = handler(state, request)
        self._send(status, reply)

    def _inject(self, fault: Fault) -> bool:
        """Answer with ``fault``; False if it only delays and the request goes on."""
        if fault.kind == "timeout":
            self.server.stopping.wait(fault.delay or TIMEOUT_FAULT_DELAY)
            self.close_connection = True
            return True
        if fault.kind == "delay":
            self.server.stopping.wait(fault.delay)
            return False
        if fault.kind == "server_busy":
            self._send(500, r.server_busy(fault.back_off_ms))
        elif fault.kind == "http500":
            page = b"<html><body><h1>500 - Internal server error.</h1></body></html>"
            self._send(500, page, "text/html")
        elif fault.kind == "http503":
            self._send(503, b"<html><body>Service Unavailable</body></html>", "text/html")
        elif fault.kind == "malformed":
            self._send(200, r.envelope("<m:ResolveNamesResponse><m:ResponseMessa")[:-40])
        else:
            raise ValueError(f"unknown fault {fault.kind!r}")
        return True


class _EwsHttpServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(
        self,
        state: ServerState,
        credentials: tuple[str, str] | None,
        auth: str,
        tls: LocalTls | None,
        tokens: TokenState | None,
    ) -> None:
        super().__init__((HOST, 0), _Handler)
        if tls is not None:
            self.socket = tls.server_context().wrap_socket(self.socket, server_side=True)
        self.state = state
        self.credentials = credentials
        self.auth = auth
        self.tokens = tokens
        self.stopping = threading.Event()


class EwsTestServer:
    """Start with ``start()``; ``url`` is the EWS URL; change ``state`` between calls.

    ``username``/``password`` are the credentials it accepts (None: no authentication).
    With ``auth="ntlm"`` it runs NTLM through pyspnego's acceptor, which reads the
    accepted credentials from the file named by the NTLM_USER_FILE environment variable
    (lines of ``DOMAIN:USER:PASSWORD``); ``ntlm_user_file`` writes such a file.

    With ``tls`` it speaks HTTPS; with ``tokens`` it accepts bearer tokens only, those
    the OAuth test authority issued and still counts as valid (OAuth 2.0, as Exchange
    Online).
    """

    def __init__(
        self,
        owner: str = "me@clinic.example",
        username: str | None = "me@clinic.example",
        password: str | None = "correct horse battery staple",
        *,
        auth: str = "basic",
        tls: LocalTls | None = None,
        tokens: TokenState | None = None,
    ) -> None:
        self.state = ServerState(owner)
        credentials = (username, password) if username and password is not None else None
        self._http = _EwsHttpServer(self.state, credentials, auth, tls, tokens)
        self._scheme = "https" if tls is not None else "http"
        self._thread = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def ntlm_user_file(self, folder: Path) -> Path:
        """A credentials file for pyspnego's NTLM acceptor: point NTLM_USER_FILE at it."""
        assert self._http.credentials is not None
        user, password = self._http.credentials
        path = folder / "ntlm-users"
        path.write_text(f":{user}:{password}\n", encoding="utf-8")
        return path

    @property
    def url(self) -> str:
        return f"{self._scheme}://{HOST}:{self._http.server_port}{EWS_PATH}"

    def start(self) -> EwsTestServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._http.stopping.set()
        self._http.shutdown()
        self._http.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> EwsTestServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
