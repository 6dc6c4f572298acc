"""A small Microsoft Graph client: bearer token, throttling with bounded back-off, typed errors.

Graph throttles with 429 and ``Retry-After``, and answers 503 or 504 when busy. A request
is tried again after the wait the server asked for (or 1, 2, 4 s), at most
``max_attempts`` times and never for longer than ``max_wait`` a wait; then it fails as
temporary, with the server's wait as the outbox's back-off. No token, request body or
response body is ever logged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from desktop_app.core.messages import text
from desktop_app.services.transport.port import (
    AccountRefusedError,
    MessageRefusedError,
    MessageTooLargeError,
    TemporaryTransportError,
    TransportError,
)

if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)

THROTTLED = frozenset({429, 503, 504})
# Throttled answers after which a request can be sent again without risk: the server did
# not start on it. A 504 (gateway time-out) may come after a sendMail went through.
SAFE_TO_REPEAT = frozenset({429, 503})

TokenSource = Callable[[bool], str]  # force_refresh -> access token


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    if value.isdigit():
        return float(value)
    return None


def _error_code(response: requests.Response) -> str:
    """``HTTP 400 ErrorInvalidRecipients``: the status and Graph's error code, no message."""
    code = ""
    try:
        document = response.json()
    except ValueError:
        document = None
    if isinstance(document, dict) and isinstance(document.get("error"), dict):
        code = str(document["error"].get("code") or "")[:80]
    return f"HTTP {response.status_code} {code}".strip()


class GraphClient:
    """Requests to one Graph root (``https://graph.microsoft.com/v1.0``) for one user."""

    def __init__(
        self,
        base_url: str,
        token: TokenSource,
        *,
        verify: bool | str = True,
        timeout: float = 20.0,
        sleep: Callable[[float], None] = time.sleep,
        max_attempts: int = 4,
        max_wait: float = 30.0,
    ) -> None:
        import requests

        self.base_url = base_url.rstrip("/")
        self._token = token
        self._session = requests.Session()
        self._session.verify = verify
        self._timeout = timeout
        self._sleep = sleep
        self._max_attempts = max_attempts
        self._max_wait = max_wait
        self.requests_sent = 0

    def __repr__(self) -> str:
        return f"GraphClient({self.base_url!r})"

    @property
    def server(self) -> str:
        return urlsplit(self.base_url).netloc

    def url(self, path_or_url: str) -> str:
        """The absolute URL; a full URL (``@odata.nextLink``) only on Graph's own host."""
        if "://" not in path_or_url:
            return self.base_url + path_or_url
        ours, theirs = urlsplit(self.base_url), urlsplit(path_or_url)
        if (theirs.scheme, theirs.netloc) != (ours.scheme, ours.netloc):
            # A bearer token goes to Graph only, whatever a response says.
            raise TemporaryTransportError(text("graph.foreign_link"))
        return path_or_url

    def _send_once(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None,
        body: bytes | None,
        json_body: Any,
        headers: Mapping[str, str],
        force_refresh: bool,
    ) -> requests.Response:
        import requests

        sent_headers = {"Authorization": f"Bearer {self._token(force_refresh)}", **headers}
        self.requests_sent += 1
        try:
            return self._session.request(
                method,
                url,
                params=params,
                data=body,
                json=json_body,
                headers=sent_headers,
                timeout=self._timeout,
                allow_redirects=False,
            )
        except requests.Timeout:
            log.info("graph: %s timed out", method)
            raise TemporaryTransportError(
                text("graph.unreachable", server=self.server, reason="timed out")
            ) from None
        except requests.RequestException as error:
            log.info("graph: %s failed: %s", method, type(error).__name__)
            reason = type(error).__name__
            raise TemporaryTransportError(
                text("graph.unreachable", server=self.server, reason=reason)
            ) from None

    def request(
        self,
        method: str,
        path_or_url: str,
        *,
        params: Mapping[str, str] | None = None,
        body: bytes | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        expect: Collection[int] = (200,),
        repeat_on: Collection[int] = THROTTLED,
    ) -> requests.Response:
        """One Graph call, tried again while throttled; the response if its status is expected.

        Raises:
            TemporaryTransportError: unreachable, timed out, still throttled.
            AccountRefusedError: 401 after a fresh token, 403.
            MessageTooLargeError: 413. MessageRefusedError: any other refusal.
        """
        url = self.url(path_or_url)
        refreshed = False
        attempt = 0
        while True:
            attempt += 1
            response = self._send_once(
                method, url, params=params, body=body, json_body=json_body,
                headers=headers or {}, force_refresh=refreshed,
            )  # fmt: skip
            status = response.status_code
            if status in expect:
                return response
            log.info("graph: %s answered %d", method, status)
            if status == 401 and not refreshed:
                refreshed = True  # the token may have been revoked early: one fresh try
                continue
            if status in THROTTLED:
                wait = _retry_after(response)
                delay = wait if wait is not None else float(2 ** (attempt - 1))
                if status in repeat_on and attempt < self._max_attempts and delay <= self._max_wait:
                    self._sleep(delay)
                    continue
                suffix = text("graph.busy_wait", seconds=wait) if wait else ""
                raise TemporaryTransportError(
                    text("graph.busy", code=_error_code(response), wait=suffix), wait
                )
            raise self._refusal(response)

    def _refusal(self, response: requests.Response) -> TransportError:
        status, code = response.status_code, _error_code(response)
        if 200 <= status < 300:  # a success Graph does not give to this call: not Graph
            return TemporaryTransportError(text("graph.bad_response", server=self.server))
        if status in (401, 403):
            return AccountRefusedError(text("graph.denied", code=code))
        if status == 413:
            return MessageTooLargeError(text("graph.too_large"))
        if status >= 500:
            return TemporaryTransportError(text("graph.refused", code=code))
        return MessageRefusedError(text("graph.refused", code=code))

    def get_json(self, path_or_url: str, params: Mapping[str, str] | None = None) -> dict[str, Any]:
        response = self.request("GET", path_or_url, params=params)
        return self.json_of(response)

    def json_of(self, response: requests.Response) -> dict[str, Any]:
        """The JSON object of a response; a temporary failure if it is not one (a proxy's
        page, a truncated body)."""
        try:
            document = response.json()
        except ValueError:
            document = None
        if not isinstance(document, dict):
            log.info("graph: a response that is not a JSON object")
            raise TemporaryTransportError(text("graph.bad_response", server=self.server))
        return document

    def close(self) -> None:
        self._session.close()
