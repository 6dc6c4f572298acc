"""RFC 9788 header protection: the real Subject sealed inside, "[...]" outside, read back."""

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.smime.open_message import open_message
from desktop_app.core.smime.signature_mime import split_multipart_signed
from desktop_app.services.certstore.store import CertStore
from tests.core.smime.sealing import ANN, BOB, ME, identity, outgoing, seal, stocked_store
from tests.core.smime.test_seal import headers, opened_by
from tests.factories.certs import NOW

SUBJECT = "Lab results for Mrs. Patel, DOB 04/12/1961"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CertStore]:
    yield from stocked_store(tmp_path / "s.sqlite")


def _protected(to: str, cc: str = "", bcc: str = "") -> object:
    message = outgoing(to, cc, bcc)
    return dataclasses.replace(message, subject=SUBJECT, protect_headers=True)


def test_the_subject_travels_inside_and_old_clients_see_it_in_the_body(store: CertStore) -> None:
    result = seal(store, _protected("ann@clinic.example"))  # type: ignore[arg-type]
    eml = result.envelopes[0].message
    outer = headers(eml)
    assert outer["Subject"] == "[...]"
    assert b"Patel" not in eml and b"1961" not in eml
    assert outer["To"] == "ann@clinic.example" and outer["Message-ID"]
    signed = split_multipart_signed(opened_by(ANN, eml)).signed
    head = signed.split(b"\r\n\r\n", 1)[0].decode()
    assert 'hp="cipher"' in head and "multipart/mixed" in head
    assert f"Subject: {SUBJECT}" in head
    assert "HP-Outer: Subject: [...]" in head
    assert f"HP-Outer: Message-ID: {outer['Message-ID']}" in head
    assert f"Message-ID: {outer['Message-ID']}" in head
    assert b'hp-legacy-display="1"' in signed
    assert f"Subject: {SUBJECT}".encode() in signed.split(b"\r\n\r\n", 1)[1]


def test_open_prefers_the_protected_headers_and_hides_the_legacy_display(
    store: CertStore,
) -> None:
    eml = seal(store, _protected("ann@clinic.example")).envelopes[0].message  # type: ignore[arg-type]
    opened = open_message(eml, identity=identity(ANN), trust=store.trust_context(), at=NOW)
    assert opened.headers_protected
    assert opened.headers.subject == SUBJECT and opened.headers.to == "ann@clinic.example"
    assert opened.body_text == "Results attached.\n"
    assert [a.filename for a in opened.message.attachments] == ["results.pdf"]
    assert opened.signature is not None and opened.signature.valid
    assert opened.warnings == ()


def test_an_outer_header_changed_on_the_way_is_reported(store: CertStore) -> None:
    eml = seal(store, _protected("ann@clinic.example")).envelopes[0].message  # type: ignore[arg-type]
    changed = eml.replace(b"Subject: [...]", b"Subject: Invoice overdue", 1)
    opened = open_message(changed, identity=identity(ANN), trust=store.trust_context(), at=NOW)
    assert opened.headers.subject == SUBJECT
    assert [w.code for w in opened.warnings] == ["outer_header_differs"]
    assert "Invoice overdue" in opened.warnings[0].message


def test_each_bcc_copy_carries_its_own_protected_headers(store: CertStore) -> None:
    for sign in (True, False):
        message = _protected("ann@clinic.example", bcc="bob@partner.example")
        result = seal(store, message, sign=sign)  # type: ignore[arg-type]
        shared, hidden = result.envelopes
        opened = open_message(
            hidden.message, identity=identity(BOB), trust=store.trust_context(), at=NOW
        )
        assert opened.headers.to == "bob@partner.example" and opened.headers.subject == SUBJECT
        mine = open_message(
            shared.message, identity=identity(ME), trust=store.trust_context(), at=NOW
        )
        assert mine.headers.to == "ann@clinic.example"
        assert b"bob@partner.example" not in opened_by(ME, shared.message)


def test_without_protection_nothing_changes(store: CertStore) -> None:
    message = dataclasses.replace(outgoing("ann@clinic.example"), subject=SUBJECT)
    eml = seal(store, message).envelopes[0].message
    assert headers(eml)["Subject"] == SUBJECT
    assert b"hp=" not in opened_by(ANN, eml)
    opened = open_message(eml, identity=identity(ANN), trust=store.trust_context(), at=NOW)
    assert not opened.headers_protected and opened.headers.subject == SUBJECT


def test_a_protected_message_from_another_client_is_read(store: CertStore) -> None:
    # A payload as another client writes it (no HP-Outer), seen after decryption: here
    # in clear, the root's protected fields follow the outer ones.
    body = (
        '--c\r\nContent-Type: text/plain; charset="us-ascii"; hp-legacy-display="1"\r\n\r\n'
        "Subject: Handling the Jones contract\r\n\r\n"
        "--c\r\nContent-Type: text/plain\r\n\r\nPlease review.\r\n--c--\r\n"
    )
    from desktop_app.core.mime.parse import parse_inner_mime
    from desktop_app.core.smime.header_protection import outer_differences

    payload = (
        'Content-Type: multipart/mixed; boundary="c"; hp="cipher"\r\n'
        "Subject: Handling the Jones contract\r\nFrom: Alice <alice@partner.example>\r\n\r\n" + body
    ).encode()
    parsed = parse_inner_mime(payload)
    assert parsed.protected_headers and parsed.text.strip() == "Please review."
    assert parsed.headers.subject == "Handling the Jones contract"
    inner = {"subject": "Handling the Jones contract"}
    assert outer_differences({"subject": "[...]"}, inner, ()) == []
    assert outer_differences({"subject": "Hi"}, inner, ()) == [
        ("Subject", "Hi", "Handling the Jones contract")
    ]
    assert outer_differences({"subject": "Hi"}, inner, (("Subject", "Hi"),)) == []
    # Without hp on the root, a part marked hp-legacy-display is ordinary text.
    plain = parse_inner_mime(payload.replace(b'; hp="cipher"', b""))
    assert "Subject: Handling" in plain.text
