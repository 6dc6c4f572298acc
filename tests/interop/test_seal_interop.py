"""Whole sealed messages, as `seal_message` writes them, opened by OpenSSL, gpgsm and NSS.

The default (AES-256-CBC, RSA PKCS #1 v1.5) message has a binary attachment and one with a
non-ASCII name, To, Cc and Bcc recipients, and a signature. Every reader of every envelope
decrypts it in all three programs to exactly the bytes the sender's own copy holds, and the
multipart/signed inside verifies in each. GCM, OAEP and EC recipients are checked with
OpenSSL only: NSS 3.87 and gpgsm 2.2.40 read none of them (CMS-NOTES 7). The peers judge
certificates as of the real clock, so everything here is issued and sealed around it.

Each peer gets the message the way its mail client hands it over: OpenSSL the whole .eml,
cmsutil the DER and gpgsm the base64 body (gpgsm 2.2.40 reads no MIME at all, not even
OpenSSL's own S/MIME output), both taken out by the standard library's MIME parser.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import os
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes

from desktop_app.core.identity import Identity, identity_of
from desktop_app.core.mime.compose import Attachment, InnerMessage
from desktop_app.core.pki.certificates import fingerprint_sha256
from desktop_app.core.pki.stored import Source
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.recipients.addresses import Mailbox, parse_address_list, parse_mailbox
from desktop_app.core.recipients.evidence import CertificateJudge
from desktop_app.core.recipients.status import Draft
from desktop_app.core.smime.algorithms import ContentCipher, KeyTransport
from desktop_app.core.smime.envelope_open import open_envelope
from desktop_app.core.smime.open_message import open_message
from desktop_app.core.smime.seal import CipherPolicy, OutgoingMessage, SealResult, seal_message
from desktop_app.core.smime.wrap import mime_to_envelope
from desktop_app.services.certstore.store import CertStore
from tests.factories.certs import TestCA
from tests.interop.envelope_peers import (
    TIMEOUT,
    Party,
    gnupg_home,
    gpgsm_decrypt,
    gpgsm_verify_status,
    nss_database,
    nss_signer_status,
    outer_headers,
    require,
    run,
    smime_base64_body,
    smime_body,
    split_signed,
    stop_gnupg,
    write_party,
)

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
DATES = {"not_before": NOW - dt.timedelta(days=1), "not_after": NOW + dt.timedelta(days=60)}
SENDER = "me@clinic.example"
# name: (address, key kind, field); distinct key slots give distinct keys.
PEOPLE = {
    "ann": ("ann@clinic.example", "rsa2048", "to"),
    "bob": ("bob@clinic.example", "rsa2048", "to"),
    "cara": ("cara@partner.example", "rsa2048", "cc"),
    "dan": ("dan@clinic.example", "rsa2048", "bcc"),
    "eve": ("eve@partner.example", "rsa2048", "bcc"),
    "fay": ("fay@clinic.example", "p256", "ec"),  # for the OpenSSL-only variants
}
DEFAULT_READERS = tuple(name for name, spec in PEOPLE.items() if spec[2] != "ec")
SCAN = os.urandom(300_000) + b"\x00\r\n\r\n--\xff"  # binary; line ends and a fake delimiter
UMLAUT_NAME = "Überweisung Müller (März 2026) 検査.pdf"
UMLAUT_FILE = b"%PDF-1.7\n% \xe4\xf6\xfc\n" + os.urandom(2_000)


@dataclass(frozen=True)
class World:
    root: TestCA
    intermediate: TestCA
    sender: Party
    people: dict[str, Party]
    folder: Path
    store: CertStore

    @property
    def identity(self) -> Identity:
        issued = self.sender.issued
        return identity_of(issued.cert, issued.key, (self.intermediate.cert,), source="test")

    @property
    def root_pem(self) -> Path:
        return self.folder / "root.pem"

    def address(self, name: str) -> str:
        return PEOPLE[name][0]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("seal-interop")
    root = TestCA("Seal Interop Root", **DATES)  # type: ignore[arg-type]
    intermediate = root.intermediate("Seal Interop Intermediate", **DATES)
    (folder / "root.pem").write_bytes(root.pem)
    sender = write_party("me", intermediate.issue([SENDER], slot=10, **DATES), folder)  # type: ignore[arg-type]
    people = {
        name: write_party(
            name,
            root.issue([address], key_kind=kind, slot=11 + number, **DATES),  # type: ignore[arg-type]
            folder,
        )
        for number, (name, (address, kind, _)) in enumerate(PEOPLE.items())
    }
    with CertStore.open(folder / "store.sqlite") as store:
        store.add_trust_anchor(root.cert, NOW)
        store.add_certificate(sender.issued.cert, Source.IMPORTED, NOW)
        for party in people.values():
            store.add_certificate(party.issued.cert, Source.IMPORTED, NOW)
        yield World(root, intermediate, sender, people, folder, store)


def _seal(
    world: World,
    *,
    to: Sequence[str],
    cc: Sequence[str] = (),
    bcc: Sequence[str] = (),
    capabilities: Mapping[str, tuple[str, ...]] | None = None,
    policy: CipherPolicy | None = None,
) -> SealResult:
    def mailboxes(names: Sequence[str]) -> tuple[Mailbox, ...]:
        return parse_address_list(", ".join(world.address(n) for n in names))

    draft = Draft(
        to=mailboxes(to),
        cc=mailboxes(cc),
        bcc=mailboxes(bcc),
        sender=parse_mailbox(f"Dr. Me <{SENDER}>"),
    )
    body = InnerMessage(
        "Guten Tag,\nanbei der Befund und die Überweisung.\n",
        attachments=(
            Attachment("scan.dcm", SCAN),
            Attachment(UMLAUT_NAME, UMLAUT_FILE),
        ),
    )
    message = OutgoingMessage(draft, "Befund", body)
    judged = (*draft.to, *draft.cc, *draft.bcc, draft.sender)
    evidence = CertificateJudge(world.store, NOW).collect(m.key for m in judged if m is not None)
    return seal_message(
        message,
        evidence=evidence,
        identity=world.identity,
        certificate_for=world.store.certificate,
        at=NOW,
        capabilities=capabilities,
        policy=policy or CipherPolicy(),
    )


@dataclass(frozen=True)
class Sealed:
    """One envelope on disk, with what each of its readers must get out of it."""

    eml: Path
    der: Path
    base64: Path  # the body alone, as a mail client hands it to gpgsm
    readers: tuple[str, ...]  # names in PEOPLE
    bcc: str | None
    content: bytes  # what the sender's own copy decrypts to


def _written(world: World, result: SealResult, folder: Path) -> list[Sealed]:
    by_address = {world.address(name): name for name in PEOPLE}
    sealed = []
    for number, envelope in enumerate(result.envelopes):
        eml, der, body = (folder / f"{number}.{kind}" for kind in ("eml", "der", "b64"))
        eml.write_bytes(envelope.eml)
        der.write_bytes(smime_body(envelope.eml))
        body.write_bytes(smime_base64_body(envelope.eml))
        issued = world.sender.issued
        content = open_envelope(mime_to_envelope(envelope.eml), issued.cert, issued.key).content
        readers = tuple(by_address[reader] for reader in envelope.readers)
        sealed.append(Sealed(eml, der, body, readers, envelope.bcc, content))
    return sealed


@pytest.fixture(scope="module")
def default_sealed(world: World, tmp_path_factory: pytest.TempPathFactory) -> list[Sealed]:
    result = _seal(world, to=["ann", "bob"], cc=["cara"], bcc=["dan", "eve"])
    assert [e.cipher for e in result.envelopes] == [ContentCipher.AES256_CBC] * 3
    return _written(world, result, tmp_path_factory.mktemp("default-sealed"))


def test_the_senders_copy_holds_the_signed_message_and_both_files(
    world: World, default_sealed: list[Sealed]
) -> None:
    trust = TrustContext((world.root.cert,), (world.intermediate.cert,))
    for sealed in default_sealed:
        opened = open_message(sealed.eml.read_bytes(), identity=world.identity, trust=trust, at=NOW)
        assert opened.encryption is not None
        assert (opened.encryption.cipher, opened.encryption.key_transport) == (
            "AES-256-CBC",
            "RSA (PKCS #1 v1.5)",
        )
        assert opened.encryption.recipients == len(sealed.readers) + 1  # and the sender
        assert opened.signature is not None and opened.signature.valid, opened.signature
        files = {a.filename: a.content for a in opened.message.attachments}
        assert files == {"scan.dcm": SCAN, UMLAUT_NAME: UMLAUT_FILE}
    assert len({s.content for s in default_sealed}) == 1, "one signed content for all"


# --- OpenSSL -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def openssl() -> str:
    return require("openssl", "openssl")


def _openssl_decrypt(openssl: str, eml: Path, party: Party) -> bytes:
    # S/MIME input (the whole .eml), as a mail client hands it over.
    decrypt = [openssl, "cms", "-decrypt", "-in", str(eml)]
    return run([*decrypt, "-recip", str(party.cert_path), "-inkey", str(party.key_path)])


def _openssl_verify(openssl: str, world: World, entity: bytes, folder: Path) -> bytes:
    signed = folder / "signed.eml"
    signed.write_bytes(entity)
    verify = [openssl, "cms", "-verify", "-in", str(signed), "-CAfile", str(world.root_pem)]
    return run([*verify, "-out", "-"])


def test_openssl_decrypts_every_envelope_for_each_reader(
    openssl: str, world: World, default_sealed: list[Sealed]
) -> None:
    for sealed in default_sealed:
        for name in (*sealed.readers, "me"):
            party = world.sender if name == "me" else world.people[name]
            assert _openssl_decrypt(openssl, sealed.eml, party) == sealed.content, name


def test_openssl_verifies_the_decrypted_signature(
    openssl: str, world: World, default_sealed: list[Sealed], tmp_path: Path
) -> None:
    content = default_sealed[0].content
    out = _openssl_verify(openssl, world, content, tmp_path)
    signed, _ = split_signed(content)
    assert out == signed
    # And a changed byte in the signed part fails there as well.
    tampered = content.replace(b"Content-Type: text/plain", b"Content-Type: text/plane", 1)
    (tmp_path / "tampered.eml").write_bytes(tampered)
    verify = [openssl, "cms", "-verify", "-in", str(tmp_path / "tampered.eml")]
    result = subprocess.run(
        [*verify, "-CAfile", str(world.root_pem), "-out", os.devnull],
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode != 0
    assert b"content verify error" in result.stderr


def test_openssl_sees_one_recipient_info_per_reader(
    openssl: str, default_sealed: list[Sealed]
) -> None:
    for sealed in default_sealed:
        printed = run([openssl, "cms", "-cmsout", "-print", "-in", str(sealed.eml)]).decode()
        assert printed.count("d.ktri:") == len(sealed.readers) + 1
        assert "aes-256-cbc" in printed
        assert "rsaEncryption" in printed


# --- Bcc privacy ---------------------------------------------------------------------------


def test_each_bcc_envelope_is_addressed_to_its_reader_alone(
    openssl: str, world: World, default_sealed: list[Sealed]
) -> None:
    shared, *hidden = default_sealed
    assert shared.bcc is None and [s.bcc for s in hidden] == [
        world.address("dan"),
        world.address("eve"),
    ]
    others = {world.address(name) for name in PEOPLE}
    for sealed in hidden:
        assert sealed.bcc is not None
        eml = sealed.eml.read_bytes()
        headers = outer_headers(eml)
        assert headers["To"] == sealed.bcc
        assert headers["Cc"] is None and headers["Bcc"] is None
        assert email.utils.parseaddr(headers["From"])[1] == SENDER
        for address in others - {sealed.bcc}:
            assert address.encode() not in eml, f"{address} is visible in {sealed.bcc}'s copy"
        # No one else can open it: not a To reader, not the other Bcc reader.
        for name in ("ann", "dan" if sealed.bcc != world.address("dan") else "eve"):
            party = world.people[name]
            decrypt = [openssl, "cms", "-decrypt", "-in", str(sealed.eml)]
            result = subprocess.run(
                [*decrypt, "-recip", str(party.cert_path), "-inkey", str(party.key_path)],
                capture_output=True,
                timeout=TIMEOUT,
                check=False,
            )
            assert result.returncode != 0, f"{name} opened {sealed.bcc}'s copy"
    shared_eml = shared.eml.read_bytes()
    for sealed in hidden:
        assert sealed.bcc is not None and sealed.bcc.encode() not in shared_eml


# --- NSS ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nss_dbs(world: World, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One NSS database per reader, holding that reader's key and trusting the root."""
    require("cmsutil", "libnss3-tools")
    folder = tmp_path_factory.mktemp("nss")
    return {
        name: nss_database(
            folder / name,
            roots=[world.root.cert],
            key=(name, world.people[name].issued, [world.root.cert]),
        )
        for name in DEFAULT_READERS
    }


