"""The world the peer-message tests share: a root, an intermediate, Alice the peer who
signs and our user who decrypts, the Outlook-style message Alice sends, and opening it
here. The peers judge certificates as of the real clock, so everything is issued around it."""

from __future__ import annotations

import base64
import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509

from desktop_app.core.identity import Identity, identity_of
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.smime.open_message import OpenedMessage, open_message
from tests.factories.certs import TestCA
from tests.interop.envelope_peers import Party, require, write_party

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
DATES = {"not_before": NOW - dt.timedelta(days=1), "not_after": NOW + dt.timedelta(days=60)}
ALICE = "alice@partner.example"
ME = "me@clinic.example"
HEADERS = {"From": f"Alice Peer <{ALICE}>", "To": ME, "Subject": "Laborwerte"}

LAB_NAME = "Laborwerte.xlsx"
LAB = os.urandom(40_000)
SCAN_NAME = "Röntgen Bild (Müller) 検査.dcm"
SCAN = os.urandom(70_000) + b"\r\n--\r\n"
TEXT = "Guten Tag,\r\nanbei die Laborwerte und das Röntgenbild.\r\n"


def _base64_lines(data: bytes) -> bytes:
    return base64.encodebytes(data).replace(b"\n", b"\r\n")


def outlook_mime() -> bytes:
    """The inner message as Outlook writes it (CRLF line ends, tab-folded parameters)."""
    encoded_name = "=?utf-8?B?" + base64.b64encode(SCAN_NAME.encode()).decode() + "?="
    html = TEXT.replace("\r\n", "<br>\r\n")
    return b"".join(
        [
            b'Content-Type: multipart/mixed;\r\n\tboundary="----=_NextPart_000_0001_01DB0000"\r\n',
            b"\r\nThis is a multipart message in MIME format.\r\n\r\n",
            b"------=_NextPart_000_0001_01DB0000\r\n",
            b'Content-Type: multipart/mixed;\r\n\tboundary="----=_NextPart_001_0002_01DB0000"\r\n',
            b"\r\n\r\n------=_NextPart_001_0002_01DB0000\r\n",
            b"Content-Type: multipart/alternative;\r\n",
            b'\tboundary="----=_NextPart_002_0003_01DB0000"\r\n\r\n\r\n',
            b"------=_NextPart_002_0003_01DB0000\r\n",
            b'Content-Type: text/plain;\r\n\tcharset="utf-8"\r\n',
            b"Content-Transfer-Encoding: 8bit\r\n\r\n",
            TEXT.encode(),
            b"\r\n------=_NextPart_002_0003_01DB0000\r\n",
            b'Content-Type: text/html;\r\n\tcharset="utf-8"\r\n',
            b"Content-Transfer-Encoding: quoted-printable\r\n\r\n",
            html.encode("ascii", "xmlcharrefreplace"),
            b"\r\n------=_NextPart_002_0003_01DB0000--\r\n\r\n",
            b"------=_NextPart_001_0002_01DB0000\r\n",
            f'Content-Type: application/octet-stream;\r\n\tname="{LAB_NAME}"\r\n'.encode(),
            b"Content-Transfer-Encoding: base64\r\n",
            b"Content-Disposition: attachment\r\n\r\n",
            _base64_lines(LAB),
            b"\r\n------=_NextPart_001_0002_01DB0000--\r\n\r\n",
            b"------=_NextPart_000_0001_01DB0000\r\n",
            f'Content-Type: application/octet-stream;\r\n\tname="{encoded_name}"\r\n'.encode(),
            b"Content-Transfer-Encoding: base64\r\n\r\n",
            _base64_lines(SCAN),
            b"\r\n------=_NextPart_000_0001_01DB0000--\r\n",
        ]
    )


@dataclass(frozen=True)
class World:
    root: TestCA
    intermediate: TestCA
    alice: Party  # the peer who signs, under the intermediate
    me: Party  # our user, who decrypts
    unrelated: tuple[x509.Certificate, ...]
    folder: Path

    @property
    def identity(self) -> Identity:
        return identity_of(self.me.issued.cert, self.me.issued.key, (), source="test")

    @property
    def trust(self) -> TrustContext:
        return TrustContext((self.root.cert,))  # the intermediate must come from the message

    @property
    def inner(self) -> Path:
        return self.folder / "inner.mime"

    @property
    def chain(self) -> Path:
        return self.folder / "intermediate.pem"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    folder = tmp_path_factory.mktemp("peer-messages")
    root = TestCA("Peer Messages Root", **DATES)  # type: ignore[arg-type]
    intermediate = root.intermediate("Peer Messages Intermediate", **DATES)
    alice = intermediate.issue([ALICE], common_name="Alice Peer", slot=20, **DATES)  # type: ignore[arg-type]
    me = root.issue([ME], slot=21, **DATES)  # type: ignore[arg-type]
    unrelated = tuple(
        root.issue([f"other{n}@elsewhere.example"], slot=22, **DATES).cert  # type: ignore[arg-type]
        for n in range(2)
    )
    (folder / "root.pem").write_bytes(root.pem)
    (folder / "intermediate.pem").write_bytes(intermediate.pem)
    (folder / "inner.mime").write_bytes(outlook_mime())
    return World(
        root,
        intermediate,
        write_party("alice", alice, folder),
        write_party("me", me, folder),
        unrelated,
        folder,
    )


def open_here(world: World, eml: bytes) -> OpenedMessage:
    return open_message(eml, identity=world.identity, trust=world.trust, at=NOW)


def check_opened(world: World, opened: OpenedMessage, cipher: str) -> None:
    assert opened.encryption is not None
    assert opened.encryption.cipher == cipher
    assert opened.encryption.recipients == 1
    assert opened.signature is not None
    assert opened.signature.valid, opened.signature.reason
    assert opened.signature.signer == world.alice.issued.cert
    assert not opened.signature_outside_encryption
    message = opened.message
    assert message.text.startswith("Guten Tag,\nanbei die Laborwerte"), message.text
    assert message.html is not None and "Laborwerte" in message.html
    files = [(a.filename, a.content, a.name_generated) for a in message.attachments]
    assert files == [(LAB_NAME, LAB, False), (SCAN_NAME, SCAN, False)]
    decision = opened.harvest()
    assert decision is not None and decision.harvested, decision
    assert decision.certificate == world.alice.issued.cert


@pytest.fixture(scope="module")
def openssl() -> str:
    return require("openssl", "openssl")
