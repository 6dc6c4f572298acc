"""Signed-then-encrypted messages made by OpenSSL, NSS `cmsutil` and `gpgsm` open here.

The signed text is an Outlook-style message: nested multipart/mixed, the text as
multipart/alternative, and application/octet-stream attachments named only by Content-Type's
``name`` (one RFC 2047-encoded, one without any Content-Disposition). Each is opened with
`open_message`, as the user's own client opens mail: decrypted, verified against the trusted
root, the attachments read by name. Only the signer's certificate may be harvested, though
the signature carries unrelated certificates as well. The peers judge certificates as of the
real clock, so everything here is issued around it.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from asn1crypto import cms
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from desktop_app.cli.open_command import run_open
from desktop_app.cli.parser import build_parser
from desktop_app.core.identity import Identity, identity_of
from desktop_app.core.pki.certificates import fingerprint_sha256
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.smime.layers import Covers
from desktop_app.core.smime.open_message import OpenedMessage, open_message
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.identity_store import save_identity
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.paths import store_path
from desktop_app.services.secrets import SecretStore
from tests.factories.certs import TestCA
from tests.interop.envelope_peers import (
    Party,
    gnupg_home,
    gpgsm,
    multipart_signed_entity,
    nss_database,
    require,
    run,
    smime_body,
    smime_message,
    split_signed,
    stop_gnupg,
    write_party,
)
from tests.services.keyrings import InMemoryKeyring

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


def _open(world: World, eml: bytes) -> OpenedMessage:
    return open_message(eml, identity=world.identity, trust=world.trust, at=NOW)


def _check_opened(world: World, opened: OpenedMessage, cipher: str) -> None:
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


def _signature_certificates(der: bytes) -> list[x509.Certificate]:
    return pkcs7.load_der_pkcs7_certificates(der)


# --- OpenSSL -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def openssl() -> str:
    return require("openssl", "openssl")


ENCRYPT_OPTIONS = {
    "aes256-cbc": (["-aes-256-cbc"], [], "AES-256-CBC"),
    "aes256-gcm": (["-aes-256-gcm"], [], "AES-256-GCM"),
    "aes128-cbc-oaep": (
        ["-aes-128-cbc"],
        ["-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256"],
        "AES-128-CBC",
    ),
}


@pytest.mark.parametrize("detached", [True, False], ids=["multipart-signed", "opaque"])
@pytest.mark.parametrize("encryption", list(ENCRYPT_OPTIONS))
def test_openssl_sign_then_encrypt_opens_here(
    openssl: str, world: World, tmp_path: Path, detached: bool, encryption: str
) -> None:
    bag = tmp_path / "bag.pem"
    bag.write_bytes(
        world.intermediate.pem
        + b"".join(c.public_bytes(serialization.Encoding.PEM) for c in world.unrelated)
    )
    signed = tmp_path / "signed.eml"
    sign = [openssl, "cms", "-sign", "-in", str(world.inner), "-out", str(signed)]
    keys = ["-signer", str(world.alice.cert_path), "-inkey", str(world.alice.key_path)]
    run([*sign, *keys, "-certfile", str(bag), *([] if detached else ["-nodetach"])])
    entity = signed.read_bytes()
    if detached:
        _, signature = split_signed(entity)
    else:
        signature = smime_body(entity)
    in_bag = _signature_certificates(signature)
    assert set(world.unrelated) <= set(in_bag), "the unrelated certificates were sent along"

    cipher_args, recipient_args, cipher = ENCRYPT_OPTIONS[encryption]
    sealed = tmp_path / "sealed.eml"
    encrypt = [openssl, "cms", "-encrypt", *cipher_args, "-in", str(signed), "-out", str(sealed)]
    recipient = ["-recip", str(world.me.cert_path), *recipient_args]
    addressed = ["-from", HEADERS["From"], "-to", ME, "-subject", HEADERS["Subject"]]
    run([*encrypt, *recipient, *addressed])
    opened = _open(world, sealed.read_bytes())
    _check_opened(world, opened, cipher)
    assert opened.message.headers.subject in (None, "Laborwerte")


@pytest.mark.parametrize("form", [[], ["-nodetach"]], ids=["detached", "opaque"])
def test_openssl_signature_around_the_envelope_teaches_nothing(
    openssl: str, world: World, tmp_path: Path, form: list[str]
) -> None:
    # Encrypt-then-sign: anyone holding the ciphertext could have signed it.
    sealed, signed = tmp_path / "sealed.eml", tmp_path / "signed.eml"
    encrypt = [openssl, "cms", "-encrypt", "-aes-256-cbc", "-in", str(world.inner)]
    run([*encrypt, "-out", str(sealed), "-recip", str(world.me.cert_path)])
    sign = [openssl, "cms", "-sign", "-in", str(sealed), "-out", str(signed), "-binary", *form]
    keys = ["-signer", str(world.alice.cert_path), "-inkey", str(world.alice.key_path)]
    addressed = ["-from", HEADERS["From"], "-to", ME, "-certfile", str(world.chain)]
    run([*sign, *keys, *addressed])
    opened = _open(world, signed.read_bytes())
    # Alice's signature is valid, but over the envelope: the text is not signed by her.
    assert opened.signature is not None and not opened.signature.valid
    assert "does not cover what you read" in opened.signature.reason
    assert [(layer.kind.value, layer.covers, layer.valid) for layer in opened.layers] == [
        ("signed", Covers.ENVELOPE, True),
        ("encrypted", None, None),
    ]
    assert opened.signature_outside_encryption
    decision = opened.harvest()
    assert decision is not None and not decision.harvested


def test_openssl_triple_wrap_by_a_second_signer_reports_every_layer(
    openssl: str, world: World, tmp_path: Path
) -> None:
    """Alice signs and encrypts for me; Bob signs around her envelope and sends it on."""
    bob = write_party("bob", world.root.issue(["bob@partner.example"], slot=23, **DATES), tmp_path)  # type: ignore[arg-type]
    signed, sealed, wrapped = (tmp_path / name for name in ("signed", "sealed", "wrapped"))
    alice_keys = ["-signer", str(world.alice.cert_path), "-inkey", str(world.alice.key_path)]
    sign_inner = [openssl, "cms", "-sign", "-in", str(world.inner), "-out", str(signed)]
    run([*sign_inner, *alice_keys, "-certfile", str(world.chain)])
    encrypt = [openssl, "cms", "-encrypt", "-aes-256-gcm", "-in", str(signed), "-out", str(sealed)]
    run([*encrypt, "-recip", str(world.me.cert_path)])
    bob_keys = ["-signer", str(bob.cert_path), "-inkey", str(bob.key_path)]
    sign = [openssl, "cms", "-sign", "-in", str(sealed), "-out", str(wrapped), "-binary"]
    run([*sign, *bob_keys, "-from", "Bob <bob@partner.example>", "-to", ME, "-subject", "Fwd"])
    opened = _open(world, wrapped.read_bytes())
    assert opened.message.text.replace("\r\n", "\n") == TEXT.replace("\r\n", "\n")
    kinds = [(layer.kind.value, layer.covers) for layer in opened.layers]
    assert kinds == [("signed", Covers.ENVELOPE), ("encrypted", None), ("signed", Covers.TEXT)]
    outer, _, inner = opened.layers
    assert (outer.signer, outer.valid) == ("bob@partner.example", True)
    assert (inner.signer, inner.valid) == ("Alice Peer", False)  # Alice is not the From
    # The text is never "signed by Bob": its verdict is Alice's, who is not the sender.
    assert opened.signature is not None and opened.signature.signer == world.alice.issued.cert
    assert not opened.signature.valid
    decision = opened.harvest()
    assert decision is not None and not decision.harvested


def test_open_harvest_stores_only_the_signer(
    openssl: str, world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`smime-guard open --harvest` on OpenSSL's message: the store learns Alice alone."""
    bag = tmp_path / "bag.pem"
    bag.write_bytes(
        world.intermediate.pem
        + b"".join(c.public_bytes(serialization.Encoding.PEM) for c in world.unrelated)
    )
    signed, sealed = tmp_path / "signed.eml", tmp_path / "sealed.eml"
    sign = [openssl, "cms", "-sign", "-in", str(world.inner), "-out", str(signed)]
    keys = ["-signer", str(world.alice.cert_path), "-inkey", str(world.alice.key_path)]
    run([*sign, *keys, "-certfile", str(bag)])
    encrypt = [openssl, "cms", "-encrypt", "-aes-256-cbc", "-in", str(signed)]
    addressed = ["-from", HEADERS["From"], "-to", ME, "-subject", HEADERS["Subject"]]
    run([*encrypt, "-out", str(sealed), "-recip", str(world.me.cert_path), *addressed])

    keyring = SecretStore(InMemoryKeyring())
    home = tmp_path / "home"
    save_identity(home, world.identity, keyring)
    with CertStore.open(store_path(home)) as store:
        store.add_trust_anchor(world.root.cert, NOW)
    capsys.readouterr()
    arguments = build_parser().parse_args(["open", str(sealed), "--harvest", "--json"])
    assert run_open(arguments, MailAccess(home, secrets=lambda: keyring)) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["signature"]["valid"] is True
    assert printed["encryption"]["algorithm"] == "AES-256-CBC"
    assert [a["filename"] for a in printed["attachments"]] == [LAB_NAME, SCAN_NAME]
    assert printed["harvested"] == [fingerprint_sha256(world.alice.issued.cert)]
    with CertStore.open(store_path(home)) as store:
        learnt = store.list_certificates(include_authorities=True)
    assert {c.fingerprint for c in learnt} == {
        fingerprint_sha256(world.root.cert),
        fingerprint_sha256(world.alice.issued.cert),
    }