def test_nss_decrypts_every_envelope_for_each_reader(
    nss_dbs: dict[str, str], default_sealed: list[Sealed], tmp_path: Path
) -> None:
    for sealed in default_sealed:
        for name in sealed.readers:
            out = tmp_path / f"{sealed.eml.stem}-{name}.out"
            command = ["cmsutil", "-D", "-i", str(sealed.der), "-d", nss_dbs[name], "-p", ""]
            run([*command, "-o", str(out)])
            assert out.read_bytes() == sealed.content, name


def test_nss_verifies_the_decrypted_signature(
    nss_dbs: dict[str, str], default_sealed: list[Sealed], tmp_path: Path
) -> None:
    signed, signature = split_signed(default_sealed[0].content)
    (tmp_path / "signed").write_bytes(signed)
    (tmp_path / "smime.p7s").write_bytes(signature)
    database = nss_dbs["ann"]
    status = nss_signer_status(database, tmp_path / "smime.p7s", tmp_path / "signed")
    assert status == "GoodSignature"
    (tmp_path / "tampered").write_bytes(signed.replace(b"scan.dcm", b"scan.dcn"))
    status = nss_signer_status(database, tmp_path / "smime.p7s", tmp_path / "tampered")
    assert status == "DigestMismatch"


# --- gpgsm -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gnupg_homes(
    world: World, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Path]]:
    """One GnuPG home per reader with that reader's key; the root trusted in each."""
    require("gpgsm", "gpgsm")
    folder = tmp_path_factory.mktemp("gnupg")
    homes: dict[str, Path] = {}
    try:
        for name in DEFAULT_READERS:
            homes[name] = folder / name  # registered first: stopped even if set-up fails
            gnupg_home(homes[name], root=world.root.cert, key=(world.people[name].issued, []))
        yield homes
    finally:
        for home in homes.values():
            stop_gnupg(home)


