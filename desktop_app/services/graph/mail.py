"""Mail through Microsoft Graph: send MIME (or SMTP beyond Graph's limit), list, fetch, drafts.

``POST /me/sendMail`` takes the base64 of the whole MIME message as ``text/plain``,
answers 202 and keeps a copy in Sent Items; the request may be at most 4 MB, and base64
adds a third. A sealed message whose base64 is larger goes by SMTP submission with an
OAuth token from the same sign-in, chosen here per message. Graph takes the recipients
from the headers, which for each sealed copy name only that copy's recipients.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from urllib.parse import quote

import pybase64

from desktop_app.core.messages import text
from desktop_app.services.graph.client import SAFE_TO_REPEAT, GraphClient
from desktop_app.services.mailbox_port import RemoteMessage, RemotePage, require_sealed_draft
from desktop_app.services.transport.port import (
    MessageTooLargeError,
    SendResult,
    SentCopy,
    SmtpEnvelope,
    TemporaryTransportError,
    Transport,
)

log = logging.getLogger(__name__)

GRAPH_REQUEST_LIMIT = 4 * 1024 * 1024  # bytes of one request body (sendMail, MIME drafts)
LIST_FIELDS = "id,subject,from,receivedDateTime,internetMessageId"


def _odata_text(value: str) -> str:
    """A string literal for a $filter: single quotes doubled (OData ABNF)."""
    return "'" + value.replace("'", "''") + "'"


class M365Transport:
    """Graph ``sendMail`` for what fits, SMTP XOAUTH2 for the rest, per message."""

    def __init__(
        self,
        graph: GraphClient,
        smtp: Transport | None,
        *,
        limit: int = GRAPH_REQUEST_LIMIT,
    ) -> None:
        self._graph = graph
        self._smtp = smtp
        self._limit = limit

    def send(self, mime: bytes, envelope: SmtpEnvelope) -> SendResult:
        body = pybase64.b64encode(mime)
        if len(body) <= self._limit:
            try:
                self._graph.request(
                    "POST",
                    "/me/sendMail",
                    body=body,
                    headers={"Content-Type": "text/plain"},
                    expect=(202,),
                    repeat_on=SAFE_TO_REPEAT,
                )
            except MessageTooLargeError:
                log.info("graph: sendMail found the message too large; trying SMTP")
            else:
                return SendResult("graph", SentCopy.SAVED_BY_SERVER, "Sent Items")
        if self._smtp is None:
            raise MessageTooLargeError(text("graph.no_smtp"))
        return self._smtp.send(mime, envelope)

    def already_sent(self, message_id: str) -> bool:
        document = self._graph.get_json(
            "/me/mailFolders/sentitems/messages",
            {"$filter": f"internetMessageId eq {_odata_text(message_id)}", "$select": "id"},
        )
        value = document.get("value")
        return isinstance(value, list) and bool(value)

    def close(self) -> None:
        self._graph.close()
        if self._smtp is not None:
            self._smtp.close()


def _received(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _remote(entry: dict[str, Any]) -> RemoteMessage | None:
    message_id = entry.get("id")
    if not isinstance(message_id, str) or not message_id:
        return None
    sender = entry.get("from") or {}
    address = sender.get("emailAddress", {}) if isinstance(sender, dict) else {}
    shown = address.get("address") or address.get("name") or "" if isinstance(address, dict) else ""
    return RemoteMessage(
        message_id,
        str(shown),
        str(entry.get("subject") or ""),
        _received(entry.get("receivedDateTime")),
    )


class GraphMailbox:
    """The inbox through Graph; the cursor is Graph's ``@odata.nextLink``."""

    def __init__(self, graph: GraphClient) -> None:
        self._graph = graph

    def list_page(self, cursor: str | None, limit: int) -> RemotePage:
        if cursor:
            document = self._graph.get_json(cursor)
        else:
            document = self._graph.get_json(
                "/me/mailFolders/inbox/messages",
                {
                    "$top": str(max(1, min(limit, 1000))),
                    "$select": LIST_FIELDS,
                    "$orderby": "receivedDateTime desc",
                },
            )
        value = document.get("value")
        if not isinstance(value, list):
            raise TemporaryTransportError(text("graph.bad_response", server=self._graph.server))
        messages = tuple(
            found for entry in value if isinstance(entry, dict) and (found := _remote(entry))
        )
        next_link = document.get("@odata.nextLink")
        return RemotePage(messages, next_link if isinstance(next_link, str) else None)

    def fetch_mime(self, message_id: str) -> bytes:
        path = f"/me/messages/{quote(message_id, safe='')}/$value"
        return bytes(self._graph.request("GET", path).content)

    def save_draft(self, sealed_mime: bytes) -> str:
        require_sealed_draft(sealed_mime)
        body = pybase64.b64encode(sealed_mime)
        if len(body) > GRAPH_REQUEST_LIMIT:
            raise MessageTooLargeError(text("graph.too_large"))
        response = self._graph.request(
            "POST",
            "/me/messages",
            body=body,
            headers={"Content-Type": "text/plain"},
            expect=(201,),
            repeat_on=SAFE_TO_REPEAT,
        )
        return str(self._graph.json_of(response).get("id") or "")

    def delete_draft(self, draft_id: str) -> None:
        path = f"/me/messages/{quote(draft_id, safe='')}"
        self._graph.request("DELETE", path, expect=(204, 404))  # 404: already gone

    def close(self) -> None:
        self._graph.close()
