"""Bounded HTTP for revocation: one GET or POST with a size limit and a time limit."""

import time
from dataclasses import dataclass

from desktop_app.core.messages import text

MAX_CRL_BYTES = 10 * 1024 * 1024  # large public CAs' CRLs run to a few MB
MAX_OCSP_BYTES = 64 * 1024  # an OCSP answer is a few KB even with responder certificates
FETCH_TIMEOUT = 4.0  # seconds for the whole exchange, not per read
_CHUNK = 64 * 1024


class FetchError(Exception):
    """A fetch that gave nothing usable; ``reason`` is a sentence for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class HttpLimits:
    """How long a fetch may take and how much it may bring."""

    timeout: float = FETCH_TIMEOUT
    max_crl_bytes: int = MAX_CRL_BYTES
    max_ocsp_bytes: int = MAX_OCSP_BYTES


def fetch(url: str, *, limit: int, timeout: float, body: bytes | None = None) -> bytes:
    """The body of a 200 answer to GET ``url`` (or POST ``body`` as an OCSP request).

    No redirects (a signed CRL does not need them, and they could lead anywhere); the
    answer is read in chunks and dropped as soon as it passes ``limit`` or ``timeout``.

    Raises:
        FetchError: with the reason, for anything else.
    """
    import requests  # here, not at the top: ``seal`` and ``check`` start without it

    started = time.monotonic()
    headers = {"Content-Type": "application/ocsp-request"} if body is not None else {}
    try:
        with requests.request(
            "POST" if body is not None else "GET",
            url,
            data=body,
            headers=headers,
            timeout=(timeout, timeout),
            stream=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 200:
                status = response.status_code
                raise FetchError(text("revocation.fetch_http_error", where=url, status=status))
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise FetchError(text("revocation.fetch_too_large", where=url, limit=limit))
            received = bytearray()
            for chunk in response.iter_content(_CHUNK):
                received += chunk
                if len(received) > limit:
                    raise FetchError(text("revocation.fetch_too_large", where=url, limit=limit))
                if time.monotonic() - started > timeout:
                    raise FetchError(text("revocation.fetch_timeout", where=url))
            return bytes(received)
    except (requests.RequestException, ValueError, OSError) as error:
        # A read that times out mid-answer comes as a ConnectionError, not a Timeout.
        slow = isinstance(error, requests.Timeout) or time.monotonic() - started >= timeout
        reason = "revocation.fetch_timeout" if slow else "revocation.fetch_failed"
        raise FetchError(text(reason, where=url)) from None