def test_gpgsm_decrypts_every_envelope_for_each_reader(
    gnupg_homes: dict[str, Path], default_sealed: list[Sealed]
) -> None:
    for sealed in default_sealed:
        for name in sealed.readers:
            got = gpgsm_decrypt(gnupg_homes[name], sealed.base64, base64_input=True)
            assert got == sealed.content, name


def test_gpgsm_verifies_the_decrypted_signature(
    world: World, gnupg_homes: dict[str, Path], default_sealed: list[Sealed], tmp_path: Path
) -> None:
    signed, signature = split_signed(default_sealed[0].content)
    (tmp_path / "signed").write_bytes(signed)
    (tmp_path / "smime.p7s").write_bytes(signature)
    home = gnupg_homes["ann"]
    status = gpgsm_verify_status(home, tmp_path / "smime.p7s", tmp_path / "signed")
    fingerprint = world.sender.issued.cert.fingerprint(hashes.SHA1()).hex().upper()
    assert f"[GNUPG:] GOODSIG {fingerprint}".encode() in status, status
    assert b"[GNUPG:] TRUST_FULLY" in status
    (tmp_path / "tampered").write_bytes(signed + b"\r\n")
    status = gpgsm_verify_status(home, tmp_path / "smime.p7s", tmp_path / "tampered")
    assert b"[GNUPG:] BADSIG" in status


