"""A Microsoft-Entra-like OAuth 2.0 authority on 127.0.0.1 over HTTPS, for msal in tests.

It serves what msal 1.39 asks of an authority given with ``instance_discovery=False``:
the OpenID configuration (``{tenant}/v2.0/.well-known/openid-configuration``), the
device authorization endpoint, the token endpoint (device code, refresh token and
authorization code grants) and an authorization endpoint that signs the user in at once
and redirects back. Tokens are random strings; the EWS test server accepts exactly those
in ``TokenState.valid_access``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.ews_server.tls import HOST, LocalTls

EWS_SCOPE = "https://outlook.office365.com/EWS.AccessAsUser.All"
TENANT_ID = "6f1c7a2e-0000-4000-8000-00000000c1ac"
USER_OBJECT_ID = "0b5e3f7a-0000-4000-8000-0000000000e1"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass
class TokenState:
    """What the authority has issued and accepts; change it between calls.

    ``approve`` decides what a waiting device code gets: None keeps it pending (the
    user has not entered it yet), "approve" signs in, "decline" refuses.
    """

    username: str
    access_lifetime: int = 3600
    approve: str | None = "approve"
    signed_in_as: str | None = None  # another account than ``username``, for a test
    issued_access: list[str] = field(default_factory=list)
    issued_refresh: list[str] = field(default_factory=list)
    device_codes: list[str] = field(default_factory=list)
    user_codes: list[str] = field(default_factory=list)
    valid_access: set[str] = field(default_factory=set)
    valid_refresh: set[str] = field(default_factory=set)
    grants: list[str] = field(default_factory=list)
    auth_codes: dict[str, tuple[str, str]] = field(default_factory=dict)  # PKCE, nonce
    # The resource scopes each access token was issued for (Graph, Outlook SMTP, EWS).
    access_scopes: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def secrets(self) -> list[str]:
        """Every secret value handed out, for tests that look for leaks."""
        with self.lock:
            return [*self.issued_access, *self.issued_refresh, *self.device_codes]


def _resource_scope(requested: str) -> str:
    """The resource scopes of a token request, as Entra ID answers them (without the
    OpenID ones msal adds)."""
    reserved = {"openid", "profile", "offline_access"}
    return " ".join(scope for scope in requested.split() if scope not in reserved)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _TokenHttpServer
    _scope = ""  # the resource scopes of the token request being answered

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _json(self, status: int, document: dict[str, object]) -> None:
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _error(self, code: str, description: str) -> None:
        self._json(400, {"error": code, "error_description": description})

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        base = self.server.base_url
        tenant = path.strip("/").split("/")[0]
        if path.endswith("/v2.0/.well-known/openid-configuration"):
            root = f"{base}/{tenant}/oauth2/v2.0"
            self._json(
                200,
                {
                    "issuer": f"{base}/{TENANT_ID}/v2.0",
                    "authorization_endpoint": f"{root}/authorize",
                    "token_endpoint": f"{root}/token",
                    "device_authorization_endpoint": f"{root}/devicecode",
                    "response_types_supported": ["code", "id_token"],
                },
            )
        elif path.endswith("/oauth2/v2.0/authorize"):
            self._authorize(parse_qs(query))
        else:
            self._json(404, {"error": "not_found"})

    def _authorize(self, query: dict[str, list[str]]) -> None:
        """The user signs in at once; a page posts the code back (response_mode=form_post)."""
        code = "ac-" + secrets.token_hex(16)
        with self.server.state.lock:
            self.server.state.auth_codes[code] = (
                query.get("code_challenge", [""])[0],
                query.get("nonce", [""])[0],
            )
            self.server.state.grants.append("authorize")
        fields = {
            "code": code,
            "state": query.get("state", [""])[0],
            "client_info": self._client_info(),
        }
        inputs = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(value)}">'
            for name, value in fields.items()
        )
        action = html.escape(query["redirect_uri"][0])
        page = (
            f'<html><body onload="document.forms[0].submit()"><form method="post" '
            f'action="{action}">{inputs}</form></body></html>'
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        form = {
            key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()
        }
        path = urlsplit(self.path).path
        if path.endswith("/oauth2/v2.0/devicecode"):
            self._device_code(form)
        elif path.endswith("/oauth2/v2.0/token"):
            self._token(form)
        else:
            self._json(404, {"error": "not_found"})

    def _device_code(self, form: dict[str, str]) -> None:
        state = self.server.state
        device_code = "dc-" + secrets.token_hex(24)
        user_code = "".join(secrets.choice("BCDFGHJKLMNPQRSTVWXZ") for _ in range(9))
        with state.lock:
            state.device_codes.append(device_code)
            state.user_codes.append(user_code)
            state.grants.append("devicecode")
        uri = f"{self.server.base_url}/devicelogin"
        self._json(
            200,
            {
                "device_code": device_code,
                "user_code": user_code,
                "verification_uri": uri,
                "expires_in": 900,
                "interval": 1,
                "message": f"To sign in, use a web browser to open {uri} and enter {user_code}.",
            },
        )

    def _token(self, form: dict[str, str]) -> None:
        state = self.server.state
        self._scope = _resource_scope(form.get("scope", ""))
        grant = form.get("grant_type", "")
        with state.lock:
            state.grants.append(grant.rpartition(":")[2])
        if grant == "urn:ietf:params:oauth:grant-type:device_code":
            if form.get("device_code") not in state.device_codes:
                self._error("invalid_grant", "AADSTS70019: Verification code expired.")
            elif state.approve is None:
                self._error("authorization_pending", "AADSTS70016: Pending end-user authorization.")
            elif state.approve == "decline":
                self._error("authorization_declined", "AADSTS70000: The user declined.")
            else:
                self._issue()
        elif grant == "refresh_token":
            if form.get("refresh_token") in state.valid_refresh:
                self._issue()
            else:
                self._error("invalid_grant", "AADSTS700082: The refresh token has expired.")
        elif grant == "authorization_code":
            challenge, nonce = state.auth_codes.pop(form.get("code", ""), ("", None))
            verifier = form.get("code_verifier", "")
            expected = _b64url(hashlib.sha256(verifier.encode()).digest())
            if nonce is None or challenge != expected:
                self._error("invalid_grant", "AADSTS70008: The authorization code is invalid.")
            else:
                self._issue(nonce)
        else:
            self._error("unsupported_grant_type", f"AADSTS70003: {grant} is not supported.")

    def _client_info(self) -> str:
        return _b64url(json.dumps({"uid": USER_OBJECT_ID, "utid": TENANT_ID}).encode())

    def _issue(self, nonce: str | None = None) -> None:
        state = self.server.state
        access = "at-" + secrets.token_hex(24)
        refresh = "rt-" + secrets.token_hex(24)
        now = int(time.time())
        claims = {
            "aud": self.server.client_id,
            "iss": f"{self.server.base_url}/{TENANT_ID}/v2.0",
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            "sub": "subject-" + USER_OBJECT_ID,
            "oid": USER_OBJECT_ID,
            "tid": TENANT_ID,
            "preferred_username": state.signed_in_as or state.username,
            "name": "Test User",
            "ver": "2.0",
        }
        if nonce:
            claims["nonce"] = nonce
        header = _b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode())
        id_token = f"{header}.{_b64url(json.dumps(claims).encode())}."
        with state.lock:
            state.issued_access.append(access)
            state.issued_refresh.append(refresh)
            state.valid_access.add(access)
            state.access_scopes[access] = self._scope or EWS_SCOPE
            state.valid_refresh.add(refresh)
        self._json(
            200,
            {
                "token_type": "Bearer",
                "scope": self._scope or EWS_SCOPE,
                "expires_in": state.access_lifetime,
                "ext_expires_in": state.access_lifetime,
                "access_token": access,
                "refresh_token": refresh,
                "id_token": id_token,
                "client_info": self._client_info(),
            },
        )


class _TokenHttpServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, state: TokenState, tls: LocalTls, client_id: str) -> None:
        super().__init__((HOST, 0), _Handler)
        self.socket = tls.server_context().wrap_socket(self.socket, server_side=True)
        self.state = state
        self.client_id = client_id

    @property
    def base_url(self) -> str:
        return f"https://{HOST}:{self.server_port}"


class TokenTestServer:
    """The authority on 127.0.0.1; ``authority`` is what msal is given."""

    def __init__(
        self, tls: LocalTls, username: str, client_id: str, tenant: str = "organizations"
    ) -> None:
        self.tls = tls
        self.state = TokenState(username)
        self.tenant = tenant
        self._http = _TokenHttpServer(self.state, tls, client_id)
        self._thread = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def authority(self) -> str:
        return f"{self._http.base_url}/{self.tenant}"

    def start(self) -> TokenTestServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> TokenTestServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class FormPostBrowser:
    """Stands in for the user's browser: opens the sign-in page, submits its form back.

    Installed as ``webbrowser.open``. msal waits for the answer on its own listener only
    after the browser was opened, so the page is fetched and posted from another thread.
    """

    def __init__(self, ca_file: str) -> None:
        self._ca_file = ca_file
        self.opened: list[str] = []
        self.threads: list[threading.Thread] = []

    def __call__(self, url: str, *args: object, **kwargs: object) -> bool:
        self.opened.append(url)
        thread = threading.Thread(target=self._visit, args=(url,), daemon=True)
        thread.start()
        self.threads.append(thread)
        return True

    def _visit(self, url: str) -> None:
        import re

        import requests

        page = requests.get(url, verify=self._ca_file, timeout=5).text
        action = html.unescape(re.search(r'action="([^"]+)"', page).group(1))  # type: ignore[union-attr]
        fields = {
            name: html.unescape(value)
            for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', page)
        }
        requests.post(action, data=fields, timeout=5)
