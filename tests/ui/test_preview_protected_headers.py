"""The preview of a header-protected message (RFC 9788): the protected Subject and
addresses are shown, the Legacy Display part is not, and a changed outer field is said."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop_app.core.mime.compose import InnerMessage, inner_mime
from desktop_app.core.smime.header_protection import ProtectedPayload, outer_headers
from desktop_app.ui.theme import Theme
from tests.ui.test_preview_layers import DATE, _encrypt, _preview, fetch  # noqa: F401

HEADERS = {
    "From": "Mia Example <me@clinic.example>",
    "To": "Dr. Lee <lee@clinic.example>",
    "Subject": "Results for Mrs. Patel, DOB 04/12/1961",
    "Date": DATE,
    "Message-ID": "<hp1@clinic.example>",
}


def _protected(outer_subject: str | None = None) -> bytes:
    inner = inner_mime(InnerMessage("The results are normal.\n"))
    payload = ProtectedPayload(HEADERS, inner, inner)
    entity = b"".join(bytes(chunk) for chunk in payload.chunks())
    outer = outer_headers(HEADERS)
    if outer_subject is not None:
        outer["Subject"] = outer_subject
    envelope = _encrypt(entity)
    head = "".join(f"{name}: {value}\r\n" for name, value in outer.items()).encode()
    return head + envelope


def test_the_preview_shows_the_protected_subject(qtbot: QtBot, theme: Theme, fetch) -> None:  # noqa: F811
    detail = fetch(_protected())
    assert detail.summary.subject == HEADERS["Subject"]
    assert detail.to == "Dr. Lee <lee@clinic.example>"
    assert detail.body_text is not None and "Subject:" not in detail.body_text
    assert detail.warnings == ()
    pane = _preview(qtbot, theme, detail)
    assert pane.subject.text() == HEADERS["Subject"]


def test_an_outer_subject_changed_on_the_way_is_said(qtbot: QtBot, fetch) -> None:  # noqa: F811
    detail = fetch(_protected("Invoice"))
    assert detail.summary.subject == HEADERS["Subject"]
    assert any("Invoice" in warning for warning in detail.warnings)