# --- OAEP, GCM and EC: OpenSSL only --------------------------------------------------------


def _fingerprint(world: World, name: str) -> str:
    return fingerprint_sha256(world.people[name].issued.cert)


@pytest.mark.parametrize("variant", ["gcm", "oaep", "ec", "all"])
def test_openssl_opens_the_stronger_variants(
    openssl: str, world: World, tmp_path: Path, variant: str
) -> None:
    # The sealer picks GCM when every reader advertised it, OAEP per reader that did, and
    # ECDH for an EC certificate; the advertisements are handed in as the store keeps them.
    advertised: dict[str, list[str]] = {name: [] for name in PEOPLE}
    if variant in ("gcm", "all"):
        for name in ("ann", "bob", "fay"):
            advertised[name] += [ContentCipher.AES256_GCM.value, ContentCipher.AES256_CBC.value]
    if variant in ("oaep", "all"):
        advertised["ann"].append(KeyTransport.RSA_OAEP.value)
    capabilities = {_fingerprint(world, name): tuple(v) for name, v in advertised.items() if v}
    to, cc = ["ann"], ["fay" if variant in ("ec", "all") else "bob"]
    result = _seal(world, to=to, cc=cc, capabilities=capabilities)
    (sealed,) = _written(world, result, tmp_path)
    printed = run([openssl, "cms", "-cmsout", "-print", "-in", str(sealed.eml)]).decode()
    headers = outer_headers(sealed.eml.read_bytes())
    if variant in ("gcm", "all"):
        assert result.envelopes[0].cipher is ContentCipher.AES256_GCM
        assert headers.get_param("smime-type") == "authEnveloped-data"
        assert "aes-256-gcm" in printed
    else:
        assert "aes-256-cbc" in printed
    assert ("rsaesOaep" in printed) == (variant in ("oaep", "all"))
    assert ("d.kari:" in printed) == (variant in ("ec", "all"))
    for name in (*sealed.readers, "me"):
        party = world.sender if name == "me" else world.people[name]
        assert _openssl_decrypt(openssl, sealed.eml, party) == sealed.content, name
    signed, _ = split_signed(sealed.content)
    assert _openssl_verify(openssl, world, sealed.content, tmp_path) == signed


def test_openssl_opens_gcm_the_policy_requires(openssl: str, world: World, tmp_path: Path) -> None:
    result = _seal(world, to=["ann"], bcc=["fay"], policy=CipherPolicy(require_gcm=True))
    assert [e.cipher for e in result.envelopes] == [ContentCipher.AES256_GCM] * 2
    for sealed in _written(world, result, tmp_path):
        for name in sealed.readers:
            got = _openssl_decrypt(openssl, sealed.eml, world.people[name])
            assert got == sealed.content, name