# --- NSS ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nss_db(world: World) -> str:
    """Alice's NSS database: her key, the root trusted, our user's certificate."""
    return nss_database(
        world.folder / "nss",
        roots=[world.root.cert],
        key=("alice", world.alice.issued, [world.intermediate.cert]),
        others={"me": world.me.issued.cert},
    )


@pytest.mark.parametrize("detached", [True, False], ids=["multipart-signed", "opaque"])
def test_nss_sign_then_encrypt_opens_here(
    nss_db: str, world: World, tmp_path: Path, detached: bool
) -> None:
    signature = tmp_path / "signature.der"
    # -G signing time, -P SMIMECapabilities, -T detached (as Thunderbird signs).
    sign = ["cmsutil", "-S", "-N", "alice", "-G", "-P", "-d", nss_db, "-p", ""]
    shape = ["-T"] if detached else []
    run([*sign, *shape, "-i", str(world.inner), "-o", str(signature)])
    if detached:
        entity = multipart_signed_entity(world.inner.read_bytes(), signature.read_bytes())
    else:
        entity = smime_message(signature.read_bytes(), smime_type="signed-data", headers={})
    (tmp_path / "signed.mime").write_bytes(entity)
    envelope = tmp_path / "envelope.der"
    encrypt = ["cmsutil", "-E", "-r", ME, "-d", nss_db, "-p", ""]
    run([*encrypt, "-i", str(tmp_path / "signed.mime"), "-o", str(envelope)])
    eml = smime_message(envelope.read_bytes(), smime_type="enveloped-data", headers=HEADERS)
    opened = _open(world, eml)
    _check_opened(world, opened, "AES-128-CBC")  # NSS 3.87 encrypts with AES-128
    assert opened.signature is not None
    assert "aes256-cbc" in opened.signature.capabilities


