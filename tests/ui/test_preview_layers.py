"""The preview of layered, HTML-only and oddly dated messages, opened by the real opener
from a real folder and store (issue 11, items 4 and 9)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.identity import identity_of
from desktop_app.core.mime.compose import InnerMessage, build_inner_mime
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.mailbox.opening import MessageOpener, OpeningMessageListSource
from desktop_app.services.mailbox.source import FolderMessageListSource, MessageDetail
from desktop_app.ui.preview_pane import PreviewPane
from desktop_app.ui.theme import Theme
from tests.factories import layered_mail
from tests.factories.certs import NOW, Issued, TestCA

CA = TestCA("Preview Layers Root")
ME = CA.issue(["me@clinic.example"], common_name="Mia Example")
LEE = CA.issue(["lee@clinic.example"], slot=1)
ANN = CA.issue(["ann@clinic.example"], common_name="Ann Other", slot=2)
DATE = "Mon, 01 Jun 2026 12:00:00 +0000"  # NOW


def _head(sender: str, date: str = DATE) -> bytes:
    return layered_mail.head(sender, date, subject="Results")


def _sign(entity: bytes, signer: Issued) -> bytes:
    return layered_mail.signed(entity, signer, NOW)


def _encrypt(entity: bytes) -> bytes:
    return layered_mail.encrypted(entity, LEE)


def _text(words: str) -> bytes:
    return build_inner_mime(InnerMessage(words))


@pytest.fixture
def fetch(tmp_path: Path):
    store = tmp_path / "store.sqlite3"
    with CertStore.open(store) as opened:
        opened.add_trust_anchor(CA.cert, NOW)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    lee = identity_of(LEE.cert, LEE.key, (), source="test")
    opener = MessageOpener(store, lambda: lee, lambda: NOW)
    source = OpeningMessageListSource(FolderMessageListSource(inbox, "Inbox"), opener)

    def fetch(eml: bytes) -> MessageDetail:
        (inbox / "m.eml").write_bytes(eml)
        return source.fetch("m.eml")

    return fetch


def _preview(qtbot: QtBot, theme: Theme, detail: MessageDetail) -> PreviewPane:
    pane = PreviewPane(theme)
    qtbot.addWidget(pane)
    pane.resize(700, 500)
    pane.show_message(detail)
    return pane


def test_a_signature_around_the_encryption_is_not_shown_as_signing_the_text(
    qtbot: QtBot, theme: Theme, fetch
) -> None:
    detail = fetch(_head("me@clinic.example") + _sign(_encrypt(_text("dose: 5 mg")), ME))
    pane = _preview(qtbot, theme, detail)
    banner = pane.banner_text.text()
    assert banner.startswith(
        "Encrypted (AES-256-CBC) · signed around the encryption by Mia Example: "
        "the signature does not cover what you read"
    )
    assert "valid" not in banner.split("\n")[0].replace("NOT valid", "")
    assert pane.banner.property("security") == "warning"
    assert pane.body.toPlainText().strip() == "dose: 5 mg"


def test_a_forwarders_signature_is_named_as_covering_only_the_envelope(
    qtbot: QtBot, theme: Theme, fetch
) -> None:
    inner = _sign(_text("the secret"), ME)
    detail = fetch(_head("me@clinic.example") + _sign(_encrypt(inner), ANN))
    pane = _preview(qtbot, theme, detail)
    first, *others = pane.banner_text.text().split("\n")
    assert first == "Encrypted (AES-256-CBC) · Signed by Mia Example, valid"
    # Ann is not the From address, so her signature around the envelope is not valid.
    assert any(line.startswith("Signed by Ann Other around the encryption") for line in others)
    assert pane.banner.property("security") == "warning"


def test_a_signing_time_far_from_the_date_is_flagged(qtbot: QtBot, theme: Theme, fetch) -> None:
    detail = fetch(
        _head("me@clinic.example", "Sun, 31 May 2026 08:00:00 +0000") + _sign(_text("hi"), ME)
    )
    pane = _preview(qtbot, theme, detail)
    assert "28 hours away from the message's Date" in pane.banner_text.text()
    assert pane.banner.property("security") == "warning"


@pytest.mark.parametrize("signed", [False, True])
def test_an_html_only_body_is_previewed_as_text(
    qtbot: QtBot, theme: Theme, fetch, signed: bool
) -> None:
    html = (
        b"Content-Type: text/html; charset=utf-8\r\n\r\n"
        b"<html><head><script>alert(1)</script><style>p{}</style></head>"
        b'<body><p>Dear Lee,</p><p>see <img src="https://x.example/t.gif">you.</p></body></html>'
    )
    eml = _head("me@clinic.example") + (_sign(html, ME) if signed else html)
    pane = _preview(qtbot, theme, fetch(eml))
    assert pane.body.toPlainText() == "Dear Lee,\n\nsee you."
