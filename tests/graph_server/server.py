"""The Graph test server: the v1.0 calls smime-guard makes, with Graph's documented shapes.

``/v1.0/me``, ``/me/sendMail`` (base64 MIME as text/plain, 202, 413 over 4 MB, a copy in
Sent Items), ``/me/messages`` (a MIME draft, 201), ``/me/mailFolders/{inbox|sentitems}
/messages`` with ``$top``/``$skiptoken`` paging and ``@odata.nextLink``,
``/me/messages/{id}/$value``, ``/me/getMailTips``, ``/users`` and ``/groups`` with
``$filter=mail eq '...'``, ``/groups/{id}/transitiveMembers/microsoft.graph.user`` with
paging. Bearer tokens must be ones the test authority issued for Graph.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import secrets
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from tests.ews_server.tls import HOST, LocalTls
from tests.graph_server.state import GraphState, StoredMessage

MIME_LIMIT = 4 * 1024 * 1024
MEMBER_PAGE_MAX = 2  # small pages so that paging is exercised


def _filter_value(query: dict[str, str], field_name: str) -> str | None:
    value = query.get("$filter", "")
    prefix = f"{field_name} eq '"
    if value.startswith(prefix) and value.endswith("'"):
        return value[len(prefix) : -1].replace("''", "'")
    return None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _GraphHttpServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    # -- answering ---------------------------------------------------------------------
    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, document: object, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(document).encode(), "application/json", headers)

    def _error(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        self._json(status, {"error": {"code": code, "message": message}}, headers)

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length", "0"))
        return self.rfile.read(length) if length else b""

    # -- dispatch ------------------------------------------------------------------------
    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def _handle(self, method: str) -> None:
        state = self.server.state
        parts = urlsplit(self.path)
        path = unquote(parts.path).removeprefix("/v1.0")
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        body = self._read_body() if method == "POST" else b""
        route = f"{method} {path}"
        with state.lock:
            state.requests[self._route_name(method, path)] += 1
            state.bodies_seen.append(body)
        if path.startswith("/autodiscover/autodiscover.json/v1.0/"):
            self._autodiscover(path, query)  # anonymous, as Microsoft's is
            return
        authorization = self.headers.get("Authorization", "")
        token = authorization.removeprefix("Bearer ")
        accept = state.accept_token
        if not authorization.startswith("Bearer ") or not callable(accept) or not accept(token):
            self._error(401, "InvalidAuthenticationToken", "Access token is empty or invalid.")
            return
        if state.latency:
            time.sleep(state.latency)
        fault = state.take_fault(path)
        if fault is not None and fault.kind == "lost_answer":
            # The request is carried out, but its answer never arrives (a time-out after
            # the server took the message): what was written is thrown away.
            answered, self.wfile = self.wfile, io.BytesIO()
            self._carry_out(method, path, route, query, body)
            self.wfile = answered
            time.sleep(fault.hang)
            self.close_connection = True
            return
        if fault is not None and self._fault(fault):
            return
        self._carry_out(method, path, route, query, body)

    def _carry_out(
        self, method: str, path: str, route: str, query: dict[str, str], body: bytes
    ) -> None:
        handler = self._route(method, path)
        if handler is None:
            self._error(404, "ResourceNotFound", f"Resource not found for {route}.")
            return
        handler(path, query, body)

    @staticmethod
    def _route_name(method: str, path: str) -> str:
        if path.startswith("/me/messages/") and path.endswith("/$value"):
            return f"{method} /me/messages/{{id}}/$value"
        if path.startswith("/me/messages/"):
            return f"{method} /me/messages/{{id}}"
        if path.startswith("/groups/") and "/transitiveMembers" in path:
            return f"{method} /groups/{{id}}/transitiveMembers"
        return f"{method} {path}"

    def _fault(self, fault: Any) -> bool:
        if fault.kind == "timeout":
            time.sleep(fault.hang)
            self.close_connection = True
            return True
        if fault.kind == "malformed":
            self._send(200, b'{"value": [ {"id": "broken", ', "application/json")
            return True
        status = int(fault.kind)
        headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
        code = {429: "TooManyRequests", 503: "ServiceUnavailable", 504: "GatewayTimeout"}[status]
        self._error(status, code, "Injected fault.", headers)
        return True

    def _route(self, method: str, path: str) -> Any:
        if method == "GET":
            if path == "/me":
                return self._me
            if path in ("/me/mailFolders/inbox/messages", "/me/mailFolders/sentitems/messages"):
                return self._list
            if path.startswith("/me/messages/") and path.endswith("/$value"):
                return self._value
            if path in ("/users", "/groups"):
                return self._directory
            if path.startswith("/groups/") and path.endswith(
                "/transitiveMembers/microsoft.graph.user"
            ):
                return self._members
        if method == "DELETE" and path.startswith("/me/messages/"):
            return self._delete
        if method == "POST":
            return {
                "/me/sendMail": self._send_mail,
                "/me/messages": self._create_draft,
                "/me/getMailTips": self._mail_tips,
            }.get(path)
        return None

    # -- the calls -----------------------------------------------------------------------
    def _autodiscover(self, path: str, query: dict[str, str]) -> None:
        address = path.rpartition("/")[2]
        domain = address.rpartition("@")[2].lower()
        if query.get("Protocol", "").lower() != "rest":
            self._json(400, {"ErrorCode": "ProtocolNotSupported", "ErrorMessage": "Protocol"})
        elif domain in self.server.state.m365_domains:
            self._json(200, {"Protocol": "Rest", "Url": "https://outlook.office.com/api"})
        else:
            self._json(
                404,
                {
                    "ErrorCode": "MailboxNotEnabledForRESTAPI",
                    "ErrorMessage": "Not Exchange Online.",
                },
            )

    def _me(self, path: str, query: dict[str, str], body: bytes) -> None:
        owner = self.server.state.owner
        self._json(200, {"@odata.context": f"{self.server.base_url}/v1.0/$metadata#users/$entity",
                         "id": "0b5e3f7a-0000-4000-8000-0000000000e1", "mail": owner,
                         "userPrincipalName": owner, "displayName": "Test User"})  # fmt: skip

    def _decoded_mime(self, body: bytes) -> bytes | None:
        if not self.headers.get("Content-Type", "").startswith("text/plain"):
            self._error(415, "ErrorInvalidContentType", "MIME content must be text/plain.")
            return None
        if len(body) > MIME_LIMIT:
            self._error(413, "RequestEntityTooLarge", "The request is larger than 4 MB.")
            return None
        try:
            return base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            self._error(
                400,
                "ErrorMimeContentInvalidBase64String",
                "Invalid base64 string for MIME content.",
            )
            return None

    def _new_message(self, mime: bytes) -> StoredMessage:
        return StoredMessage("AAMk" + secrets.token_hex(12), mime, datetime.now(UTC))

    def _send_mail(self, path: str, query: dict[str, str], body: bytes) -> None:
        mime = self._decoded_mime(body)
        if mime is None:
            return
        state = self.server.state
        with state.lock:
            state.sent.append(self._new_message(mime))
        self._send(202, b"", "text/plain")

    def _create_draft(self, path: str, query: dict[str, str], body: bytes) -> None:
        mime = self._decoded_mime(body)
        if mime is None:
            return
        stored = self._new_message(mime)
        with self.server.state.lock:
            self.server.state.drafts.append(stored)
        self._json(201, {"id": stored.id, "isDraft": True, "subject": stored.header("Subject")})

    def _summary(self, message: StoredMessage) -> dict[str, object]:
        return {
            "@odata.etag": 'W/"CQAAABYAAAA"',
            "id": message.id,
            "subject": message.header("Subject"),
            "from": {"emailAddress": {"name": "", "address": message.header("From").strip("<>")}},
            "receivedDateTime": message.received.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "internetMessageId": message.header("Message-ID"),
        }

    def _list(self, path: str, query: dict[str, str], body: bytes) -> None:
        state = self.server.state
        folder = state.inbox if path.endswith("inbox/messages") else state.sent
        with state.lock:
            messages = list(folder)
        wanted_id = _filter_value(query, "internetMessageId")
        if wanted_id is not None:
            found = [m for m in messages if m.header("Message-ID") == wanted_id]
            self._json(200, {"value": [{"id": m.id} for m in found]})
            return
        top = min(int(query.get("$top", "10")), 1000)
        skip = int(query.get("$skiptoken", "0") or 0)
        page = messages[skip : skip + top]
        document: dict[str, object] = {"value": [self._summary(m) for m in page]}
        if skip + top < len(messages):
            following = {**query, "$top": str(top), "$skiptoken": str(skip + top)}
            document["@odata.nextLink"] = (
                f"{self.server.base_url}/v1.0{path}?{urlencode(following)}"
            )
        self._json(200, document)

    def _value(self, path: str, query: dict[str, str], body: bytes) -> None:
        message_id = path.removeprefix("/me/messages/").removesuffix("/$value")
        state = self.server.state
        with state.lock:
            everything = [*state.inbox, *state.sent, *state.drafts]
        for message in everything:
            if message.id == message_id:
                self._send(200, message.mime, "text/plain")
                return
        self._error(404, "ErrorItemNotFound", "The specified object was not found in the store.")

    def _delete(self, path: str, query: dict[str, str], body: bytes) -> None:
        message_id = path.removeprefix("/me/messages/")
        state = self.server.state
        with state.lock:
            kept = [m for m in state.drafts if m.id != message_id]
            found = len(kept) != len(state.drafts)
            state.drafts[:] = kept
        if found:
            self._send(204, b"", "text/plain")
        else:
            self._error(
                404, "ErrorItemNotFound", "The specified object was not found in the store."
            )

    def _directory(self, path: str, query: dict[str, str], body: bytes) -> None:
        state = self.server.state
        mail = _filter_value(query, "mail")
        if mail is None:
            self._error(400, "BadRequest", "Unsupported query.")
            return
        found: list[dict[str, object]] = []
        if path == "/users" and mail.lower() in state.users:
            found.append(
                {"id": "u-" + mail, "displayName": state.users[mail.lower()], "mail": mail}
            )
        if path == "/groups" and mail.lower() in state.groups:
            name, _ = state.groups[mail.lower()]
            found.append({"id": "g-" + quote(mail), "displayName": name, "mail": mail})
        self._json(200, {"value": found})

    def _members(self, path: str, query: dict[str, str], body: bytes) -> None:
        state = self.server.state
        group_mail = unquote(path.split("/")[2].removeprefix("g-"))
        _, members = state.groups.get(group_mail.lower(), ("", []))
        top = min(int(query.get("$top", "100")), MEMBER_PAGE_MAX)
        skip = int(query.get("$skiptoken", "0") or 0)
        page = members[skip : skip + top]
        document: dict[str, object] = {
            "value": [
                {"@odata.type": "#microsoft.graph.user", "mail": m, "displayName": m} for m in page
            ]
        }
        if skip + top < len(members):
            following = {**query, "$top": str(top), "$skiptoken": str(skip + top)}
            document["@odata.nextLink"] = (
                f"{self.server.base_url}/v1.0{quote(path)}?{urlencode(following)}"
            )
        self._json(200, document)

    def _mail_tips(self, path: str, query: dict[str, str], body: bytes) -> None:
        state = self.server.state
        request = json.loads(body)
        tips = []
        for address in request.get("EmailAddresses", []):
            key = address.lower()
            tip: dict[str, object] = {
                "emailAddress": {"address": address},
                "recipientScope": "internal",
            }
            if key in state.groups:
                members = state.groups[key][1]
                tip["totalMemberCount"] = len(members)
                tip["externalMemberCount"] = 0
            elif key in state.dynamic_lists:
                tip["totalMemberCount"] = state.dynamic_lists[key]
                tip["externalMemberCount"] = 0
            elif key not in state.users:
                tip["recipientScope"] = "external"
            tips.append(tip)
        self._json(200, {"value": tips})


class _GraphHttpServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, state: GraphState, tls: LocalTls) -> None:
        super().__init__((HOST, 0), _Handler)
        self.socket = tls.server_context().wrap_socket(self.socket, server_side=True)
        self.state = state

    @property
    def base_url(self) -> str:
        return f"https://{HOST}:{self.server_port}"


class GraphTestServer:
    """The server; ``url`` is what an account's --graph-url is."""

    def __init__(self, tls: LocalTls, state: GraphState) -> None:
        self.state = state
        self._http = _GraphHttpServer(state, tls)
        self._thread = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"{self._http.base_url}/v1.0"

    def __enter__(self) -> GraphTestServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._http.shutdown()
        self._http.server_close()
        self._thread.join(timeout=5)