# --- gpgsm -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def alice_gnupg(world: World) -> Iterator[Path]:
    """Alice's GnuPG home: her key, the root trusted, our user's certificate."""
    home = world.folder / "gnupg"
    try:
        yield gnupg_home(
            home,
            root=world.root.cert,
            key=(world.alice.issued, [world.intermediate.cert]),
            others=[world.intermediate.cert, world.me.issued.cert],
        )
    finally:
        stop_gnupg(home)


def test_gpgsm_sign_then_encrypt_opens_here(
    alice_gnupg: Path, world: World, tmp_path: Path
) -> None:
    # gpgsm signs and encrypts in separate runs (it has no combined mode for S/MIME), and
    # writes bare CMS: the MIME around it is what its mail client (KMail, GpgOL) adds.
    signature = tmp_path / "signature.der"
    fingerprint = world.alice.issued.cert.fingerprint(hashes.SHA1()).hex().upper()
    sign = ["--local-user", fingerprint, "--detach-sign", "--output", str(signature)]
    gpgsm(alice_gnupg, [*sign, str(world.inner)], passphrase=True)
    entity = multipart_signed_entity(world.inner.read_bytes(), signature.read_bytes())
    (tmp_path / "signed.mime").write_bytes(entity)
    envelope = tmp_path / "envelope.der"
    encrypt = ["--recipient", ME, "--output", str(envelope), "--encrypt"]
    gpgsm(alice_gnupg, [*encrypt, str(tmp_path / "signed.mime")])
    assert envelope.read_bytes().startswith(b"\x30\x80")  # indefinite-length BER
    eml = smime_message(envelope.read_bytes(), smime_type="enveloped-data", headers=HEADERS)
    _check_opened(world, _open(world, eml), "AES-128-CBC")  # gpgsm's default


@pytest.mark.parametrize("carried", ["content_info", "bare"])
def test_openssl_signed_data_carrying_an_envelope_directly_covers_the_envelope(
    openssl: str, world: World, tmp_path: Path, carried: str
) -> None:
    """eContentType envelopedData: OpenSSL signs the ContentInfo it is given; RFC 5652
    has the bare EnvelopedData. Either is opened, and the signature covers the envelope."""
    envelope, signed = tmp_path / "envelope.der", tmp_path / "signed.eml"
    encrypt = [openssl, "cms", "-encrypt", "-binary", "-aes-256-cbc", "-outform", "DER"]
    files = ["-in", str(world.inner), "-out", str(envelope)]
    run([*encrypt, *files, "-recip", str(world.me.cert_path)])
    if carried == "bare":
        info = cms.ContentInfo.load(envelope.read_bytes())
        envelope.write_bytes(info["content"].untag().dump())
    sign = [openssl, "cms", "-sign", "-binary", "-nodetach", "-inform", "DER", "-in", str(envelope)]
    keys = ["-signer", str(world.alice.cert_path), "-inkey", str(world.alice.key_path)]
    options = ["-econtent_type", "pkcs7-envelopedData", "-certfile", str(world.chain)]
    run([*sign, *keys, *options, "-out", str(signed), "-from", HEADERS["From"], "-to", ME])
    opened = _open(world, signed.read_bytes())
    assert [(layer.kind.value, layer.covers, layer.valid) for layer in opened.layers] == [
        ("signed", Covers.ENVELOPE, True),
        ("encrypted", None, None),
    ]
    assert opened.signature is not None and not opened.signature.valid
    assert opened.message.text.replace("\r\n", "\n") == TEXT.replace("\r\n", "\n")
